# -*- coding: utf-8 -*-
"""The backend contract (collective.cron.tests.test_queue_contract) against
the Huey backend, and what restart recovery does when only the task store
was lost (the records in the ZODB kept)."""
import unittest

import transaction

from collective.cron import states
from collective.cron.hueybackend import startup
from collective.cron.hueybackend import testing
from collective.cron.interfaces import IQueue
from collective.cron.tests import runners
from collective.cron.tests.base import utc
from collective.cron.tests.test_queue_contract import QueueContract


class TestHueyQueue(QueueContract, unittest.TestCase):
    """The Huey backend."""

    layer = testing.COLLECTIVE_CRON_FUNCTIONAL_TESTING

    def set_now(self, when):
        testing.set_now(when)

    def lose_jobs(self):
        testing.clear_queue(db=self.layer['zodbDB'])

    def queue_ready(self):
        startup.queue_ready(wait=True)

    def test_a_lost_task_store_is_refilled_at_restart(self):
        cron = self.add(name=runners.RECORD)
        huey = self.layer['huey']
        self.assertEqual(huey.pending_count() + huey.scheduled_count(), 1)
        testing.clear_queue()
        self.assertEqual(huey.pending_count() + huey.scheduled_count(), 0)
        self.queue_ready()
        self.assertEqual(self.queue.state(cron.uid),
                         (states.PENDING, utc(2008, 1, 1, 0, 5)))
        wanted = set([self.queue.cron_job(cron.uid).task_id])
        testing.wait_for(lambda: startup.stored_task_ids() == wanted, 5,
                         'the task in the store (a worker may hold it '
                         'while it moves it to the schedule)')
        self.set_now(utc(2008, 1, 1, 0, 5))
        self.wait(lambda: self.queue.begins(cron.uid) ==
                  utc(2008, 1, 1, 0, 10), 'the run and the next job')
        self.assertEqual(len(runners.RUNS), 1)

    def test_an_aborted_change_schedules_nothing(self):
        cron = self.add(activated=False)
        huey = self.layer['huey']
        IQueue(self.portal).register_cron_job(cron, utc(2008, 1, 1, 1, 0))
        transaction.abort()
        self.assertEqual(huey.pending_count() + huey.scheduled_count(), 0)
        self.assertEqual(self.queue.state(cron.uid), (None, None))
