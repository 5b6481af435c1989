# -*- coding: utf-8 -*-
"""Silent workers (issue 15, item 6) with the zc.async backend: the worker
warning of the dashboard and IQueue.last_poll, read from zc.async's
dispatchers (moved from collective.cron.tests.test_late).

In the integration layer a test's transaction sees the dispatcher's pings
committed before the test began and none after (ZODB's snapshot
isolation; the test never commits). Moving the clock past the last ping
it sees is a worker that stopped polling, as one whose process died;
deactivating the dispatcher's agents inside the test's transaction
(rolled back afterwards) is a worker that stopped cleanly.
"""
import unittest

from plone.app.testing import TEST_USER_NAME
from plone.app.testing import login
from zope.component import getMultiAdapter

from collective.cron.browser.base import SiteTime
from collective.cron.crontab import Crontab
from collective.cron.interfaces import IQueue
from collective.cron.late import WORKER_SILENCE
from collective.cron.late import silent_since
from collective.cron.testing import COLLECTIVE_CRON_INTEGRATION_TESTING
from collective.cron.testing import set_now
from collective.cron.tests.test_late import SECOND


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
