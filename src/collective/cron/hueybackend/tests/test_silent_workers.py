# -*- coding: utf-8 -*-
"""Silent workers with the Huey backend: the dashboard's worker warning
names Huey, and reads the consumer's last poll (IQueue.last_poll, kept in
Huey's key-value store). The consumer is stopped for each test (no poll
can then come in between) and started again after it; the warning is
memoized per request: one page a test."""
import unittest

from plone.app.testing import TEST_USER_NAME
from plone.app.testing import login
from zope.component import getMultiAdapter

from collective.cron.browser.base import SiteTime
from collective.cron.hueybackend import startup
from collective.cron.hueybackend import store
from collective.cron.hueybackend.queue import POLL_KEY
from collective.cron.hueybackend.testing import POLL_INTERVAL
from collective.cron.hueybackend.testing import WORKERS
from collective.cron.interfaces import IQueue
from collective.cron.late import WORKER_SILENCE
from collective.cron.late import silent_since
from collective.cron.testing import COLLECTIVE_CRON_INTEGRATION_TESTING
from collective.cron.testing import DEFAULT_NOW
from collective.cron.testing import set_now
from collective.cron.tests.test_late import SECOND


class TestSilentHueyWorkers(unittest.TestCase):

    layer = COLLECTIVE_CRON_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer['portal']
        self.request = self.layer['request']
        login(self.portal, TEST_USER_NAME)
        startup.stop()
        self.huey = store.get_huey()

    def tearDown(self):
        startup.start_worker(self.huey, WORKERS, POLL_INTERVAL)

    def page(self):
        return getMultiAdapter((self.portal, self.request),
                               name='cron-settings')()

    def test_warning_when_no_worker_ever_polled(self):
        self.huey.get(POLL_KEY)  # taken out of the store
        self.assertIsNone(IQueue(self.portal).last_poll())
        self.assertTrue('No Huey worker is running: jobs will not run.'
                        in self.page(), 'no warning')

    def test_no_warning_within_a_minute_of_the_last_poll(self):
        self.huey.put(POLL_KEY, DEFAULT_NOW)
        set_now(DEFAULT_NOW + WORKER_SILENCE)
        self.assertEqual(silent_since(self.portal), (False, DEFAULT_NOW))
        self.assertNotIn('cron-worker-warning', self.page())

    def test_warning_after_a_minute_without_poll(self):
        self.huey.put(POLL_KEY, DEFAULT_NOW)
        set_now(DEFAULT_NOW + WORKER_SILENCE + SECOND)
        self.assertEqual(silent_since(self.portal), (True, DEFAULT_NOW))
        warning = ('No Huey worker has polled the queue since %s: jobs will '
                   'not run.' % SiteTime(self.portal).show(DEFAULT_NOW))
        self.assertTrue(warning in self.page(), 'no warning: %s' % warning)
