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
        wanted = set([self.queue.cron_job(cron.uid).task_id])
        self.wait_stored(wanted)
        testing.clear_queue()
        self.assertEqual(startup.stored_task_ids(), set())
        self.queue_ready()
        self.assertEqual(self.queue.state(cron.uid),
                         (states.PENDING, utc(2008, 1, 1, 0, 5)))
        self.wait_stored(wanted)
        self.set_now(utc(2008, 1, 1, 0, 5))
        self.wait(lambda: self.queue.begins(cron.uid) ==
                  utc(2008, 1, 1, 0, 10), 'the run and the next job')
        self.assertEqual(len(runners.RUNS), 1)

    def wait_stored(self, task_ids):
        """Wait until the task store holds ``task_ids`` (a worker holds a
        task for a moment while it moves it to the schedule)."""
        testing.wait_for(lambda: startup.stored_task_ids() == task_ids, 5,
                         'the tasks %s in the store' % (task_ids,))

    def test_an_aborted_change_schedules_nothing(self):
        cron = self.add(activated=False)
        IQueue(self.portal).register_cron_job(cron, utc(2008, 1, 1, 1, 0))
        transaction.abort()
        self.assertEqual(self.queue.state(cron.uid), (None, None))
        other = self.add()
        self.wait_stored(set([self.queue.cron_job(other.uid).task_id]))


class TestHueyRedisQueue(TestHueyQueue):
    """The Huey backend on a Redis task store."""

    layer = testing.COLLECTIVE_CRON_REDIS_FUNCTIONAL_TESTING
