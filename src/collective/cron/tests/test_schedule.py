# -*- coding: utf-8 -*-
"""Readable schedules (issue 15, item 5): a periodicity in words in English
and French (cron-descriptor), the next runs of a cron in its zone across
DST changes, and the ``@@cron-schedule`` JSON view of the forms over HTTP
(with the forms' script, the dashboard's and the cron page's texts)."""
import json
import unittest

import six
import transaction
from plone.registry.interfaces import IRegistry
from zope.component import getUtility

from collective.cron import crontab as model
from collective.cron import schedule
from collective.cron.schedule import describe
from collective.cron.registry import ZONE
from collective.cron.schedule import next_runs
from collective.cron.tests.base import utc
from collective.cron.tests.test_cronpage import CronPageTestCase
from collective.cron.tests.test_dashboard import ADMIN

PARIS = 'Europe/Paris'
SCRIPT = '++resource++collective.cron/cronform.js'


class TestDescribe(unittest.TestCase):

    def test_every_5_minutes(self):
        self.assertEqual(describe(u'*/5 * * * *', 'en'), u'Every 5 minutes')
        self.assertEqual(describe('*/5 * * * *', 'fr'),
                         u'Toutes les 5 minutes')

    def test_unicode_and_24_hours(self):
        text = describe(u'30 14 * * 1-5', 'fr')
        self.assertIsInstance(text, six.text_type)
        self.assertEqual(text, u'\xc0 14:30, de Monday \xe0 Friday')
        self.assertEqual(describe(u'30 14 * * 1-5', 'en'),
                         u'At 14:30, Monday through Friday')

    def test_language_codes(self):
        self.assertEqual(describe(u'0 * * * *', 'fr-ca'),
                         u'Toutes les heures')
        for language in ('en', 'en-us', 'de', '', None):
            self.assertEqual(describe(u'0 * * * *', language),
                             u'Every hour', language)

    def test_nicknames(self):
        self.assertEqual(describe(u'@daily', 'en'), u'At 00:00')
        self.assertEqual(describe(u'@midnight', 'fr'), u'\xc0 00:00')
        self.assertEqual(describe(u'@hourly', 'en'), u'Every hour')
        self.assertEqual(describe(u'@Weekly', 'en'),
                         u'At 00:00, only on Sunday')
        self.assertEqual(describe(u'@monthly', 'en'),
                         u'At 00:00, on day 1 of the month')
        for nickname in (u'@yearly', u'@annually'):
            self.assertEqual(
                describe(nickname, 'en'),
                u'At 00:00, on day 1 of the month, only in January')

    def test_sixth_field_is_seconds(self):
        self.assertEqual(describe(u'30 2 * * * 7', 'en'), u'At 02:30:07')

    def test_garbage_gives_nothing(self):
        for value in (u'garbage', u'', u'* * *', u'@reboot', u'0 0 31 2 *',
                      u'61 * * * *', None, 5, [u'*/5 * * * *'], u'\xe9'):
            self.assertEqual(describe(value, 'en'), u'', value)
            self.assertEqual(describe(value, 'fr'), u'', value)

    def test_described_once(self):
        schedule._descriptions.clear()
        calls = []
        original = schedule.describe_in

        def counting(periodicity, language):
            calls.append((periodicity, language))
            return original(periodicity, language)
        schedule.describe_in = counting
        try:
            for _ in range(3):
                describe(u'*/7 * * * *', 'en')
                describe(u'*/7 * * * *', 'fr')
        finally:
            schedule.describe_in = original
        self.assertEqual(calls, [(u'*/7 * * * *', 'en'),
                                 (u'*/7 * * * *', 'fr')])


class TestNextRuns(unittest.TestCase):

    def test_spring_forward_in_paris(self):
        runs = next_runs(u'30 2 * * *', zone=PARIS,
                         start=utc(2026, 3, 27, 12))
        self.assertEqual([run.isoformat() for run in runs], [
            '2026-03-28T02:30:00+01:00',
            '2026-03-29T03:00:00+02:00',  # 02:30 does not exist
            '2026-03-30T02:30:00+02:00',
            '2026-03-31T02:30:00+02:00',
            '2026-04-01T02:30:00+02:00'])

    def test_fall_back_in_paris_hourly(self):
        runs = next_runs(u'@hourly', zone=PARIS, start=utc(2026, 10, 24, 23))
        self.assertEqual([run.isoformat() for run in runs], [
            '2026-10-25T02:00:00+02:00',
            '2026-10-25T02:00:00+01:00',  # the repeated hour, not skipped
            '2026-10-25T03:00:00+01:00',
            '2026-10-25T04:00:00+01:00',
            '2026-10-25T05:00:00+01:00'])

    def test_a_cron_in_its_zone(self):
        crontab = model.Crontab(timezone=u'America/New_York')
        cron = model.Cron(name=u'x', periodicity=u'0 9 * * *')
        crontab.add_cron(cron)
        runs = next_runs(cron, 2, start=utc(2026, 3, 7, 12))
        self.assertEqual([run.isoformat() for run in runs], [
            '2026-03-07T09:00:00-05:00', '2026-03-08T09:00:00-04:00'])
        cron.timezone = PARIS
        self.assertEqual(next_runs(cron, 1, start=utc(2026, 3, 7, 12))[0]
                         .isoformat(), '2026-03-08T09:00:00+01:00')

    def test_count_and_invalid(self):
        self.assertEqual(len(next_runs(u'*/5 * * * *')), 5)
        self.assertEqual(len(next_runs(u'*/5 * * * *', 2)), 2)
        self.assertEqual(next_runs(u'garbage', zone=PARIS), [])
        self.assertEqual(next_runs(u'0 0 31 2 *'), [])


def allow_french():
    """Let Plone negotiate French from the request's Accept-Language."""
    registry = getUtility(IRegistry)
    registry['plone.available_languages'] = ['en', 'fr']
    registry['plone.use_request_negotiation'] = True
    transaction.commit()


class TestScheduleView(CronPageTestCase):

    def schedule_url(self, periodicity, zone=None):
        url = '%s/@@cron-schedule?periodicity=%s' % (
            self.portal.absolute_url(), periodicity.replace(' ', '+'))
        return url + ('&zone=' + zone if zone else '')

    def answer(self, periodicity, zone=None, user=ADMIN, language=None):
        browser = self.browser(user)
        if language:
            browser.addHeader('Accept-Language', language)
        browser.open(self.schedule_url(periodicity, zone))
        self.assertEqual(browser.headers['content-type'],
                         'application/json; charset=utf-8')
        self.assertEqual(browser.headers['cache-control'], 'no-store')
        return json.loads(browser.contents)

    def test_valid(self):
        answer = self.answer(u'*/5 * * * *', PARIS)
        self.assertEqual(answer, {
            u'periodicity': u'*/5 * * * *', u'valid': True, u'error': None,
            u'text': u'Every 5 minutes', u'zone': PARIS,
            u'next': [u'2008-01-01T01:05:00+01:00',
                      u'2008-01-01T01:10:00+01:00',
                      u'2008-01-01T01:15:00+01:00',
                      u'2008-01-01T01:20:00+01:00',
                      u'2008-01-01T01:25:00+01:00']})

    def test_french(self):
        allow_french()
        answer = self.answer(u'*/5 * * * *', PARIS, language='fr')
        self.assertEqual(answer[u'text'], u'Toutes les 5 minutes')

    def test_nickname(self):
        answer = self.answer(u'@daily', 'America/New_York')
        self.assertEqual((answer[u'valid'], answer[u'text']),
                         (True, u'At 00:00'))
        self.assertEqual(answer[u'next'][:2], [u'2008-01-01T00:00:00-05:00',
                                               u'2008-01-02T00:00:00-05:00'])

    def test_invalid(self):
        answer = self.answer(u'61 * * * *', PARIS)
        self.assertEqual((answer[u'valid'], answer[u'text'], answer[u'next']),
                         (False, u'', []))
        self.assertIn(u'not valid cron syntax', answer[u'error'])
        answer = self.answer(u'0 0 31 2 *')
        self.assertIn(u'it never occurs', answer[u'error'])

    def test_unknown_zone_is_the_crontabs(self):
        getUtility(IRegistry)[ZONE] = six.ensure_text(PARIS, 'ascii')
        transaction.commit()
        answer = self.answer(u'@hourly', u'Nowhere/Atlantis')
        self.assertEqual(answer[u'zone'], PARIS)
        self.assertEqual(answer[u'next'][0], u'2008-01-01T02:00:00+01:00')

    def test_anonymous_and_members_refused(self):
        refusals = {None: '/login?came_from=', 'member': 'Insufficient'}
        for user, refusal in refusals.items():
            browser = self.browser(user)
            browser.raiseHttpErrors = False
            browser.open(self.schedule_url(u'*/5 * * * *'))
            self.assertNotIn('"valid"', browser.contents, user)
            self.assertIn(refusal, browser.url + browser.contents, user)

    def test_read_only_role_may_read_it(self):
        self.assertTrue(self.answer(u'@daily', user='viewer')[u'valid'])

    def test_get_writes_nothing(self):
        for user in (ADMIN, 'viewer', 'member', None):
            browser = self.browser(user)
            browser.open(self.portal.absolute_url())  # Plone's first visit
            before = self.main_db_serial()
            browser.raiseHttpErrors = False
            browser.open(self.schedule_url(u'*/5 * * * *'))
            self.assertEqual(self.main_db_serial(), before, user)


class TestPages(CronPageTestCase):

    def test_forms_include_the_script(self):
        uid = self.add()
        browser = self.browser()
        for url in (self.dashboard + '/add',
                    self.cron_url(uid) + '/edit'):
            browser.open(url)
            self.assertIn(SCRIPT, browser.contents, url)
            self.assertIn('id="cron-schedule-preview"', browser.contents)
            self.assertIn('/@@cron-schedule"', browser.contents)

    def test_edit_form_sends_the_crons_zone(self):
        uid = self.add(timezone=PARIS)
        browser = self.browser()
        browser.open(self.cron_url(uid) + '/edit')
        self.assertIn('data-zone="Europe/Paris"', browser.contents)

    def test_dashboard_shows_the_text(self):
        self.add()
        browser = self.browser()
        browser.open(self.dashboard)
        self.assertIn('<code>*/5 * * * *</code><span class="cron-schedule">'
                      ' (Every 5 minutes)</span>', browser.contents)
        allow_french()
        browser = self.browser()
        browser.addHeader('Accept-Language', 'fr')
        browser.open(self.dashboard)
        self.assertIn('(Toutes les 5 minutes)', browser.contents)

    def test_cron_page_shows_the_text_and_next_runs(self):
        uid = self.add(periodicity=u'@hourly')
        browser = self.browser()
        browser.open(self.cron_url(uid))
        self.assertIn('(Every hour)', browser.contents)
        runs = [self.shown(utc(2008, 1, 1, hour)) for hour in range(1, 6)]
        self.assertIn('<li>%s</li>' % runs[0], browser.contents)
        self.assertIn('<li>%s</li>' % runs[4], browser.contents)
        self.assertIn('Next runs', browser.contents)
        allow_french()
        browser = self.browser()
        browser.addHeader('Accept-Language', 'fr')
        browser.open(self.cron_url(uid))
        self.assertIn('(Toutes les heures)', browser.contents)
        self.assertIn('Prochaines ex\xc3\xa9cutions', browser.contents)
