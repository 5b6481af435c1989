# -*- coding: utf-8 -*-
"""A cron's page (issue 14), through a browser: its summary (next run, last
run), the JSON view its script polls after *Run now*, the script itself,
the viewlet managers of add-on actions (with the example of the test
fixture), messages and confirmations.
"""
import json
import re
import uuid

import six
import transaction
from plone.browserlayer.utils import register_layer
from plone.browserlayer.utils import unregister_layer
from plone.registry.interfaces import IRegistry
from zope.component import getUtility
from zope.component.hooks import setSite

from collective.cron import crontab as model
from collective.cron.browser import actions
from collective.cron.browser.base import SiteTime
from collective.cron.browser.status import iso
from collective.cron.tests.cronactions import IExampleLayer
from collective.cron.tests.cronactions import LAYER_NAME
from collective.cron.tests.test_dashboard import ADMIN
from collective.cron.tests.test_dashboard import DashboardTestCase
from collective.cron.tests.test_dashboard import RELEASE
from collective.cron.tests.test_dashboard import local
from collective.cron.testing import wait_for

SCRIPT = '++resource++collective.cron/cronpage.js'
#: plone.protect's token in a page (it changes between two pages)
TOKEN = re.compile(r'(_authenticator" value|_authenticator|data-token)='
                   r'"?[0-9a-f]+')


class CronPageTestCase(DashboardTestCase):

    def status_url(self, uid):
        return '%s/@@cron-status?uid=%s' % (self.portal.absolute_url(),
                                            str(uid))

    def status(self, uid, user=ADMIN):
        browser = self.browser(user)
        browser.open(self.status_url(uid))
        return json.loads(browser.contents)

    def add_log(self, uid, **kwargs):
        crontab = self.crontab()
        crontab.crons[uid].log(**kwargs)
        crontab.save()
        transaction.commit()

    def shown(self, value):
        """How the pages show a date: in the site's zone, named."""
        setSite(self.portal)
        return six.ensure_str(SiteTime(self.portal).show(value))

    def main_db_serial(self):
        return self.layer['portal']._p_jar.db().lastTransaction()


class TestStatusView(CronPageTestCase):

    def test_content(self):
        uid = self.add(u'dashboard-ok')
        self.add_log(uid, date=local(2007, 12, 31, 23, 0), status=model.WARN,
                     messages=[u'<b>careful</b>'])
        browser = self.browser()
        browser.open(self.status_url(uid))
        self.assertEqual(browser.headers['content-type'],
                         'application/json; charset=utf-8')
        self.assertEqual(browser.headers['cache-control'], 'no-store')
        status = json.loads(browser.contents)
        self.assertEqual(status['uid'], uid)
        self.assertEqual(status['name'], u'dashboard-ok')
        self.assertFalse(status['busy'])
        self.assertEqual(status['queue'], {u'state': u'queued',
                                           u'next': u'2008-01-01T00:05:00Z'})
        self.assertEqual(status['logs'], 1)
        last = status['last']
        self.assertEqual((last['status'], last['title'], last['messages']),
                         (model.WARN, u'WARN', [u'<b>careful</b>']))
        self.assertEqual(last['end'], iso(local(2007, 12, 31, 23, 0)))

    def test_no_log_and_not_queued(self):
        uid = self.add(activated=False)
        status = self.status(uid)
        self.assertEqual(status['queue'], {u'state': u'not-queued',
                                           u'next': None})
        self.assertEqual((status['logs'], status['last'], status['busy']),
                         (0, None, False))

    def test_busy_while_running_then_the_result(self):
        uid = self.add(u'dashboard-block')
        browser = self.browser()
        browser.open(self.cron_url(uid))
        browser.getControl('Run now').click()
        self.assertTrue(self.status(uid)['busy'])
        wait_for(lambda: self.queue.is_running(uid), 15, 'the job to run')
        status = self.status(uid)
        self.assertEqual((status['busy'], status['queue']['state']),
                         (True, u'running'))
        RELEASE.set()
        self.wait_logs(uid, 1)
        self.wait_idle(uid)
        status = self.status(uid)
        self.assertFalse(status['busy'])
        self.assertEqual(status['last']['title'], u'OK')
        self.assertEqual(status['queue']['next'], u'2008-01-01T00:05:00Z')

    def test_unknown_uid(self):
        self.add()
        browser = self.browser()
        browser.raiseHttpErrors = False
        for query in ('?uid=nosuchuid', '', '?uid=a&uid=b'):
            browser.open(self.portal.absolute_url() + '/@@cron-status' +
                         query)
            self.assertEqual(browser.headers['status'], '404 Not Found')
            self.assertEqual(json.loads(browser.contents),
                             {u'error': u'not found'})

    def answer(self, user, uid):
        browser = self.browser(user)
        browser.raiseHttpErrors = False
        browser.open(self.status_url(uid))
        html = TOKEN.sub('TOKEN', browser.contents.replace(str(uid), 'UID'))
        return (browser.headers['status'],
                browser.url.replace(str(uid), 'UID'), html.splitlines())

    def test_refused_alike_for_existing_and_missing_uids(self):
        uid = self.add()
        missing = uuid.uuid4().hex
        for user in (None, 'member'):
            existing = self.answer(user, uid)
            self.assertNotIn('dashboard-ok', '\n'.join(existing[2]))
            self.assertEqual(existing, self.answer(user, missing), user)
        self.assertIn('/login?came_from=', self.answer(None, uid)[1])
        self.assertIn('Insufficient Privileges',
                      '\n'.join(self.answer('member', uid)[2]))

    def test_read_only_role_may_read_it(self):
        uid = self.add()
        self.assertEqual(self.status(uid, 'viewer')['uid'], uid)
        self.assertEqual(self.status(uid, 'cronmanager')['uid'], uid)

    def test_get_writes_nothing(self):
        uid = self.add(u'dashboard-block')
        self.add_log(uid, date=local(2007, 12, 31, 23, 0))
        for user in (ADMIN, 'viewer', 'member', None):
            browser = self.browser(user)
            browser.open(self.portal.absolute_url())  # Plone's first visit
            before = self.main_db_serial()
            browser.raiseHttpErrors = False
            browser.open(self.status_url(uid))
            self.assertEqual(self.main_db_serial(), before, user)


class TestFollowScript(CronPageTestCase):

    def test_the_cron_page_loads_the_script(self):
        uid = self.add()
        browser = self.browser()
        browser.open(self.cron_url(uid))
        src = '%s/%s' % (self.portal.absolute_url(), SCRIPT)
        self.assertIn('<script type="text/javascript" src="%s"></script>'
                      % src, browser.contents)
        self.assertIn('data-status-url="%s"' % self.status_url(uid),
                      browser.contents)
        self.assertIn('data-busy="0"', browser.contents)
        browser.open(src)
        self.assertIn("getElementById('cron-follow')", browser.contents)
        self.assertIn('INTERVAL = 2000', browser.contents)
        browser.open(self.dashboard)
        self.assertNotIn(SCRIPT, browser.contents)

    def test_run_now_makes_the_page_follow_the_run(self):
        uid = self.add(u'dashboard-block')
        browser = self.browser()
        browser.open(self.cron_url(uid))
        browser.getControl('Run now').click()
        self.assertIn('data-busy="1"', browser.contents)
        for part in ('cron-summary', 'cron-logs-section'):
            self.assertIn('id="%s" data-cron-part="1"' % part,
                          browser.contents)
        RELEASE.set()
        self.wait_logs(uid, 1)
        self.wait_idle(uid)
        browser.open(self.cron_url(uid))
        self.assertIn('data-busy="0"', browser.contents)

    def test_read_only_user_sees_the_follow_box(self):
        uid = self.add()
        browser = self.browser('viewer')
        browser.open(self.cron_url(uid))
        self.assertIn('id="cron-follow"', browser.contents)
        self.assertNotIn('Run now', browser.contents)


class TestSummary(CronPageTestCase):

    def test_last_run_and_next_run(self):
        uid = self.add()
        browser = self.browser()
        browser.open(self.cron_url(uid))
        self.assertIn('id="cron-last-run"', browser.contents)
        self.assertIn('never', browser.contents)
        self.add_log(uid, date=local(2007, 12, 31, 23, 0),
                     status=model.FAILURE)
        browser.open(self.cron_url(uid))
        html = browser.contents
        row = html[html.index('id="cron-last-run"'):]
        row = row[:row.index('</tr>')]
        self.assertIn('cron-status cron-status-0">FAILURE</span>', row)
        self.assertIn(self.shown(local(2007, 12, 31, 23, 0)), row)


class TestRunResult(CronPageTestCase):

    def test_start_end_and_duration(self):
        uid = self.add()
        self.add_log(uid, start=local(2007, 12, 31, 22, 58, 30),
                     date=local(2007, 12, 31, 23, 1, 35), status=model.OK)
        browser = self.browser()
        browser.open(self.cron_url(uid))
        html = browser.contents
        row = html[html.index('id="cron-last-run"'):]
        row = row[:row.index('</tr>')]
        self.assertIn('started <span class="cron-nowrap">%s</span>' % (
            self.shown(local(2007, 12, 31, 22, 58, 30))), row)
        self.assertIn('ended <span class="cron-nowrap">%s</span>' % (
            self.shown(local(2007, 12, 31, 23, 1, 35))), row)
        self.assertIn('(duration: 3 min 05 s)', row)
        status = self.status(uid)['last']
        self.assertEqual((status['start'], status['duration']),
                         (iso(local(2007, 12, 31, 22, 58, 30)), 185))

    def test_a_run_records_its_start(self):
        uid = self.add()
        browser = self.browser()
        browser.open(self.cron_url(uid))
        browser.getControl('Run now').click()
        self.wait_logs(uid, 1)
        self.wait_idle(uid)
        last = self.status(uid)['last']
        self.assertEqual(last['start'], last['end'])
        self.assertEqual(last['duration'], 0)
        browser.open(self.cron_url(uid))
        self.assertIn('(duration: 0 s)', browser.contents)

    def test_dates_in_the_site_zone(self):
        registry = getUtility(IRegistry)
        registry['plone.portal_timezone'] = u'Asia/Kolkata'
        transaction.commit()
        uid = self.add()
        self.add_log(uid, date=local(2007, 12, 31, 23, 0))
        browser = self.browser()
        browser.open(self.cron_url(uid))
        self.assertIn('2008-01-01 05:35 Asia/Kolkata', browser.contents)
        self.assertIn('next job at <span class="cron-nowrap">'
                      '2008-01-01 05:35 Asia/Kolkata</span>',
                      browser.contents)
        self.assertIn(self.shown(local(2007, 12, 31, 23, 0)),
                      browser.contents)
        self.assertIn(' Asia/Kolkata</td>', browser.contents)


class TestMessagesAndConfirmations(CronPageTestCase):

    def test_chrome(self):
        uid = self.add()
        browser = self.browser()
        browser.open(self.cron_url(uid))
        self.assertEqual(browser.getLink(id='setup-link').url,
                         self.portal.absolute_url() +
                         '/@@overview-controlpanel')
        self.assertEqual(browser.getLink(id='cron-dashboard-link').url,
                         self.dashboard)
        html = browser.contents
        self.assertIn('<button type="submit" name="form.button.run" '
                      'class="context">', html)
        self.assertIn('portletNavigationTree', html)

    def test_run_now_names_the_cron(self):
        uid = self.add(u'nightly-report', activated=True)
        browser = self.browser()
        browser.open(self.cron_url(uid))
        browser.getControl('Run now').click()
        self.message(browser, '"nightly-report" queued to run now')

    def message(self, browser, text):
        html = browser.contents.replace('&#34;', '"').replace('&quot;', '"')
        self.assertIn(text, html)

    def test_delete_asks_then_deletes(self):
        uid, other = self.add(u'nightly-report'), self.add(u'dashboard-ok')
        browser = self.browser()
        browser.open(self.cron_url(uid))
        browser.getControl('Delete', index=0).click()
        self.message(browser, 'Delete the cron "nightly-report"?')
        self.assertIn(uid, self.crontab().crons)
        self.assertTrue(self.queue.is_present(uid))
        browser.getControl(name='cron_confirmed').click()
        self.assertEqual(browser.url, self.dashboard)
        self.message(browser, '"nightly-report" was deleted')
        self.assertEqual(list(self.crontab().crons), [other])
        self.assertFalse(self.queue.is_present(uid))

    def test_cancel(self):
        uid = self.add(u'nightly-report')
        self.add_logs(uid, 2)
        browser = self.browser()
        browser.open(self.cron_url(uid))
        browser.getControl('Delete', index=0).click()
        browser.getControl(name='cron_cancel').click()
        self.assertEqual(browser.url, self.cron_url(uid))
        self.assertIn('Cancelled', browser.contents)
        self.assertIn(uid, self.crontab().crons)
        browser.getControl(name='logs_to_delete').value = ['0']
        browser.getControl(name='form.button.deletelogs', index=0).click()
        browser.getControl(name='cron_cancel').click()
        self.assertIn('Cancelled', browser.contents)
        self.assertEqual(len(self.cron(uid).logs), 2)

    def test_delete_selected_logs_asks_first(self):
        uid = self.add(u'nightly-report')
        self.add_logs(uid, 3)
        browser = self.browser()
        browser.open(self.cron_url(uid))
        browser.getControl(name='logs_to_delete').value = ['0', '2']
        browser.getControl(name='form.button.deletelogs', index=1).click()
        self.message(browser, 'Delete 2 log(s) of "nightly-report"?')
        items = browser.contents[browser.contents.index(
            'id="cron-confirm-items"'):]
        items = items[:items.index('</ul>')]
        for minute in (2, 0):
            self.assertIn(self.shown(local(2007, 12, 31, 12, minute)), items)
        self.assertEqual(len(self.cron(uid).logs), 3)
        browser.getControl(name='cron_confirmed').click()
        self.assertEqual(browser.url, self.cron_url(uid))
        self.message(browser, '"nightly-report": 2 log(s) deleted')
        self.assertEqual([log.messages for log in self.cron(uid).logs],
                         [[u'log 1']])

    def test_delete_all_logs_asks_first(self):
        uid = self.add(u'nightly-report')
        self.add_logs(uid, 3)
        browser = self.browser()
        browser.open(self.cron_url(uid))
        browser.getControl('Select all logs').selected = True
        browser.getControl(name='form.button.deletelogs', index=0).click()
        self.message(browser, 'Delete all 3 logs of "nightly-report"?')
        self.assertEqual(len(self.cron(uid).logs), 3)
        browser.getControl(name='cron_confirmed').click()
        self.message(browser, '"nightly-report": all logs deleted')
        self.assertEqual(self.cron(uid).logs, [])

    def test_nothing_selected_does_not_ask(self):
        uid = self.add()
        self.add_logs(uid, 2)
        browser = self.browser()
        browser.open(self.cron_url(uid))
        browser.getControl(name='form.button.deletelogs', index=0).click()
        self.assertIn('Select the logs to delete.', browser.contents)
        self.assertNotIn('cron_confirmed', browser.contents)

    def test_2x_requests_act_at_once(self):
        uid = self.add(u'nightly-report')
        self.add_logs(uid, 3)
        browser = self.browser()
        browser.open(self.cron_url(uid))
        browser.getControl(name='logs_to_delete').value = ['1']
        browser.getControl(name='logdelete').click()
        self.assertIn('Selected logs have been deleted (1).',
                      browser.contents)
        browser.getControl(name='cron_action').value = 'delete-cron'
        browser.getForm(id='cron_action_form').submit()
        self.assertIn('Cron %s/nightly-report was deleted' % str(uid),
                      browser.contents)
        self.assertEqual(self.crontab().crons, {})

    def test_read_only_user_sees_no_button(self):
        uid = self.add()
        self.add_logs(uid, 2)
        browser = self.browser('viewer')
        browser.open(self.cron_url(uid))
        html = browser.contents
        for name in ('form.button', 'logdelete', 'cron_action',
                     'logs_to_delete', 'alllogs_to_delete', 'id="edit-cron"'):
            self.assertNotIn(name, html)


class TestFrench(CronPageTestCase):

    def test_new_strings(self):
        registry = getUtility(IRegistry)
        registry['plone.available_languages'] = ['en', 'fr']
        registry['plone.use_request_negotiation'] = True
        transaction.commit()
        uid = self.add(u'nightly-report')
        browser = self.browser()
        browser.addHeader('Accept-Language', 'fr')
        browser.open(self.cron_url(uid))
        html = six.ensure_text(browser.contents)
        self.assertIn(u'<td class="cron-off-text">jamais</td>', html)
        self.assertIn(u"L'ex\xe9cution n'est pas termin\xe9e", html.replace(
            u'&#39;', u"'"))
        browser.getControl(name='form.button.delete').click()
        self.assertIn(u'Supprimer la t\xe2che \xab nightly-report \xbb ?',
                      six.ensure_text(browser.contents))
        browser.getControl(name='cron_confirmed').click()
        self.assertIn(u'La t\xe2che \xab nightly-report \xbb a '
                      u'\xe9t\xe9 supprim', six.ensure_text(browser.contents))


class TestAddonActions(CronPageTestCase):
    """The example viewlet of the test fixture (tests/cronactions.py)."""

    def enable_example(self):
        setSite(self.portal)
        register_layer(IExampleLayer, LAYER_NAME)
        transaction.commit()

    def disable_example(self):
        setSite(self.portal)
        unregister_layer(LAYER_NAME)
        transaction.commit()

    def links(self, html):
        return html.count('class="cron-example-status"')

    def test_not_shown_without_the_add_on(self):
        uid = self.add()
        browser = self.browser()
        browser.open(self.cron_url(uid))
        self.assertEqual(self.links(browser.contents), 0)
        browser.open(self.dashboard)
        self.assertEqual(self.links(browser.contents), 0)

    def test_on_the_cron_page(self):
        uid = self.add()
        self.enable_example()
        for user in (ADMIN, 'viewer'):
            browser = self.browser(user)
            browser.open(self.cron_url(uid))
            html = browser.contents
            self.assertEqual(self.links(html), 1)
            actions_area = html[html.index('id="cron-page-actions"'):]
            actions_area = actions_area[:actions_area.index(
                'id="cron-addon-actions"') + 400]
            self.assertIn('cron-example-status', actions_area)
            link = browser.getLink('JSON status')
            self.assertEqual(link.url, self.status_url(uid))
            link.click()
            self.assertEqual(json.loads(browser.contents)['uid'], uid)

    def test_in_each_row_of_the_dashboard(self):
        uids = [self.add(), self.add(u'dashboard-html')]
        self.enable_example()
        browser = self.browser()
        browser.open(self.dashboard)
        self.assertEqual(self.links(browser.contents), 2)
        for index, uid in enumerate(uids):
            self.assertEqual(browser.getLink('JSON status', index=index).url,
                             self.status_url(uid))
        self.disable_example()
        browser.open(self.dashboard)
        self.assertEqual(self.links(browser.contents), 0)

    def test_rows_look_for_viewlets_once(self):
        for index in range(5):
            self.add(u'dashboard-ok')
        calls = []
        original = actions.has_viewlets

        def counted(manager):
            calls.append(manager.row['uid'])
            return original(manager)
        actions.has_viewlets = counted
        try:
            browser = self.browser()
            browser.open(self.dashboard)
        finally:
            actions.has_viewlets = original
        self.assertEqual(browser.contents.count('class="cron-link"'), 5)
        self.assertEqual(len(calls), 1)
