# -*- coding: utf-8 -*-
"""The Cron Dashboard as a Plone integrator expects it (issue 14).

Through the test browser: the control panel's chrome, confirmation of
destructive actions (and Cancel) while 2.x's requests act at once, the
row buttons (Run now, activate/deactivate), the columns (last status, end,
duration, next run, in the site's time zone, named), the warnings for
duplicate names and names that match no runner (at save time and on the
dashboard), what the read-only role sees and may post, and French.
The model's part: a log's start, recorded by the job wrapper.
"""
import datetime
import unittest

import pytz
import six
import transaction
from plone.registry.interfaces import IRegistry
from Products.CMFCore.interfaces import ISiteRoot
from six.moves.urllib.parse import urlencode
from zope.component import getUtility
from zope.component import provideAdapter
from zope.component.globalregistry import getGlobalSiteManager
from zope.component.hooks import setSite
from zope.testbrowser.browser import LinkNotFoundError

from collective.cron import crontab as model
from collective.cron.browser.base import SiteTime
from collective.cron.browser.base import server_zone
from collective.cron.browser.dashboard import duration_text
from collective.cron.crontab import Cron
from collective.cron.crontab import Log
from collective.cron.crontab import Runner
from collective.cron.interfaces import ICron
from collective.cron.interfaces import IJobRunner
from collective.cron.job import has_runner
from collective.cron.testing import COLLECTIVE_CRON_INTEGRATION_TESTING
from collective.cron.testing import set_now
from collective.cron.tests.test_dashboard import SITE_SETUP_CHROME
from collective.cron.tests.test_dashboard import DashboardTestCase
from collective.cron.tests.test_dashboard import local
from collective.cron.tests.test_dashboard import native
from collective.cron.tests.test_dashboard import utc
from collective.cron.tests.test_dashboard import without_filter
from collective.cron.tests.test_security import SecurityTestCase
from collective.cron.utils import to_local

TIMEZONE = 'plone.portal_timezone'


class SlowRunner(Runner):
    """Takes 90 s of the test clock: OK."""

    def run(self):
        set_now(datetime.datetime.now(pytz.UTC) +
                datetime.timedelta(seconds=90))


def status(browser):
    return browser.headers['status'].split()[0]


class TestLogStart(unittest.TestCase):
    """Log.start: optional, dumped only when set (2.x's logs unchanged)."""

    def test_2x_positional_api_and_dump(self):
        log = Log(local(2008, 1, 1, 3, 0), model.WARN, [u'one'])
        self.assertIsNone(log.start)
        self.assertIsNone(log.duration)
        self.assertEqual(log.dump(), {'date': '2008-01-01 03:00:00',
                                      'status': model.WARN,
                                      'messages': [u'one']})

    def test_2x_dump_loads_and_dumps_unchanged(self):
        data = {'date': '2008-01-01 03:00:00', 'status': 1,
                'messages': [u'x']}
        self.assertEqual(Log.load(data).dump(), data)

    def test_start_dumped_loaded_and_duration(self):
        log = Log(local(2008, 1, 1, 3, 2, 5), model.OK, [],
                  start=local(2008, 1, 1, 3, 0, 0))
        data = log.dump()
        self.assertEqual(data['start'], '2008-01-01 03:00:00')
        loaded = Log.load(data)
        self.assertEqual(loaded.start, local(2008, 1, 1, 3, 0, 0))
        self.assertEqual(loaded.duration, datetime.timedelta(seconds=125))
        self.assertEqual(duration_text(loaded), u'2 min 05 s')

    def test_an_aware_start_is_local_time(self):
        log = Log(utc(2008, 1, 1, 3, 0, 9), start=utc(2008, 1, 1, 3, 0, 0))
        self.assertEqual(log.start, to_local(utc(2008, 1, 1, 3, 0, 0)))
        self.assertEqual(duration_text(log), u'9 s')

    def test_bad_start_is_refused(self):
        with self.assertRaises(model.InvalidLogValue):
            Log(local(2008, 1, 1), start=u'yesterday')

    def test_cron_log_keeps_the_start(self):
        cron = Cron(name=u'x', periodicity=u'* * * * *')
        cron.log(local(2008, 1, 1, 4), model.OK, [], local(2008, 1, 1, 2))
        self.assertEqual(duration_text(cron.logs[0]), u'2 h 00 min')
        self.assertEqual(Cron.load(cron.dump()).logs[0].start,
                         local(2008, 1, 1, 2))

    def test_durations(self):
        for seconds, shown in ((0, u'0 s'), (59, u'59 s'),
                               (60, u'1 min 00 s'), (3599, u'59 min 59 s'),
                               (3600 * 25 + 60, u'25 h 01 min')):
            start = local(2008, 1, 1)
            log = Log(start + datetime.timedelta(seconds=seconds),
                      start=start)
            self.assertEqual(duration_text(log), shown)
        self.assertEqual(duration_text(None), u'')


class TestHasRunner(unittest.TestCase):
    """job.has_runner: the one place that says whether a name runs."""

    layer = COLLECTIVE_CRON_INTEGRATION_TESTING

    def cron(self, name):
        return Cron(name=name, periodicity=u'* * * * *')

    def test_names(self):
        portal = self.layer['portal']
        setSite(portal)
        found = has_runner(portal, self.cron(u'portal_catalog/refreshCatalog'))
        self.assertTrue(found)
        self.assertTrue(has_runner(portal, self.cron(
            u'/portal_catalog/refreshCatalog')))
        for name in (u'no-such-runner', u'title', u'/', u'a/b/c',
                     u'portal_catalog/no_such_method'):
            self.assertFalse(has_runner(portal, self.cron(name)), name)


class UITestCase(DashboardTestCase):

    def setUp(self):
        super(UITestCase, self).setUp()
        provideAdapter(SlowRunner, (ISiteRoot, ICron), IJobRunner,
                       name=u'dashboard-slow')

    def tearDown(self):
        getGlobalSiteManager().unregisterAdapter(
            SlowRunner, (ISiteRoot, ICron), IJobRunner, name=u'dashboard-slow')
        super(UITestCase, self).tearDown()

    def set_zone(self, name):
        getUtility(IRegistry)[TIMEZONE] = name
        transaction.commit()

    def french(self):
        registry = getUtility(IRegistry)
        registry['plone.available_languages'] = ['en', 'fr']
        registry['plone.use_request_negotiation'] = True
        transaction.commit()
        browser = self.browser()
        browser.addHeader('Accept-Language', 'fr')
        return browser

    def log(self, uid, **kwargs):
        crontab = self.crontab()
        crontab.crons[uid].log(**kwargs)
        crontab.save()
        transaction.commit()


class TestChrome(UITestCase):

    def assert_site_setup(self, browser):
        self.assertEqual(
            browser.getLink(id='setup-link').url,
            self.portal.absolute_url() + '/@@overview-controlpanel')
        self.assertIn(SITE_SETUP_CHROME, browser.contents)

    def test_dashboard_and_forms_in_site_setup(self):
        uid = self.add()
        browser = self.browser()
        browser.open(self.dashboard)
        self.assert_site_setup(browser)
        self.assertIn('class="plone-btn plone-btn-primary context btn '
                      'btn-primary" '
                      'id="cron-add"', browser.contents)
        browser.getLink('Add a task').click()
        self.assert_site_setup(browser)
        self.assertIn('context', browser.getControl(
            name='form.buttons.add')._elem['class'])
        self.assertIn('standalone', browser.getControl(
            name='form.buttons.cancel')._elem['class'])
        browser.open(self.cron_url(uid) + '/edit')
        self.assert_site_setup(browser)
        self.assertIn('context', browser.getControl(
            name='form.buttons.apply')._elem['class'])


class TestConfirmations(UITestCase):

    def test_delete_asks_then_deletes(self):
        uid = self.add(u'<b>bold</b>')
        other = self.add(u'dashboard-html')
        browser = self.browser()
        browser.open(self.dashboard)
        browser.getControl(name='uids_to_delete').value = [uid]
        browser.getControl('Delete the selected crons').click()
        self.assertEqual(browser.url, self.dashboard + '/process_multiple')
        self.assertIn('Delete 1 cron(s)?', browser.contents)
        self.assertIn('<li>&lt;b&gt;bold&lt;/b&gt;</li>', browser.contents)
        self.assertEqual(sorted(self.crontab().crons), sorted([uid, other]))
        self.assert_site_setup_chrome(browser)
        browser.getControl('Delete', index=0).click()
        self.assertEqual(browser.url, self.dashboard)
        self.assertIn('"&lt;b&gt;bold&lt;/b&gt;" was deleted',
                      browser.contents)
        self.assertEqual(list(self.crontab().crons), [other])
        self.assertFalse(self.queue.is_present(uid))

    def assert_site_setup_chrome(self, browser):
        self.assertIn('id="setup-link"', browser.contents)

    def test_delete_cancelled(self):
        uids = [self.add(), self.add(u'dashboard-html')]
        browser = self.browser()
        browser.open(self.dashboard)
        browser.getControl(name='uids_to_delete').value = uids
        browser.getControl('Delete the selected crons').click()
        self.assertIn('Delete 2 cron(s)?', browser.contents)
        browser.getControl('Cancel').click()
        self.assertEqual(browser.url, self.dashboard)
        self.assertIn('Cancelled', browser.contents)
        self.assertEqual(sorted(self.crontab().crons), sorted(uids))
        self.assertEqual(len(self.pending()), 2)

    def test_delete_without_selection_does_not_ask(self):
        uid = self.add()
        browser = self.browser()
        browser.open(self.dashboard)
        browser.getControl('Delete the selected crons').click()
        self.assertEqual(browser.url, self.dashboard)
        self.assertIn('Select the crons to delete.', browser.contents)
        self.assertEqual(list(self.crontab().crons), [uid])

    def test_deactivating_the_crontab_asks(self):
        self.add()
        browser = self.browser()
        browser.open(self.dashboard)
        browser.getControl('Deactivate the crontab').click()
        self.assertIn('Deactivate the crontab?', browser.contents)
        self.assertTrue(self.crontab().activated)
        browser.getControl('Cancel').click()
        self.assertIn('Cancelled', browser.contents)
        self.assertTrue(self.crontab().activated)
        browser.getControl('Deactivate the crontab').click()
        browser.getControl('Deactivate the crontab').click()
        self.assertEqual(browser.url, self.dashboard)
        self.assertIn('The crontab was deactivated', browser.contents)
        self.assertFalse(self.crontab().activated)
        self.assertEqual(self.pending(), [])
        browser.getControl('Activate the crontab').click()
        self.assertEqual(browser.url, self.dashboard)
        self.assertIn('The crontab was activated.', browser.contents)
        self.assertTrue(self.crontab().activated)

    def test_confirmation_needs_the_token(self):
        uid = self.add()
        browser = self.browser()
        browser.raiseHttpErrors = False
        browser.post(self.dashboard + '/process_multiple', urlencode(
            {'uids_to_delete': uid, 'cron_confirm': '1',
             'cron_confirmed': '1'}))
        self.assertEqual(status(browser), '403')
        browser.open(self.dashboard + '/process_multiple?uids_to_delete=%s'
                     '&cron_confirmed=1' % uid)
        self.assertEqual(browser.url, self.dashboard)
        self.assertEqual(list(self.crontab().crons), [uid])


class TestTwoXActsDirectly(UITestCase):
    """2.x's requests (its tests' clicks and posts) do not ask."""

    def test_send_button_and_form_submit(self):
        uids = [self.add(), self.add(u'dashboard-html'),
                self.add(u'dashboard-broken')]
        browser = self.browser()
        browser.open(self.dashboard)
        browser.getControl(name='uids_to_delete').value = [uids[0]]
        browser.getControl('Send').click()
        self.assertIn('Cron %s/dashboard-ok was deleted' % str(uids[0]),
                      browser.contents)
        browser.getControl(name='uids_to_delete').value = [uids[1]]
        browser.getForm(id='cron-list').submit()
        self.assertIn('Cron %s/dashboard-html was deleted' % str(uids[1]),
                      browser.contents)
        self.assertEqual(list(self.crontab().crons), [uids[2]])
        browser.getForm(id='cron_toggle_form').submit()
        self.assertEqual(browser.url, self.dashboard)
        self.assertFalse(self.crontab().activated)
        browser.getForm(id='cron_toggle_form').submit()
        self.assertTrue(self.crontab().activated)


class TestRows(UITestCase):

    def test_run_now(self):
        uid = self.add()
        other = self.add(u'dashboard-html')
        browser = self.browser()
        browser.open(self.dashboard)
        buttons = browser.getControl(name='cron_run', index=1)
        self.assertEqual(buttons._elem['value'], other)
        browser.getControl(name='cron_run', index=0).click()
        self.assertEqual(browser.url, self.dashboard)
        self.assertIn('"dashboard-ok" queued to run now',
                      browser.contents)
        logs = self.wait_logs(uid, 1)
        self.assertEqual(logs[0].status, model.OK)
        self.assertEqual(self.cron(other).logs, [])

    def test_run_now_of_a_deactivated_cron(self):
        self.add(activated=False)
        browser = self.browser()
        browser.open(self.dashboard)
        browser.getControl(name='cron_run').click()
        self.assertIn('"dashboard-ok" was not queued',
                      browser.contents)

    def test_deactivate_and_activate_a_cron(self):
        uid = self.add()
        browser = self.browser()
        browser.open(self.dashboard)
        self.assertNotIn('cron-tag cron-off-text', browser.contents)
        browser.getControl(name='cron_deactivate').click()
        self.assertIn('"dashboard-ok" was deactivated',
                      browser.contents)
        self.assertFalse(self.cron(uid).activated)
        self.assertFalse(self.queue.is_pending(uid))
        self.assertIn('cron-tag cron-off-text', browser.contents)
        browser.getControl(name='cron_activate').click()
        self.assertIn('"dashboard-ok" was activated',
                      browser.contents)
        self.assertTrue(self.cron(uid).activated)
        self.assertTrue(self.queue.is_pending(uid))

    def test_row_button_of_a_deleted_cron(self):
        uid = self.add()
        browser = self.browser()
        browser.open(self.dashboard)
        crontab = self.crontab()
        del crontab.crons[uid]
        crontab.save()
        transaction.commit()
        browser.getControl(name='cron_run').click()
        self.assertIn('This cron no longer exists.', browser.contents)

    def test_columns_in_the_site_zone(self):
        self.set_zone('Europe/Paris')
        uid = self.add()
        self.log(uid, date=to_local(utc(2007, 12, 31, 22, 2, 5)),
                 status=model.WARN,
                 start=to_local(utc(2007, 12, 31, 22, 0, 0)))
        browser = self.browser()
        browser.open(self.dashboard)
        self.assertIn("time zone, Europe/Paris;", browser.contents)
        self.assertIn('class="cron-status cron-status-2">WARN</span>',
                      browser.contents)
        self.assertIn('<td class="cron-date">2007-12-31 23:02 Europe/Paris'
                      '</td>', browser.contents)
        self.assertIn('<td class="cron-duration">2 min 05 s</td>',
                      browser.contents)
        self.assertIn('<td class="cron-next"><span class="cron-queued">'
                      '2008-01-01 01:05 Europe/Paris</span></td>',
                      browser.contents)
        self.set_zone('America/New_York')
        browser.reload()
        self.assertIn('<td class="cron-date">2007-12-31 17:02 '
                      'America/New_York</td>', browser.contents)

    def test_server_zone_without_a_site_zone(self):
        self.set_zone(None)
        uid = self.add()
        self.log(uid, date=local(2007, 12, 31, 23, 0, 0))
        zone, name = server_zone()
        browser = self.browser()
        browser.open(self.dashboard)
        self.assertIn('<td class="cron-date">2007-12-31 23:00 %s</td>'
                      % six.ensure_str(name), browser.contents)
        self.assertIn('<td class="cron-duration"></td>', browser.contents)

    def test_site_time(self):
        self.set_zone('Asia/Kolkata')
        self.assertEqual(SiteTime(self.portal).show(utc(2008, 6, 1, 0, 0)),
                         u'2008-06-01 05:30 Asia/Kolkata')
        self.assertEqual(SiteTime(self.portal).show(None), u'')

    def test_duration_of_a_real_run(self):
        """The job wrapper logs when the run started."""
        uid = self.add(u'dashboard-slow')
        browser = self.browser()
        browser.open(self.dashboard)
        browser.getControl(name='cron_run').click()
        log = self.wait_logs(uid, 1)[0]
        self.assertEqual(log.start, to_local(utc(2008, 1, 1, 0, 0)))
        self.assertEqual(log.date, to_local(utc(2008, 1, 1, 0, 1, 30)))
        browser.open(self.dashboard)
        self.assertIn('<td class="cron-duration">1 min 30 s</td>',
                      browser.contents)


class TestNameWarnings(UITestCase):

    def add_through_the_form(self, name):
        browser = self.browser()
        browser.open(self.dashboard + '/add')
        browser.getControl(name='form.widgets.name').value = name
        browser.getControl(name='form.widgets.periodicity').value = \
            '*/5 * * * *'
        browser.getControl('Add').click()
        return browser

    def test_at_save_time(self):
        browser = self.add_through_the_form('dashboard-ok')
        self.assertIn('A new cron was added', browser.contents)
        self.assertNotIn('Warning: ', browser.contents)
        browser = self.add_through_the_form('dashboard-ok')
        self.assertIn('"dashboard-ok" is also the name of 1 '
                      'other cron(s).', browser.contents)
        self.assertNotIn('matches no job runner', browser.contents)
        browser = self.add_through_the_form('no-such-runner')
        self.assertIn('"no-such-runner" matches no job '
                      'runner', browser.contents)
        # Plone's status message says "Warning" itself, once
        self.assertNotIn('Warning: "', browser.contents)
        self.assertEqual(len(self.crontab().crons), 3)

    def test_at_edit_time(self):
        uid = self.add()
        self.add(u'dashboard-html')
        browser = self.browser()
        browser.open(self.cron_url(uid) + '/edit')
        browser.getControl(name='form.widgets.name').value = 'dashboard-html'
        browser.getControl('Apply').click()
        self.assertIn('Changes saved', browser.contents)
        self.assertIn('is also the name of 1 other cron(s).',
                      browser.contents)
        self.assertEqual(self.cron(uid).name, u'dashboard-html')

    def test_on_the_dashboard(self):
        self.add(u'dashboard-ok')
        self.add(u'dashboard-ok')
        self.add(u'no-such-runner')
        self.add(u'portal_catalog/refreshCatalog')
        browser = self.browser()
        browser.open(self.dashboard)
        self.assertEqual(browser.contents.count('cron-duplicate"'), 2)
        self.assertEqual(browser.contents.count('cron-unmatched"'), 1)
        row = browser.contents.split('>no-such-runner</a>')[1]
        self.assertIn('no such runner', row.split('</td>')[0])
        self.assertIn('id="cron-legend"', browser.contents)

    def test_no_legend_without_flags(self):
        self.add(u'dashboard-ok')
        browser = self.browser()
        browser.open(self.dashboard)
        self.assertNotIn('id="cron-legend"', browser.contents)
        self.assertNotIn('class="cron-tag cron-warning', browser.contents)


class TestReadOnly(SecurityTestCase):
    """CollectiveCronRO sees no button and may post nothing."""

    def test_no_buttons(self):
        browser = self.browser('viewer')
        browser.open(self.dashboard)
        self.assertIn('id="cron-table"', browser.contents)
        for name in ('cron_run', 'cron_activate', 'cron_deactivate',
                     'cron_confirm', 'cron_ui', 'uids_to_delete'):
            with self.assertRaises(LookupError):
                browser.getControl(name=name)
        with self.assertRaises(LinkNotFoundError):
            browser.getLink('Add a task')
        self.assertIn('id="cron-filter-apply"', browser.contents)
        self.assertNotIn('<button', without_filter(browser.contents.split(
            'id="content-core"')[1]))
        browser.getLink('dashboard-ok').click()
        self.assertNotIn('<button', browser.contents.split(
            'id="content-core"')[1])
        with self.assertRaises(LinkNotFoundError):
            browser.getLink(id='edit-cron')

    def test_posts_refused(self):
        token = self.token('viewer')
        before = self.snapshot()
        url = self.dashboard + '/'
        for path, data in (
                ('process_multiple', {'cron_run': self.uid}),
                ('process_multiple', {'cron_deactivate': self.uid}),
                ('process_multiple', {'cron_activate': self.other}),
                ('process_multiple', {'uids_to_delete': self.uid,
                                      'cron_confirm': '1'}),
                ('process_multiple', {'uids_to_delete': self.uid,
                                      'cron_confirmed': '1'}),
                ('crontab_toggle', {'activated': '0', 'cron_confirm': '1'}),
                ('crontab_toggle', {'activated': '0', 'cron_cancel': '1'})):
            browser = self.browser('viewer')
            self.request(browser, url + path, data, token)
            self.assert_insufficient(browser)
            self.assertEqual(self.snapshot(), before, (path, data))


class TestFrench(UITestCase):

    def test_new_strings(self):
        self.set_zone('Europe/Paris')
        uid = self.add()
        self.add(u'dashboard-ok')
        self.log(uid, date=local(2007, 12, 31, 23, 0), status=model.OK,
                 start=local(2007, 12, 31, 22, 59, 58))
        browser = self.french()
        browser.open(self.dashboard)
        for text in ('Configuration du site', 'Dernier statut',
                     u'Fin de la derni\xe8re ex\xe9cution',
                     u'Dur\xe9e', u'Ex\xe9cuter maintenant',
                     u'D\xe9sactiver', 'nom en double',
                     'fuseau horaire du site, Europe/Paris'):
            self.assertIn(native(text), browser.contents)
        browser.getControl(name='uids_to_delete').value = [uid]
        browser.getControl(name='cron_confirm', index=1).click()
        self.assertIn(native(u'Supprimer 1 t\xe2che(s) ?'), browser.contents)
        browser.getControl('Annuler').click()
        self.assertIn(native(u'Annul\xe9'), browser.contents)
        browser.getControl(name='cron_run', index=0).click()
        self.assertIn(native(u'La t\xe2che \xab dashboard-ok \xbb est en '
                             u"file d'attente pour s'ex\xe9cuter maintenant"),
                      browser.contents)
        browser.getControl(name='uids_to_delete').value = [uid]
        browser.getControl(name='cron_confirm', index=1).click()
        browser.getControl('Supprimer', index=0).click()
        self.assertIn(native(u'La t\xe2che \xab dashboard-ok \xbb a '
                             u'\xe9t\xe9 supprim\xe9e'), browser.contents)
