# -*- coding: utf-8 -*-
"""A worker's start races its re-synchronisation: the worker can claim an
overdue job in the poll that activates it, before the restart thread
replaces the job (on each backend). A cron without a misfire policy must
still behave as 2.x (the job is a "zombie": no run, no log, the next run
queued)."""
import time

import transaction

from collective.cron import crontab as model
from collective.cron import restart
from collective.cron.testing import POLL_INTERVAL
from collective.cron.testing import set_now
from collective.cron.tests import runners
from collective.cron.tests import test_misfire
from collective.cron.tests.base import QueueTestCase
from collective.cron.tests.base import utc


class ZombieTestCase(QueueTestCase):
    """A cron due at 00:05; the worker is down until 00:15, and it
    claims the overdue job before any re-synchronisation."""

    set_agent_sizes = test_misfire.TestMissedRuns.__dict__['set_agent_sizes']

    def setUp(self):
        super(ZombieTestCase, self).setUp()
        self.previous = list(restart._activation)
        self.addCleanup(self.restore_activation)

    def restore_activation(self):
        restart._activation[:] = self.previous

    def claimed_before_resync(self, interrupted=False, **settings):
        """The queue becomes ready (recorded, but no re-synchronisation
        yet) and the worker takes the overdue job (``interrupted``: a job
        that had started and whose worker died, see
        mark_running_by_its_job)."""
        uid = self.add(periodicity=u'*/5 * * * *', **settings)
        transaction.begin()
        self.assertEqual(self.queue.begins(uid), utc(2008, 1, 1, 0, 5))
        sizes = self.set_agent_sizes(None)
        set_now(utc(2008, 1, 1, 0, 15))
        time.sleep(5 * POLL_INTERVAL)
        if interrupted:
            self.mark_running_by_its_job(uid)
        restart.record_activation()
        self.set_agent_sizes(sizes)
        return uid

    def mark_running_by_its_job(self, uid):
        """The running mark the cron's job made before its worker died
        (how a backend keeps it is its own: see its tests)."""
        raise NotImplementedError


class TestZombies(ZombieTestCase):

    def test_activation_is_recorded_by_queue_ready(self):
        restart._activation[:] = []
        self.assertIsNone(restart.activation())
        set_now(utc(2008, 1, 1, 0, 15))
        restart.record_activation()
        self.assertEqual(restart.activation()[0], utc(2008, 1, 1, 0, 15))

    def test_without_policy_the_claimed_zombie_does_not_run(self):
        uid = self.claimed_before_resync()
        self.wait_queued_after(uid, utc(2008, 1, 1, 0, 20))
        time.sleep(5 * POLL_INTERVAL)
        self.assertEqual(self.cron(uid).logs, [])
        self.assertEqual(len(runners.runs()), 0)
        set_now(utc(2008, 1, 1, 0, 20))
        logs = self.wait_logs(uid, 1)
        self.assertEqual(logs[0].status, model.OK, 'back on schedule')
        self.assertEqual(len(runners.runs()), 1)

    def test_run_once_still_runs_the_claimed_job_once(self):
        uid = self.claimed_before_resync(misfire=u'run_once')
        logs = self.wait_logs(uid, 1)
        self.wait_queued_after(uid, utc(2008, 1, 1, 0, 20))
        self.assertEqual([log.status for log in logs], [model.OK])
        self.assertEqual(len(runners.runs()), 1)

    def test_a_job_queued_after_the_activation_runs(self):
        """The time machine can go back: a job queued once the queue is
        ready is no zombie, however early it is due."""
        set_now(utc(2008, 1, 1, 0, 15))
        restart.record_activation()
        set_now(utc(2008, 1, 1, 0, 0))
        uid = self.add(periodicity=u'*/5 * * * *')
        set_now(utc(2008, 1, 1, 0, 5))
        logs = self.wait_logs(uid, 1)
        self.assertEqual(logs[0].status, model.OK)
        self.assertEqual(len(runners.runs()), 1)
