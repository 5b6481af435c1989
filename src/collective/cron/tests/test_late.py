# -*- coding: utf-8 -*-
"""Late crons and silent workers (issue 15, item 6): collective.cron.late,
IQueue.last_poll, and where they show (dashboard, cron page,
@@cron-status, REST API).

How a due job is kept from starting, with real parts only:

- *queue stopped* (functional layer, the real dispatcher): every agent of
  the dispatcher gets the size 0, as a worker configured to take no job.
  The dispatcher still polls (and pings) but claims nothing, so a job due
  in the fake clock stays pending; giving the agents their size back lets
  it run. This is what makes crons late while a worker is alive.
- *silent worker* (integration layer): a test's transaction there sees
  the dispatcher's pings committed before the test began and none after
  (ZODB's snapshot isolation; the test never commits). Moving the clock
  past the last ping it sees is a worker that stopped polling, as one
  whose process died; deactivating the dispatcher's agents inside the
  test's transaction (rolled back afterwards) is a worker that stopped
  cleanly. The freshness of a polling worker is checked in the
  functional layer, where the real dispatcher's pings arrive.
"""
import contextlib
import datetime
import unittest

import requests
import six
import transaction
from plone.app.testing import TEST_USER_NAME
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import login
from plone.registry.interfaces import IRegistry
from plone.testing.zope import Browser
from zope.component import getMultiAdapter
from zope.component import getUtility

from collective.cron import crontab as model
from collective.cron.browser.base import SiteTime
from collective.cron.crontab import Cron
from collective.cron.crontab import Crontab
from collective.cron.interfaces import IQueue
from collective.cron.late import WORKER_SILENCE
from collective.cron.late import is_late
from collective.cron.late import overdue
from collective.cron.late import silent_since
from collective.cron.late import worker_silent
from collective.cron.testing import COLLECTIVE_CRON_INTEGRATION_TESTING
from collective.cron.testing import COLLECTIVE_CRON_SERVER_TESTING
from collective.cron.testing import DEFAULT_NOW
from collective.cron.testing import set_agent_sizes
from collective.cron.testing import set_now
from collective.cron.testing import wait_for
from collective.cron.tests import runners
from collective.cron.tests.base import QueueTestCase
from collective.cron.tests.base import utc
from collective.cron.utils import now

SECOND = datetime.timedelta(seconds=1)
#: the first run of a '*/5 * * * *' cron added at DEFAULT_NOW
DUE = utc(2008, 1, 1, 0, 5)


class TestRules(unittest.TestCase):
    """overdue and worker_silent, on crons made in memory."""

    def cron(self, crontab_on=True, **settings):
        crontab = Crontab(activated=crontab_on, read_only=True)
        return Cron(name=u'a', periodicity=u'*/5 * * * *', activated=True,
                    crontab=crontab, **settings)

    def test_late_after_the_grace_period(self):
        cron = self.cron()
        grace = cron.grace
        self.assertEqual(grace, datetime.timedelta(
            seconds=model.DEFAULT_MISFIRE_GRACE))
        self.assertFalse(overdue(cron, DUE, DUE))
        self.assertFalse(overdue(cron, DUE, DUE + grace))
        self.assertTrue(overdue(cron, DUE, DUE + grace + SECOND))
        self.assertFalse(overdue(cron, None, DUE + grace + SECOND))

    def test_the_cron_grace_counts(self):
        cron = self.cron(misfire=u'skip', misfire_grace=600)
        self.assertFalse(overdue(cron, DUE, DUE + 600 * SECOND))
        self.assertTrue(overdue(cron, DUE, DUE + 601 * SECOND))
        eager = self.cron(misfire_grace=0)
        self.assertTrue(overdue(eager, DUE, DUE + SECOND))

    def test_a_cron_that_should_not_run_is_never_late(self):
        later = DUE + datetime.timedelta(days=1)
        self.assertFalse(overdue(self.cron(crontab_on=False), DUE, later))
        cron = self.cron()
        cron.activated = False
        self.assertFalse(overdue(cron, DUE, later))

    def test_silent_workers(self):
        self.assertTrue(worker_silent(None, DUE))
        self.assertFalse(worker_silent(DUE, DUE + WORKER_SILENCE))
        self.assertTrue(worker_silent(DUE, DUE + WORKER_SILENCE + SECOND))
        self.assertFalse(worker_silent(DUE + SECOND, DUE),
                         'a ping from a clock a little ahead is fresh')


class LateTestCase(QueueTestCase):
    """Crons through the real queue, with the agents stoppable."""

    @contextlib.contextmanager
    def queue_stopped(self):
        """Inside, the dispatcher polls but takes no job (agents of size
        0); leaving gives the agents their sizes back."""
        sizes = self.set_agent_sizes(None)
        try:
            yield
        finally:
            self.set_agent_sizes(sizes)

    def set_agent_sizes(self, sizes):
        return set_agent_sizes(self.queue.queue, sizes)

    def late(self, uid):
        """is_late for the committed cron at the current time."""
        return is_late(self.portal, self.cron(uid), now())

    def browser(self, language=None):
        browser = Browser(self.layer['app'])
        browser.handleErrors = False
        browser.addHeader('Authorization', 'Basic %s:%s' % (
            SITE_OWNER_NAME, SITE_OWNER_PASSWORD))
        if language:
            browser.addHeader('Accept-Language', language)
        return browser

    def wait_fresh_worker(self):
        """Wait until the real dispatcher's ping is seen at the current
        (fake) time."""
        def fresh():
            transaction.begin()
            return not silent_since(self.portal, now())[0]
        wait_for(fresh, 10, 'a ping of the dispatcher')


class TestLateCrons(LateTestCase):

    def test_late_after_due_and_grace_then_not_once_it_ran(self):
        uid = self.add(misfire=u'run_once')
        self.assertFalse(self.late(uid), 'not due yet')
        with self.queue_stopped():
            set_now(DUE)
            self.assertFalse(self.late(uid), 'due, within its grace')
            set_now(DUE + datetime.timedelta(minutes=2))
            self.assertFalse(self.late(uid), 'due, at the end of its grace')
            set_now(DUE + datetime.timedelta(minutes=2, seconds=1))
            self.assertTrue(self.late(uid))
            self.assertEqual(runners.runs(), [], 'kept from running')
            self.assertEqual(self.queue.begins(uid), DUE)
        self.wait_logs(uid, 1)
        transaction.begin()
        self.assertFalse(self.late(uid), 'it ran')
        self.assertEqual(len(runners.runs()), 1)
        self.assertEqual(self.queue.begins(uid), utc(2008, 1, 1, 0, 10))

    def test_each_cron_has_its_grace(self):
        default = self.add()
        patient = self.add(misfire=u'skip', misfire_grace=600)
        eager = self.add(misfire_grace=0)
        with self.queue_stopped():
            set_now(DUE + SECOND)
            self.assertEqual([self.late(uid) for uid in
                              (default, patient, eager)],
                             [False, False, True])
            set_now(DUE + datetime.timedelta(minutes=5))
            self.assertEqual([self.late(uid) for uid in
                              (default, patient, eager)],
                             [True, False, True])
            set_now(DUE + datetime.timedelta(minutes=10, seconds=1))
            self.assertEqual([self.late(uid) for uid in
                              (default, patient, eager)],
                             [True, True, True])

    def test_off_crons_and_crons_without_a_job_are_not_late(self):
        uid = self.add(misfire=u'run_once')
        with self.queue_stopped():
            set_now(DUE + datetime.timedelta(minutes=10))
            cron = self.cron(uid)
            self.assertTrue(is_late(self.portal, cron, now()))
            cron.crontab.activated = False
            self.assertFalse(is_late(self.portal, cron, now()),
                             'crontab off (not saved)')
            cron = self.cron(uid)
            cron.activated = False
            self.assertFalse(is_late(self.portal, cron, now()),
                             'cron off (not saved)')
            cron = self.cron(uid)
            self.queue.remove_cron_jobs(uid)
            self.assertEqual(self.queue.state(uid), (None, None))
            self.assertFalse(is_late(self.portal, cron, now()),
                             'not queued')
            transaction.abort()

    def test_dashboard_and_cron_page_show_late_crons(self):
        uid = self.add(misfire=u'run_once')
        on_time = self.add(name=u'on time', periodicity=u'0 * * * *')
        with self.queue_stopped():
            set_now(DUE + datetime.timedelta(minutes=3))
            self.wait_fresh_worker()
            browser = self.browser()
            browser.open(self.portal.absolute_url() + '/@@cron-settings')
            shown_due = six.ensure_str(SiteTime(self.portal).show(DUE))
            self.assertEqual(browser.contents.count('cron-late"'), 1)
            tag = ('<span class="cron-tag cron-warning cron-late" '
                   'title="Due at %s: no worker started it within its '
                   'grace period">late</span>' % shown_due)
            self.assertIn(tag, browser.contents)
            row = row_of(browser.contents, uid)
            self.assertIn(tag, row)
            self.assertNotIn('cron-late"', row_of(browser.contents,
                                                  on_time))
            self.assertNotIn('cron-worker-warning', browser.contents,
                             'the worker polls: the queue is stopped')
            browser.open(self.portal.absolute_url() +
                         '/@@cron-settings?cron_status=late')
            self.assertIn('cron-select-' + str(uid), browser.contents)
            self.assertNotIn('cron-select-' + str(on_time), browser.contents)
            self.assertIn('<option value="late" selected="selected">',
                          browser.contents)
            browser.open(self.portal.absolute_url() + '/@@cron-settings/'
                         + uid)
            self.assertIn('cron-warning cron-late"', browser.contents)
            browser.open(self.portal.absolute_url() + '/@@cron-settings/'
                         + on_time)
            self.assertNotIn('cron-late"', browser.contents)
            status = self.browser()
            status.open(self.portal.absolute_url() +
                        '/@@cron-status?uid=' + uid)
            self.assertIn('"late": true', status.contents)
        self.wait_logs(uid, 1)
        browser.open(self.portal.absolute_url() + '/@@cron-settings')
        self.assertNotIn('cron-late"', browser.contents)
        browser.open(self.portal.absolute_url() +
                     '/@@cron-settings?cron_status=late')
        self.assertIn('id="cron-no-match"', browser.contents)

    def test_late_in_french(self):
        registry = getUtility(IRegistry)
        registry['plone.available_languages'] = ['en', 'fr']
        registry['plone.use_request_negotiation'] = True
        transaction.commit()
        self.add(misfire=u'run_once')
        with self.queue_stopped():
            set_now(DUE + datetime.timedelta(minutes=3))
            browser = self.browser('fr')
            browser.open(self.portal.absolute_url() + '/@@cron-settings')
            self.assertIn('>en retard</span>', browser.contents)
            self.assertIn('title="Pr\xc3\xa9vue le %s : aucun worker' %
                          six.ensure_str(SiteTime(self.portal).show(DUE)),
                          browser.contents)

    def test_a_polling_worker_is_fresh(self):
        """The real dispatcher pings after the clock moved a day: no
        warning."""
        set_now(DEFAULT_NOW + datetime.timedelta(days=1))
        self.wait_fresh_worker()
        last = self.queue.last_poll()
        self.assertGreaterEqual(last, now() - WORKER_SILENCE)
        browser = self.browser()
        browser.open(self.portal.absolute_url() + '/@@cron-settings')
        self.assertNotIn('cron-worker-warning', browser.contents)


def row_of(html, uid):
    """The dashboard's table row of the cron ``uid``."""
    start = html.rindex('<tr', 0, html.index('cron-select-' + str(uid)))
    return html[start:html.index('</tr>', start)]


class TestSilentWorkers(unittest.TestCase):
    """The worker warning (integration layer: see the module's
    docstring)."""

    layer = COLLECTIVE_CRON_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer['portal']
        self.request = self.layer['request']
        login(self.portal, TEST_USER_NAME)
        self.queue = IQueue(self.portal)
        self.last = self.queue.last_poll()

    def page(self):
        view = getMultiAdapter((self.portal, self.request),
                               name='cron-settings')
        return view()

    def test_last_poll_is_the_latest_sign_of_an_activated_worker(self):
        seen = set()
        for agents in self.queue.queue.dispatchers.values():
            if agents.activated:
                seen.update([agents.activated, agents.last_ping.value])
        seen.discard(None)
        self.assertIn(self.last, seen)
        self.assertEqual(self.last, max(seen))

    def test_no_warning_within_a_minute_of_the_last_poll(self):
        set_now(self.last + WORKER_SILENCE)
        self.assertEqual(silent_since(self.portal), (False, self.last))
        self.assertNotIn('cron-worker-warning', self.page())

    def test_warning_after_a_minute_without_poll(self):
        set_now(self.last + WORKER_SILENCE + SECOND)
        self.assertEqual(silent_since(self.portal), (True, self.last))
        page = self.page()
        self.assertIn('id="cron-worker-warning"', page)
        self.assertIn('No zc.async worker has polled the queue since %s: '
                      'jobs will not run.' % SiteTime(self.portal).show(
                          self.last), page)

    def test_warning_without_an_activated_worker(self):
        for agents in self.queue.queue.dispatchers.values():
            agents.deactivate()
        self.assertIsNone(self.queue.last_poll())
        self.assertEqual(silent_since(self.portal), (True, None))
        self.assertIn('No zc.async worker is running: jobs will not run.',
                      self.page())

    def test_no_warning_while_the_crontab_is_deactivated(self):
        set_now(self.last + WORKER_SILENCE + SECOND)
        crontab = Crontab.load()
        crontab.activated = False
        crontab.save()
        self.assertNotIn('cron-worker-warning', self.page())


class TestRestLate(LateTestCase):
    """``late`` and the workers' state in the REST API."""

    layer = COLLECTIVE_CRON_SERVER_TESTING

    def get(self, path):
        response = requests.get(
            self.portal.absolute_url() + '/@crons' + path,
            headers={'Accept': 'application/json'},
            auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD))
        self.assertEqual(response.status_code, 200, response.text)
        transaction.begin()
        return response.json()

    def test_late_field(self):
        uid = self.add(misfire=u'run_once')
        self.assertIs(self.get('/' + uid)['late'], False)
        with self.queue_stopped():
            set_now(DUE + datetime.timedelta(minutes=3))
            self.wait_fresh_worker()
            data = self.get('/' + uid)
            self.assertIs(data['late'], True)
            self.assertEqual(data['queue'], {u'state': u'queued',
                                             u'begins': DUE.isoformat()})
            listing = self.get('')
            self.assertEqual([item['late'] for item in listing['items']],
                             [True])
            self.assertIs(listing['worker_silent'], False)
            self.assertIsNotNone(listing['worker_last_poll'])
        self.wait_logs(uid, 1)
        self.assertIs(self.get('/' + uid)['late'], False)
