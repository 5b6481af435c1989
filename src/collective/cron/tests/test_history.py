# -*- coding: utf-8 -*-
"""A cron's history (issue 15, item 4): the chart's geometry
(``browser/history.py``, without Plone) and, over the test browser, the
cron page's history table (start, end, duration in the site's zone) and
its SVG chart (one bar per kept run, classes and titles by status)."""
import datetime
import json
import re
import unittest

import six
import transaction
from plone.registry.interfaces import IRegistry
from zope.component import getUtility

from collective.cron import crontab as model
from collective.cron.browser import history
from collective.cron.tests.test_cronpage import CronPageTestCase
from collective.cron.tests.test_dashboard import local

#: the bars' room: what the chart's height gives to the tallest bar
PLOT = history.BASELINE - history.TOP
RECORD = 'collective.cron.interfaces.IRegistryCrontab.crontab'


def run(minute, seconds=None, status=model.OK):
    """The log of a run that ended at 12:``minute`` and took ``seconds``
    (None: a log without a start, as 2.x wrote them)."""
    end = local(2007, 12, 31, 12, minute)
    start = None
    if seconds is not None:
        start = end - datetime.timedelta(seconds=seconds)
    return model.Log(end, status, [u'log %d' % minute], start)


def newest_first(*logs):
    """Logs as a cron keeps them (newest first) from logs oldest first."""
    return list(reversed(logs))


class TestGeometry(unittest.TestCase):

    def test_oldest_on_the_left(self):
        logs = newest_first(run(0, 1), run(1, 2), run(2, 3))
        bars = history.bars(logs)
        self.assertEqual([bar.log for bar in bars], list(reversed(logs)))
        lefts = [bar.x for bar in bars]
        self.assertEqual(lefts, sorted(lefts))
        self.assertEqual(len(set(lefts)), 3)

    def test_order_of_the_runs_not_of_the_dates(self):
        logs = [run(0, 5), run(30, 1)]
        bars = history.bars(logs)
        self.assertEqual([bar.log.messages for bar in bars],
                         [[u'log 30'], [u'log 0']])

    def test_heights_scale_to_the_longest(self):
        logs = newest_first(run(0, 10), run(1, 5), run(2, 2))
        bars = history.bars(logs)
        self.assertEqual([bar.height for bar in bars],
                         [PLOT, PLOT / 2.0, PLOT / 5.0])
        for bar in bars:
            self.assertEqual(bar.y + bar.height, history.BASELINE)
        self.assertEqual(bars[0].y, history.TOP)
        self.assertEqual(history.longest(logs), logs[2])

    def test_a_long_run_keeps_short_ones_visible(self):
        bars = history.bars(newest_first(run(0, 3600), run(1, 1)))
        self.assertEqual(bars[0].height, PLOT)
        self.assertEqual(bars[1].height, history.MIN_BAR)

    def test_runs_without_a_duration_are_markers(self):
        logs = newest_first(run(0), run(1, 8), run(2), run(3, 4))
        bars = history.bars(logs)
        self.assertEqual([bar.marker for bar in bars],
                         [True, False, True, False])
        self.assertEqual([bar.seconds for bar in bars], [None, 8, None, 4])
        self.assertEqual((bars[1].height, bars[3].height),
                         (PLOT, PLOT / 2.0))
        marker = bars[0]
        self.assertEqual(marker.r, history.MARKER_RADIUS)
        self.assertEqual(marker.cy + marker.r, history.BASELINE - 1)
        self.assertAlmostEqual(marker.cx, history.MARGIN +
                               history.slot_width(4) / 2.0)
        self.assertAlmostEqual(bars[2].cx - marker.cx,
                               2 * history.slot_width(4))

    def test_only_runs_without_a_duration(self):
        logs = newest_first(run(0), run(1))
        self.assertIsNone(history.longest(logs))
        self.assertEqual([bar.marker for bar in history.bars(logs)],
                         [True, True])

    def test_zero_length_runs(self):
        bars = history.bars(newest_first(run(0, 0), run(1, 0)))
        self.assertEqual([bar.height for bar in bars],
                         [history.MIN_BAR, history.MIN_BAR])
        self.assertEqual([bar.marker for bar in bars], [False, False])
        bars = history.bars(newest_first(run(0, 0), run(1, 6)))
        self.assertEqual([bar.height for bar in bars],
                         [history.MIN_BAR, PLOT])

    def test_a_start_after_the_end_counts_as_0_s(self):
        log = model.Log(local(2007, 12, 31, 12, 0), model.OK, [],
                        local(2007, 12, 31, 12, 5))
        self.assertEqual(history.seconds(log), 0.0)
        self.assertEqual(history.bars([log])[0].height, history.MIN_BAR)

    def test_a_single_run(self):
        bars = history.bars([run(0, 3)])
        self.assertEqual(len(bars), 1)
        bar = bars[0]
        self.assertEqual(bar.width, history.MAX_SLOT * history.FILL)
        self.assertEqual(bar.x, history.MARGIN + (
            history.MAX_SLOT - bar.width) / 2)
        self.assertEqual(bar.height, PLOT)

    def test_the_most_runs_fit_without_overlapping(self):
        logs = [run(minute, minute + 1)
                for minute in range(model.MAX_LOGS_LIMIT)]
        bars = history.bars(logs)
        self.assertEqual(len(bars), model.MAX_LOGS_LIMIT)
        self.assertGreaterEqual(bars[0].x, history.MARGIN)
        self.assertLessEqual(bars[-1].x + bars[-1].width,
                             history.WIDTH - history.MARGIN)
        for left, right in zip(bars, bars[1:]):
            self.assertLess(left.x + left.width, right.x)

    def test_statuses(self):
        logs = newest_first(run(0, 1, model.FAILURE), run(1, 1, model.OK),
                            run(2, None, model.NOTRUN), run(3, 1, model.OK))
        self.assertEqual([bar.status for bar in history.bars(logs)],
                         [model.FAILURE, model.OK, model.NOTRUN, model.OK])
        order = (model.OK, model.WARN, model.FAILURE, model.NOTRUN)
        self.assertEqual(history.counts(logs, order),
                         [(model.OK, 2), (model.FAILURE, 1),
                          (model.NOTRUN, 1)])

    def test_numbers(self):
        self.assertEqual([history.number(value) for value in
                          (600, 12.5, 2.0, 1.0 / 3, 0.004)],
                         ['600', '12.5', '2', '0.33', '0'])


class HistoryPageTestCase(CronPageTestCase):

    def page(self, uid, user=None):
        browser = self.browser(*([user] if user else []))
        browser.open(self.cron_url(uid))
        return browser.contents

    def chart(self, html):
        start = html.index('<svg')
        return html[start:html.index('</svg>', start)]

    def rows(self, html):
        """The cells of the history table's rows, as HTML."""
        start = html.index('id="cron-logs-table"')
        table = html[start:html.index('</table>', start)]
        return [re.findall(r'(?s)<td[^>]*>.*?</td>', row)
                for row in table.split('<tr class="cron-log">')[1:]]

    def write_2x_logs(self, uid, logs):
        """Replace the cron's logs in its registry record by 2.x's dumps
        (no start)."""
        registry = getUtility(IRegistry)
        records = []
        for text in registry[RECORD]:
            record = json.loads(text)
            if record['uid'] == uid:
                record['logs'] = logs
            records.append(six.ensure_text(json.dumps(record)))
        registry[RECORD] = records
        transaction.commit()


class TestHistoryTable(HistoryPageTestCase):

    def test_start_end_and_duration_in_the_site_zone(self):
        registry = getUtility(IRegistry)
        registry['plone.portal_timezone'] = u'Asia/Kolkata'
        transaction.commit()
        uid = self.add()
        start, end = local(2007, 12, 31, 22, 58, 30), local(2007, 12, 31,
                                                            23, 1, 35)
        self.add_log(uid, start=start, date=end, status=model.WARN,
                     messages=[u'<b>careful</b>'])
        html = self.page(uid)
        self.assertIn('<th>Started</th><th>Ended</th><th>Duration</th>'
                      '<th>Status</th><th>Messages</th>',
                      re.sub(r'>\s+<', '><', html))
        cells = self.rows(html)[0]
        self.assertEqual(len(cells), 6)
        self.assertIn('name="logs_to_delete"', cells[0])
        self.assertEqual(cells[1:4], [
            '<td class="cron-log-start cron-nowrap">%s</td>' % self.shown(
                start),
            '<td class="cron-log-end cron-nowrap">%s</td>' % self.shown(end),
            '<td class="cron-log-duration cron-nowrap">3 min 05 s</td>'])
        self.assertTrue(self.shown(end).endswith(' Asia/Kolkata'))
        self.assertIn('cron-status cron-status-2">WARN</span>', cells[4])
        self.assertIn('&lt;b&gt;careful&lt;/b&gt;', cells[5])

    def test_newest_first_as_before(self):
        uid = self.add()
        for minute, seconds in ((0, 1), (1, 2), (2, 3)):
            self.add_log(uid, start=local(2007, 12, 31, 12, minute),
                         date=local(2007, 12, 31, 12, minute, seconds))
        durations = [re.sub('<[^>]+>', '', row[3])
                     for row in self.rows(self.page(uid))]
        self.assertEqual(durations, ['3 s', '2 s', '1 s'])

    def test_read_only_user_sees_no_checkbox(self):
        uid = self.add()
        self.add_log(uid, start=local(2007, 12, 31, 12, 0),
                     date=local(2007, 12, 31, 12, 0, 4))
        cells = self.rows(self.page(uid, 'viewer'))[0]
        self.assertEqual(len(cells), 5)
        self.assertEqual(cells[2], '<td class="cron-log-duration '
                         'cron-nowrap">4 s</td>')


class TestHistoryChart(HistoryPageTestCase):

    def test_no_chart_without_logs(self):
        html = self.page(self.add())
        self.assertIn('This cron has no log', html)
        self.assertNotIn('id="cron-history"', html)
        self.assertNotIn('<svg', html)

    def test_one_bar_per_log(self):
        uid = self.add(logs_limit=25)
        statuses = (model.OK, model.WARN, model.FAILURE, model.NOTRUN,
                    model.OK)
        for minute, status in enumerate(statuses):
            self.add_log(uid, status=status,
                         start=local(2007, 12, 31, 12, minute),
                         date=local(2007, 12, 31, 12, minute, 2 * minute))
        chart = self.chart(self.page(uid))
        bars = re.findall(r'<rect class="([^"]+)"[^>]*><title>([^<]*)'
                          r'</title></rect>', chart)
        self.assertEqual([css for css, title in bars], [
            'cron-bar cron-bar-%d' % status for status in statuses])
        self.assertEqual([title for css, title in bars], [
            '%s: %s, %d s' % (self.shown(local(2007, 12, 31, 12, minute,
                                               2 * minute)),
                              model.STATUS_TITLES[status], 2 * minute)
            for minute, status in enumerate(statuses)])
        self.assertEqual(chart.count('<title>'), len(statuses))
        self.assertIn('>8 s</text>', chart)

    def test_heights_on_the_page(self):
        uid = self.add()
        for seconds in (10, 5):
            self.add_log(uid, start=local(2007, 12, 31, 12, 0),
                         date=local(2007, 12, 31, 12, 0, seconds))
        heights = re.findall(r'<rect class="[^"]+" x="[^"]+" y="[^"]+" '
                             r'width="[^"]+" height="([^"]+)"',
                             self.chart(self.page(uid)))
        self.assertEqual(heights, [history.number(PLOT),
                                   history.number(PLOT / 2.0)])

    def test_accessible_name(self):
        uid = self.add(logs_limit=25)
        for minute, status in enumerate((model.OK, model.FAILURE,
                                         model.OK, model.NOTRUN)):
            self.add_log(uid, status=status,
                         start=local(2007, 12, 31, 12, minute),
                         date=local(2007, 12, 31, 12, minute, 12 - minute))
        html = self.page(uid)
        summary = 'Runs kept: 4 (2 OK, 1 FAILURE, 1 NOTRUN); longest: 12 s'
        chart = self.chart(html)
        self.assertIn('role="img"', chart)
        self.assertIn('aria-label="%s"' % summary, chart)
        self.assertIn('<span id="cron-history-summary">%s</span>' % summary,
                      html)
        # Plone's theme (lxml) writes viewbox: browsers read it as viewBox
        self.assertIn('width="600" height="120" viewbox="0 0 600 120"',
                      chart.lower())

    def test_2x_logs_without_start(self):
        uid = self.add(logs_limit=25)
        self.write_2x_logs(uid, [
            {'date': '2007-12-31 12:02:00', 'status': model.FAILURE,
             'messages': [u'<i>boom</i>']},
            {'date': '2007-12-31 12:01:00', 'status': model.OK,
             'messages': []}])
        self.assertEqual([log.start for log in self.cron(uid).logs],
                         [None, None])
        html = self.page(uid)
        rows = self.rows(html)
        self.assertEqual([row[1:4] for row in rows], [[
            '<td class="cron-log-start cron-nowrap"></td>',
            '<td class="cron-log-end cron-nowrap">%s</td>' % self.shown(
                local(2007, 12, 31, 12, minute)),
            '<td class="cron-log-duration cron-nowrap"></td>']
            for minute in (2, 1)])
        chart = self.chart(html)
        markers = re.findall(r'<circle class="([^"]+)"[^>]*><title>([^<]*)'
                             r'</title></circle>', chart)
        self.assertEqual(markers, [
            ('cron-bar cron-bar-1 cron-bar-marker', '%s: OK, duration '
             'unknown' % self.shown(local(2007, 12, 31, 12, 1))),
            ('cron-bar cron-bar-0 cron-bar-marker', '%s: FAILURE, duration '
             'unknown' % self.shown(local(2007, 12, 31, 12, 2)))])
        self.assertNotIn('<rect', chart)
        self.assertNotIn('cron-history-axis', chart)
        self.assertIn('Runs kept: 2 (1 OK, 1 FAILURE); no duration recorded',
                      chart)

    def test_the_kept_runs_also_the_folded_ones(self):
        uid = self.add(logs_limit=25)
        self.add_logs(uid, 24)
        html = self.page(uid)
        self.assertIn('Displaying 10/24 last logs', html)
        self.assertEqual(self.chart(html).count('<circle class="cron-bar '
                                                'cron-bar-2 cron-bar-marker"'),
                         24)

    def test_read_only_user_sees_the_chart(self):
        uid = self.add()
        self.add_log(uid, start=local(2007, 12, 31, 12, 0),
                     date=local(2007, 12, 31, 12, 0, 4))
        self.assertIn('<rect class="cron-bar cron-bar-1"',
                      self.page(uid, 'viewer'))


class TestHistoryInFrench(HistoryPageTestCase):

    def test_new_strings(self):
        registry = getUtility(IRegistry)
        registry['plone.available_languages'] = ['en', 'fr']
        registry['plone.use_request_negotiation'] = True
        transaction.commit()
        uid = self.add()
        self.add_log(uid, status=model.FAILURE,
                     date=local(2007, 12, 31, 11, 0))
        self.add_log(uid, start=local(2007, 12, 31, 12, 0),
                     date=local(2007, 12, 31, 12, 0, 7))
        browser = self.browser()
        browser.addHeader('Accept-Language', 'fr')
        browser.open(self.cron_url(uid))
        html = six.ensure_text(browser.contents)
        for text in (u'<th>D\xe9but</th>', u'<th>Fin</th>',
                     u'<th>Dur\xe9e</th>', u'dur\xe9e inconnue',
                     u'Ex\xe9cutions conserv\xe9es : 2 (1 OK, 1 \xc9CHEC) ; '
                     u'la plus longue : 7 s',
                     u'%s : \xc9CHEC, dur\xe9e inconnue' % six.ensure_text(
                         self.shown(local(2007, 12, 31, 11, 0))),
                     u'%s : OK, 7 s' % six.ensure_text(
                         self.shown(local(2007, 12, 31, 12, 0, 7)))):
            self.assertIn(text, html)
