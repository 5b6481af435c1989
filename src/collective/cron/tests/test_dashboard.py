# -*- coding: utf-8 -*-
"""The Cron Dashboard, through a browser, as a site administrator.

Every path: add, edit (activation, rename, reschedule), run now, logs,
deletion from the cron page and from the dashboard, the crontab switch;
each checked in the registry and in the real zc.async queue.
"""
import datetime
import re
import threading
import unittest

import pytz
import six
import transaction
from plone.testing.zope import Browser
from Products.CMFCore.interfaces import ISiteRoot
from plone.registry.interfaces import IRegistry
from zope.component import getUtility
from zope.component import provideAdapter
from zope.component.globalregistry import getGlobalSiteManager
from zope.component.hooks import setSite
from zope.i18n import translate

from collective.cron import _
from collective.cron import crontab as model
from collective.cron.browser.base import SiteTime
from collective.cron.crontab import Cron
from collective.cron.crontab import Crontab
from collective.cron.crontab import Runner
from collective.cron.interfaces import ICron
from collective.cron.interfaces import IJobRunner
from collective.cron.interfaces import IQueue
from collective.cron.testing import COLLECTIVE_CRON_FUNCTIONAL_TESTING
from collective.cron.testing import DEFAULT_NOW
from collective.cron.testing import wait_for
from collective.cron.utils import to_utc

PASSWORD = 'secret-password-1'
ADMIN = 'siteadmin'


def utc(*args):
    return datetime.datetime(*args, tzinfo=pytz.UTC)


def local(*args):
    """A naive datetime: the server's local time, as log dates are."""
    return datetime.datetime(*args)


class OkRunner(Runner):
    """Does nothing: OK."""

    def run(self):
        return None


class HtmlRunner(Runner):
    """Returns messages with HTML in them: WARN."""

    def run(self):
        return [u'<b id="injected">bold</b>', u'<script>alert(2)</script>']


class BrokenRunner(Runner):
    """Raises: FAILURE."""

    def run(self):
        raise ValueError(u'<i id="broken">broken</i>')


RELEASE = threading.Event()


class BlockingRunner(Runner):
    """Runs until RELEASE is set (at most 20 s): OK."""

    def run(self):
        RELEASE.wait(20)


RUNNERS = {u'dashboard-ok': OkRunner, u'dashboard-html': HtmlRunner,
           u'dashboard-broken': BrokenRunner,
           u'dashboard-block': BlockingRunner}


def without_filter(html):
    """``html`` without the dashboard's filter form (a GET form whose
    button everyone who may see crons may use)."""
    return re.sub(r'(?s)<form id="cron-filter".*?</form>', '', html)


def field_block(html, field):
    """The HTML of a form field in error (AssertionError if not)."""
    marker = 'kssattr-fieldname-form.widgets.%s error' % field
    if marker not in html:
        raise AssertionError('field %s is not in error' % field)
    start = html.index(marker)
    end = html.find('kssattr-fieldname-', start + len(marker))
    return html[start:end if end != -1 else html.index('</form>', start)]


class DashboardTestCase(unittest.TestCase):
    """A site with users of each kind, test runners and a browser."""

    layer = COLLECTIVE_CRON_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer['portal']
        RELEASE.clear()
        for name, factory in RUNNERS.items():
            provideAdapter(factory, (ISiteRoot, ICron), IJobRunner, name=name)
        users = self.portal.acl_users
        users.userFolderAddUser(ADMIN, PASSWORD, ['Site Administrator'], [])
        users.userFolderAddUser('member', PASSWORD, ['Member'], [])
        users.userFolderAddUser('viewer', PASSWORD, ['CollectiveCronRO'], [])
        users.userFolderAddUser('cronmanager', PASSWORD, ['CollectiveCron'],
                                [])
        transaction.commit()
        self.dashboard = self.portal.absolute_url() + '/@@cron-settings'

    def tearDown(self):
        RELEASE.set()
        registry = getGlobalSiteManager()
        for name, factory in RUNNERS.items():
            registry.unregisterAdapter(factory, (ISiteRoot, ICron),
                                       IJobRunner, name=name)

    def browser(self, user=ADMIN):
        browser = Browser(self.layer['app'])
        browser.handleErrors = True
        if user is not None:
            browser.addHeader('Authorization',
                              'Basic %s:%s' % (user, PASSWORD))
        return browser

    def crontab(self):
        """The crontab as last committed."""
        transaction.begin()
        setSite(self.portal)
        return Crontab.load()

    def cron(self, uid):
        return self.crontab().crons.get(uid)

    def add(self, name=u'dashboard-ok', periodicity=u'*/5 * * * *',
            activated=True, **kwargs):
        crontab = self.crontab()
        kwargs.setdefault('logs_limit', 5)
        cron = Cron(name=name, periodicity=periodicity, activated=activated,
                    **kwargs)
        crontab.add_cron(cron)
        crontab.save()
        transaction.commit()
        return cron.uid

    @property
    def queue(self):
        transaction.begin()
        return IQueue(self.portal)

    def pending(self):
        return [job for job in self.queue.queue]

    def wait_logs(self, uid, count, seconds=15):
        wait_for(lambda: len(self.cron(uid).logs) >= count, seconds,
                 '%s logs of cron %s' % (count, uid))
        return self.cron(uid).logs

    def wait_idle(self, uid, seconds=15):
        """Wait until the cron's forced job ran and the next is queued."""
        def idle():
            queue = self.queue
            return not queue.is_running(uid) and queue.is_pending(uid)
        wait_for(idle, seconds, 'cron %s queued again' % uid)

    def add_logs(self, uid, count, status=model.WARN):
        """``count`` logs a minute apart ('log 0' the oldest), committed."""
        crontab = self.crontab()
        for minute in range(count):
            crontab.crons[uid].log(date=local(2007, 12, 31, 12, minute),
                                   status=status,
                                   messages=[u'log %d' % minute])
        crontab.save()
        transaction.commit()

    def cron_url(self, uid):
        return '%s/%s' % (self.dashboard, uid)

    def site_date(self, value):
        """How the dashboard's table shows a date (the site's zone)."""
        return six.ensure_str(SiteTime(self.portal).show(value))

    def queued_cell(self, date):
        """The next run of a pending job, as the table shows it."""
        return '<span class="cron-queued">%s</span>' % self.site_date(date)

    def queued_row(self, date, text='next job at'):
        """The queue state of a pending job, as the table shows it."""
        return '%s <span class="cron-nowrap">%s</span>' % (
            text, self.site_date(date))


class TestDashboardPage(DashboardTestCase):

    def test_empty_crontab(self):
        browser = self.browser()
        browser.open(self.dashboard)
        self.assertIn('Cron Dashboard', browser.contents)
        self.assertIn('Crontab Preferences', browser.contents)
        self.assertIn('id="cron-empty"', browser.contents)
        self.assertNotIn('id="cron-table"', browser.contents)
        browser.getLink('Add a task').click()
        self.assertEqual(browser.url, self.dashboard + '/add')

    def test_unreadable_records_are_reported(self):
        uid = self.add()
        registry = getUtility(IRegistry)
        key = 'collective.cron.interfaces.IRegistryCrontab.crontab'
        registry[key] = list(registry[key]) + [u'{"uid": "<b>broken']
        transaction.commit()
        browser = self.browser()
        browser.open(self.dashboard)
        self.assertIn('id="cron-invalid-records"', browser.contents)
        self.assertIn('1 record(s) of the', browser.contents)
        self.assertNotIn('<b>broken', browser.contents)
        self.assertEqual(browser.getLink('dashboard-ok').url,
                         self.cron_url(uid))

    def test_table_lists_every_cron(self):
        first = self.add(u'dashboard-ok', user=ADMIN)
        second = self.add(u'dashboard-html', periodicity=u'0 3 * * *',
                          activated=False)
        browser = self.browser()
        browser.open(self.dashboard)
        self.assertNotIn('id="cron-empty"', browser.contents)
        link = browser.getLink('dashboard-ok')
        self.assertEqual(link.url, self.cron_url(first))
        self.assertEqual(browser.getLink('dashboard-html').url,
                         self.cron_url(second))
        self.assertIn('<code>*/5 * * * *</code>', browser.contents)
        self.assertIn('<code>0 3 * * *</code>', browser.contents)
        self.assertIn('<span class="cron-user">%s</span>' % ADMIN,
                      browser.contents)
        self.assertIn(self.queued_cell(utc(2008, 1, 1, 0, 5)),
                      browser.contents)
        self.assertIn('not queued', browser.contents)

    def test_last_status_cues(self):
        uid = self.add()
        crontab = self.crontab()
        crontab.crons[uid].log(date=local(2007, 12, 31, 23, 0),
                               status=model.FAILURE, messages=[u'boom'])
        crontab.save()
        transaction.commit()
        other = self.add(u'dashboard-html')
        crontab = self.crontab()
        crontab.crons[other].log(date=local(2007, 12, 31, 22, 0),
                                 status=model.WARN)
        crontab.save()
        transaction.commit()
        browser = self.browser()
        browser.open(self.dashboard)
        self.assertIn('class="cron-row cron-row-0"', browser.contents)
        self.assertIn('class="cron-status cron-status-0">FAILURE</span>',
                      browser.contents)
        self.assertIn('class="cron-row cron-row-2"', browser.contents)
        self.assertIn('class="cron-status cron-status-2">WARN</span>',
                      browser.contents)
        self.assertIn('<td class="cron-date">%s</td>' % self.site_date(
            local(2007, 12, 31, 23, 0)), browser.contents)

    def test_configlet_in_site_setup(self):
        browser = self.browser()
        browser.open(self.portal.absolute_url() + '/@@overview-controlpanel')
        link = browser.getLink('Cron Dashboard')
        self.assertEqual(link.url, self.dashboard)


class TestAddForm(DashboardTestCase):

    def fill(self, browser, name=u'dashboard-ok', periodicity=u'*/5 * * * *',
             user=u'', activated=True, logs_limit=u'5', environ=u'{}'):
        browser.getControl(name='form.widgets.name').value = name
        browser.getControl(name='form.widgets.periodicity').value = \
            periodicity
        browser.getControl(name='form.widgets.user').value = user
        browser.getControl(name='form.widgets.activated:list').value = \
            [u'selected'] if activated else []
        browser.getControl(name='form.widgets.logs_limit').value = logs_limit
        browser.getControl(name='form.widgets.senviron').value = environ

    def open_add(self):
        browser = self.browser()
        browser.open(self.dashboard)
        browser.getLink('Add a task').click()
        return browser

    def test_add(self):
        browser = self.open_add()
        self.fill(browser, user=ADMIN, logs_limit=u'3',
                  environ=u'{"path": "/news"}')
        browser.getControl('Add').click()
        self.assertEqual(browser.url, self.dashboard)
        self.assertIn('A new cron was added', browser.contents)
        crons = list(self.crontab().crons.values())
        self.assertEqual(len(crons), 1)
        cron = crons[0]
        self.assertEqual((cron.name, cron.periodicity, cron.user,
                          cron.activated, cron.logs_limit, cron.environ),
                         (u'dashboard-ok', u'*/5 * * * *', ADMIN, True, 3,
                          {u'path': u'/news'}))
        self.assertTrue(self.queue.is_pending(cron.uid))
        self.assertEqual(self.queue.begins(cron.uid), utc(2008, 1, 1, 0, 5))
        self.assertEqual(browser.getLink('dashboard-ok').url,
                         self.cron_url(cron.uid))

    def test_add_deactivated_is_not_queued(self):
        browser = self.open_add()
        self.fill(browser, activated=False)
        browser.getControl('Add').click()
        cron = list(self.crontab().crons.values())[0]
        self.assertFalse(cron.activated)
        self.assertFalse(self.queue.is_present(cron.uid))
        self.assertEqual(self.pending(), [])

    def assert_field_error(self, browser, field, text):
        self.assertEqual(browser.url, self.dashboard + '/add')
        self.assertIn('There were some errors', browser.contents)
        self.assertIn(text, field_block(browser.contents, field))
        self.assertEqual(self.crontab().crons, {})

    def test_invalid_periodicity(self):
        browser = self.open_add()
        self.fill(browser, periodicity=u'every day')
        browser.getControl('Add').click()
        self.assert_field_error(browser, 'periodicity',
                                '"every day" is not valid cron syntax')

    def test_environ_must_be_a_json_object(self):
        for environ in (u'[1, 2]', u'{not json'):
            browser = self.open_add()
            self.fill(browser, environ=environ)
            browser.getControl('Add').click()
            self.assert_field_error(browser, 'senviron',
                                    'The environ must be a JSON object')

    def test_logs_limit_range(self):
        for limit in (u'0', u'26'):
            browser = self.open_add()
            self.fill(browser, logs_limit=limit)
            browser.getControl('Add').click()
            self.assert_field_error(browser, 'logs_limit',
                                    'Keep between 1 and 25 logs.')

    def test_unknown_user(self):
        browser = self.open_add()
        self.fill(browser, user=u'nobody-here')
        browser.getControl('Add').click()
        self.assert_field_error(browser, 'user',
                                'There is no user "nobody-here"')

    def test_zope_root_user_is_accepted(self):
        self.layer['app'].acl_users.userFolderAddUser(
            'rootuser', PASSWORD, [], [])
        transaction.commit()
        browser = self.open_add()
        self.fill(browser, user=u'rootuser')
        browser.getControl('Add').click()
        self.assertIn('A new cron was added', browser.contents)
        self.assertEqual(list(self.crontab().crons.values())[0].user,
                         u'rootuser')

    def test_cancel(self):
        browser = self.open_add()
        self.fill(browser)
        browser.getControl('Cancel').click()
        self.assertEqual(browser.url, self.dashboard)
        self.assertEqual(self.crontab().crons, {})


class TestEditForm(DashboardTestCase):

    def open_edit(self, uid):
        browser = self.browser()
        browser.open(self.cron_url(uid))
        browser.getLink('Edit').click()
        self.assertEqual(browser.url, self.cron_url(uid) + '/edit')
        return browser

    def save(self, browser, **values):
        for key, value in values.items():
            browser.getControl(name='form.widgets.' + key).value = value
        browser.getControl('Apply').click()

    def test_shows_the_settings(self):
        uid = self.add(user=ADMIN, environ={u'a': 1}, logs_limit=7)
        browser = self.open_edit(uid)
        get = browser.getControl
        self.assertEqual(get(name='form.widgets.name').value, 'dashboard-ok')
        self.assertEqual(get(name='form.widgets.periodicity').value,
                         '*/5 * * * *')
        self.assertEqual(get(name='form.widgets.user').value, ADMIN)
        self.assertEqual(get(name='form.widgets.activated:list').value,
                         ['selected'])
        self.assertEqual(get(name='form.widgets.logs_limit').value, '7')
        self.assertEqual(get(name='form.widgets.senviron').value,
                         '{\n  "a": 1\n}')

    def test_deactivate_then_activate(self):
        uid = self.add()
        browser = self.open_edit(uid)
        self.save(browser, **{'activated:list': []})
        self.assertEqual(browser.url, self.cron_url(uid))
        self.assertIn('Changes saved', browser.contents)
        self.assertIn('not queued', browser.contents)
        self.assertFalse(self.cron(uid).activated)
        self.assertFalse(self.queue.is_present(uid))
        browser = self.open_edit(uid)
        self.save(browser, **{'activated:list': ['selected']})
        self.assertTrue(self.cron(uid).activated)
        self.assertTrue(self.queue.is_pending(uid))
        self.assertIn(self.queued_row(utc(2008, 1, 1, 0, 5)),
                      browser.contents)

    def test_rename_replaces_the_job(self):
        uid = self.add()
        old = self.queue.cron_job(uid)
        browser = self.open_edit(uid)
        self.save(browser, name=u'dashboard-html')
        self.assertEqual(self.cron(uid).name, u'dashboard-html')
        self.assertIn('Cron dashboard-html', browser.contents)
        job = self.queue.cron_job(uid)
        self.assertIsNot(job, old)
        self.assertEqual([j.args[-1].name for j in self.pending()],
                         [u'dashboard-html'])

    def test_reschedule(self):
        uid = self.add()
        browser = self.open_edit(uid)
        self.save(browser, periodicity=u'0 3 * * *')
        self.assertEqual(self.cron(uid).periodicity, u'0 3 * * *')
        three = local(2008, 1, 1, 3, 0)
        if to_utc(three) <= DEFAULT_NOW:
            three += datetime.timedelta(days=1)
        self.assertEqual(self.queue.begins(uid), to_utc(three),
                         'the next 03:00 local time')
        self.assertEqual(len(self.pending()), 1)
        self.assertIn(self.queued_row(three), browser.contents)

    def test_other_settings(self):
        uid = self.add(logs_limit=5)
        crontab = self.crontab()
        for hour in range(4):
            crontab.crons[uid].log(date=local(2007, 12, 31, hour))
        crontab.save()
        transaction.commit()
        browser = self.open_edit(uid)
        self.save(browser, user=ADMIN, logs_limit=u'2',
                  senviron=u'{"x": [1, 2]}')
        cron = self.cron(uid)
        self.assertEqual(cron.user, ADMIN)
        self.assertEqual(cron.logs_limit, 2)
        self.assertEqual(cron.environ, {u'x': [1, 2]})
        self.assertEqual([log.date for log in cron.logs],
                         [local(2007, 12, 31, 3), local(2007, 12, 31, 2)])
        self.assertIn('Displaying 2/2 last logs', browser.contents)

    def test_errors_keep_the_cron(self):
        uid = self.add()
        browser = self.open_edit(uid)
        self.save(browser, periodicity=u'61 * * * *', logs_limit=u'30')
        self.assertIn('There were some errors', browser.contents)
        self.assertIn('"61 * * * *" is not valid cron syntax',
                      field_block(browser.contents, 'periodicity'))
        self.assertIn('Keep between 1 and 25 logs.',
                      field_block(browser.contents, 'logs_limit'))
        cron = self.cron(uid)
        self.assertEqual((cron.periodicity, cron.logs_limit),
                         (u'*/5 * * * *', 5))

    def test_cancel(self):
        uid = self.add()
        browser = self.open_edit(uid)
        browser.getControl(name='form.widgets.name').value = u'changed'
        browser.getControl('Cancel').click()
        self.assertEqual(browser.url, self.cron_url(uid))
        self.assertEqual(self.cron(uid).name, u'dashboard-ok')

    def test_unknown_cron(self):
        browser = self.browser()
        browser.raiseHttpErrors = False
        browser.open(self.dashboard + '/nosuchuid/edit')
        self.assertEqual(browser.headers['status'].split()[0], '404')


class TestCronPage(DashboardTestCase):

    def test_settings_and_queue_state(self):
        uid = self.add(user=ADMIN, environ={u'path': u'/news'}, logs_limit=4)
        browser = self.browser()
        browser.open(self.dashboard)
        browser.getLink('dashboard-ok').click()
        self.assertEqual(browser.url, self.cron_url(uid))
        html = browser.contents
        self.assertIn('Cron dashboard-ok', html)
        self.assertIn('<code>*/5 * * * *</code>', html)
        self.assertIn('<td>%s</td>' % ADMIN, html)
        self.assertIn('<td>4</td>', html)
        self.assertIn('"path": "/news"', html)
        self.assertIn('<code>%s</code>' % str(uid), html)
        self.assertIn(self.queued_row(utc(2008, 1, 1, 0, 5)), html)
        self.assertNotIn('last logs', html)
        self.assertIn('This cron has no log', html)

    def test_not_queued(self):
        uid = self.add(activated=False)
        browser = self.browser()
        browser.open(self.cron_url(uid))
        self.assertIn('not queued', browser.contents)
        self.assertNotIn('next job at', browser.contents)

    def test_running(self):
        uid = self.add(u'dashboard-block')
        browser = self.browser()
        browser.open(self.cron_url(uid))
        browser.getControl('Run now').click()
        wait_for(lambda: self.queue.is_running(uid), 15, 'the job to run')
        browser.open(self.cron_url(uid))
        self.assertIn('<span class="cron-running">running</span>',
                      browser.contents)
        browser.open(self.dashboard)
        self.assertIn('<span class="cron-running">running</span>',
                      browser.contents)
        RELEASE.set()
        self.assertEqual(self.wait_logs(uid, 1)[0].status, model.OK)
        self.wait_idle(uid)
        browser.open(self.cron_url(uid))
        self.assertIn(self.queued_row(utc(2008, 1, 1, 0, 5)),
                      browser.contents)

    def test_run_now(self):
        uid = self.add()
        browser = self.browser()
        browser.open(self.cron_url(uid))
        browser.getControl('Run now').click()
        self.assertEqual(browser.url, self.cron_url(uid))
        self.assertIn('"dashboard-ok" queued to run now',
                      browser.contents.replace('&#34;', '"'))
        logs = self.wait_logs(uid, 1)
        self.assertEqual(logs[0].status, model.OK)
        self.wait_idle(uid)
        self.assertEqual(self.queue.begins(uid), utc(2008, 1, 1, 0, 5))
        browser.open(self.cron_url(uid))
        self.assertIn('class="cron-status cron-status-1">OK</span>',
                      browser.contents)
        self.assertIn('Displaying 1/1 last logs', browser.contents)
        self.assertIn('nowrap">%s</td>' % self.site_date(utc(2008, 1, 1)),
                      browser.contents)

    def test_run_now_warn_and_failure(self):
        warn, broken = self.add(u'dashboard-html'), self.add(
            u'dashboard-broken')
        browser = self.browser()
        for uid in (warn, broken):
            browser.open(self.cron_url(uid))
            browser.getControl('Run now').click()
        self.assertEqual(self.wait_logs(warn, 1)[0].status, model.WARN)
        self.assertEqual(self.wait_logs(broken, 1)[0].status, model.FAILURE)
        browser.open(self.cron_url(broken))
        self.assertIn('class="cron-status cron-status-0">FAILURE</span>',
                      browser.contents)
        self.assertIn('&lt;i id="broken"&gt;broken&lt;/i&gt;',
                      browser.contents)
        browser.open(self.dashboard)
        self.assertIn('class="cron-row cron-row-0"', browser.contents)
        self.assertIn('class="cron-row cron-row-2"', browser.contents)

    def test_run_now_deactivated(self):
        uid = self.add(activated=False)
        browser = self.browser()
        browser.open(self.cron_url(uid))
        browser.getControl('Run now').click()
        self.assertIn('"dashboard-ok" was not queued',
                      browser.contents.replace('&#34;', '"'))
        self.assertFalse(self.queue.is_present(uid))
        self.assertEqual(self.pending(), [])

    def test_logs_newest_first(self):
        uid = self.add()
        self.add_logs(uid, 3)
        browser = self.browser()
        browser.open(self.cron_url(uid))
        html = browser.contents
        self.assertIn('Displaying 3/3 last logs', html)
        positions = [html.index('<li>log %d</li>' % n) for n in (2, 1, 0)]
        self.assertEqual(positions, sorted(positions))
        self.assertNotIn('id="cron-older-logs"', html)

    def log_rows(self, html, table_id):
        """The messages of the logs of a table of the page, in order."""
        start = html.index('id="%s"' % table_id)
        table = html[start:html.index('</table>', start)]
        return [int(part.split('</li>')[0])
                for part in table.split('<li>log ')[1:]]

    def test_ten_newest_logs_then_the_older_ones_folded(self):
        uid = self.add(logs_limit=25)
        self.add_logs(uid, 24)
        browser = self.browser()
        browser.open(self.cron_url(uid))
        html = browser.contents
        self.assertIn('Displaying 10/24 last logs', html)
        self.assertEqual(self.log_rows(html, 'cron-logs-table'),
                         list(range(23, 13, -1)))
        self.assertIn('Show the 14 older logs', html)
        self.assertEqual(self.log_rows(html, 'cron-older-logs-table'),
                         list(range(13, -1, -1)))
        self.assertEqual(browser.getControl(name='logs_to_delete').options,
                         [str(position) for position in range(24)])

    def test_exactly_ten_logs_fold_nothing(self):
        uid = self.add(logs_limit=25)
        self.add_logs(uid, 10)
        browser = self.browser()
        browser.open(self.cron_url(uid))
        self.assertIn('Displaying 10/10 last logs', browser.contents)
        self.assertNotIn('id="cron-older-logs"', browser.contents)

    def test_delete_a_folded_log(self):
        uid = self.add(logs_limit=25)
        self.add_logs(uid, 12)
        browser = self.browser()
        browser.open(self.cron_url(uid))
        browser.getControl(name='logs_to_delete').value = ['0', '11']
        browser.getControl(name='logdelete').click()
        self.assertIn('Selected logs have been deleted (2).',
                      browser.contents)
        self.assertEqual([log.messages for log in self.cron(uid).logs],
                         [[u'log %d' % n] for n in range(10, 0, -1)])
        self.assertIn('Displaying 10/10 last logs', browser.contents)
        self.assertNotIn('id="cron-older-logs"', browser.contents)

    def test_delete_selected_logs(self):
        uid = self.add()
        self.add_logs(uid, 3)
        browser = self.browser()
        browser.open(self.cron_url(uid))
        boxes = browser.getControl(name='logs_to_delete')
        self.assertEqual(boxes.options, ['0', '1', '2'])
        boxes.value = ['0', '2']
        browser.getControl(name='logdelete').click()
        self.assertEqual(browser.url, self.cron_url(uid))
        self.assertIn('Selected logs have been deleted (2).',
                      browser.contents)
        self.assertEqual([log.messages for log in self.cron(uid).logs],
                         [[u'log 1']])
        self.assertIn('Displaying 1/1 last logs', browser.contents)
        self.assertTrue(self.queue.is_pending(uid))

    def test_delete_logs_needs_a_selection(self):
        uid = self.add()
        self.add_logs(uid, 2)
        browser = self.browser()
        browser.open(self.cron_url(uid))
        browser.getControl(name='logdeletetop').click()
        self.assertIn('Select the logs to delete.', browser.contents)
        self.assertEqual(len(self.cron(uid).logs), 2)

    def test_delete_all_logs(self):
        uid = self.add()
        self.add_logs(uid, 3)
        job = self.queue.cron_job(uid)
        browser = self.browser()
        browser.open(self.cron_url(uid))
        browser.getControl('Select all logs').selected = True
        browser.getControl(name='logdeletetop').click()
        self.assertIn('All logs have been deleted.', browser.contents)
        self.assertEqual(self.cron(uid).logs, [])
        self.assertNotIn('last logs', browser.contents)
        self.assertIs(self.queue.cron_job(uid), job)

    def test_delete_cron(self):
        uid, other = self.add(), self.add(u'dashboard-html')
        browser = self.browser()
        browser.open(self.cron_url(uid))
        browser.getControl('Delete').click()
        self.assertIn('Delete the cron', browser.contents)
        self.assertIn(uid, self.crontab().crons)
        browser.getControl(name='cron_confirmed').click()
        self.assertEqual(browser.url, self.dashboard)
        self.assertIn('"dashboard-ok" was deleted',
                      browser.contents.replace('&#34;', '"'))
        self.assertEqual(list(self.crontab().crons), [other])
        self.assertFalse(self.queue.is_present(uid))
        self.assertNotIn(uid, self.queue.cron_uids())
        self.assertTrue(self.queue.is_pending(other))
        browser.raiseHttpErrors = False
        browser.open(self.cron_url(uid))
        self.assertEqual(browser.headers['status'].split()[0], '404')


class TestDashboardActions(DashboardTestCase):

    def test_delete_selected_crons(self):
        uids = [self.add(), self.add(u'dashboard-html'),
                self.add(u'dashboard-broken')]
        browser = self.browser()
        browser.open(self.dashboard)
        browser.getControl(name='uids_to_delete').value = [uids[0], uids[2]]
        browser.getControl('Delete the selected crons').click()
        self.assertIn('Delete 2 cron(s)?', browser.contents)
        self.assertEqual(len(self.crontab().crons), 3)
        browser.getControl('Delete', index=0).click()
        self.assertEqual(browser.url, self.dashboard)
        for name in ('dashboard-ok', 'dashboard-broken'):
            self.assertIn('"%s" was deleted' % name, browser.contents)
        self.assertEqual(list(self.crontab().crons), [uids[1]])
        self.assertEqual(self.queue.cron_uids(), [uids[1]])
        self.assertEqual(len(self.pending()), 1)
        self.assertNotIn('>dashboard-ok</a>', browser.contents)

    def test_delete_needs_a_selection(self):
        uid = self.add()
        browser = self.browser()
        browser.open(self.dashboard)
        browser.getControl('Delete the selected crons').click()
        self.assertIn('Select the crons to delete.', browser.contents)
        self.assertEqual(list(self.crontab().crons), [uid])

    def test_delete_the_last_cron_shows_the_empty_state(self):
        uid = self.add()
        browser = self.browser()
        browser.open(self.dashboard)
        browser.getControl(name='uids_to_delete').value = [uid]
        browser.getControl('Delete the selected crons').click()
        browser.getControl('Delete', index=0).click()
        self.assertIn('id="cron-empty"', browser.contents)
        self.assertEqual(self.pending(), [])

    def test_crontab_switch(self):
        uids = [self.add(), self.add(u'dashboard-html')]
        browser = self.browser()
        browser.open(self.dashboard)
        self.assertIn('cron-crontab-state cron-on', browser.contents)
        browser.getControl('Deactivate the crontab').click()
        self.assertTrue(self.crontab().activated)
        browser.getControl('Deactivate the crontab').click()
        self.assertIn('The crontab was deactivated', browser.contents)
        self.assertIn('cron-crontab-state cron-off', browser.contents)
        self.assertFalse(self.crontab().activated)
        self.assertEqual(self.pending(), [])
        self.assertEqual(browser.contents.count('not queued'), 2)
        browser.getControl('Activate the crontab').click()
        self.assertIn('The crontab was activated.', browser.contents)
        self.assertTrue(self.crontab().activated)
        self.assertTrue(all(self.queue.is_pending(uid) for uid in uids))
        self.assertEqual(len(self.pending()), 2)


class TestFrench(DashboardTestCase):

    def test_catalog(self):
        message = _(u'Cron ${uid}/${name} was queued',
                    mapping={u'uid': u'u', u'name': u'x'})
        self.assertEqual(translate(message, target_language='fr'),
                         u"La t\xe2che u/x a \xe9t\xe9 mise en file d'attente")

    def test_dashboard_in_french(self):
        registry = getUtility(IRegistry)
        registry['plone.available_languages'] = ['en', 'fr']
        registry['plone.use_request_negotiation'] = True
        transaction.commit()
        uid = self.add()
        key = 'collective.cron.interfaces.IRegistryCrontab.crontab'
        registry[key] = list(registry[key]) + [u'not json']
        transaction.commit()
        browser = self.browser()
        browser.addHeader('Accept-Language', 'fr')
        browser.open(self.dashboard)
        self.assertIn('Tableau de bord cron', browser.contents)
        self.assertIn('1 enregistrement(s) de la crontab sont illisibles',
                      browser.contents)
        self.assertIn('Ajouter une t\xc3\xa2che', browser.contents)
        self.assertIn(self.queued_cell(utc(2008, 1, 1, 0, 5)),
                      browser.contents)
        browser.open(self.cron_url(uid))
        self.assertIn('Ex\xc3\xa9cuter maintenant', browser.contents)
        browser.getControl(name='form.button.run').click()
        self.assertIn("dashboard-ok \xc2\xbb est en file d'attente pour "
                      "s'ex\xc3\xa9cuter maintenant",
                      browser.contents.replace('&#39;', "'"))

    def test_logs_and_preferences_in_french(self):
        registry = getUtility(IRegistry)
        registry['plone.available_languages'] = ['en', 'fr']
        registry['plone.use_request_negotiation'] = True
        transaction.commit()
        uid = self.add(logs_limit=25)
        crontab = self.crontab()
        for minute in range(12):
            crontab.crons[uid].log(date=local(2007, 12, 31, 12, minute))
        crontab.save()
        transaction.commit()
        browser = self.browser()
        browser.addHeader('Accept-Language', 'fr')
        browser.open(self.dashboard)
        self.assertIn('Pr\xc3\xa9f\xc3\xa9rences de la crontab',
                      browser.contents)
        browser.open(self.cron_url(uid))
        self.assertIn('Affichage des 10/12 derniers journaux',
                      browser.contents)
        self.assertIn('Afficher les 2 journaux plus anciens',
                      browser.contents)
