# -*- coding: utf-8 -*-
"""The backend contract (collective.cron.tests.test_queue_contract) against
the zc.async backend (through plone.app.async)."""
import unittest

from plone.app.async.subscribers import QueueReady
from zope.event import notify

from collective.cron.interfaces import IQueue
from collective.cron.tests.test_queue_contract import QueueContract
from collective.cron.zcasync import testing as zcasync_testing


class TestZCAsyncQueue(QueueContract, unittest.TestCase):
    """The zc.async backend (through plone.app.async)."""

    layer = zcasync_testing.COLLECTIVE_CRON_FUNCTIONAL_TESTING

    def set_now(self, when):
        zcasync_testing.set_now(when)

    def lose_jobs(self):
        zcasync_testing.clear_queue(self.layer['asyncDB'],
                                    self.layer['fixtureMarks'])

    def queue_ready(self):
        notify(QueueReady(IQueue(self.portal).queue))
