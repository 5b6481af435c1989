# -*- coding: utf-8 -*-
"""A live worker takes back the jobs of a dead one (takeover.py): the
heartbeats, the jobs of a worker whose heartbeat stands still or never
existed given back and run, a live worker's long job left alone, a dead
worker's job that is no longer its cron's current one released.

The functional tests restart the layer's consumer with a bound of
DEAD_AFTER seconds (below the settings' minimum, for speed) and let its
scheduler look for dead workers' jobs as in production."""
import os
import shutil
import tempfile
import time
import unittest

import transaction
from huey import SqliteHuey
from zope.testing.loggingsupport import InstalledHandler

from collective.cron import states
from collective.cron.crontab import Cron
from collective.cron.crontab import Crontab
from collective.cron.crontab import OK
from collective.cron.hueybackend import consumer
from collective.cron.hueybackend import settings
from collective.cron.hueybackend import startup
from collective.cron.hueybackend import takeover
from collective.cron.hueybackend import testing
from collective.cron.hueybackend.records import CronJob
from collective.cron.hueybackend.records import INTERRUPTED
from collective.cron.hueybackend.records import site_jobs
from collective.cron.interfaces import IQueue
from collective.cron.job import RAN_KEY
from collective.cron.tests import runners
from collective.cron.tests.base import utc

#: seconds without heartbeat after which a worker is dead, in these tests
DEAD_AFTER = 2
DEAD = 'dead-host:/srv/var'


class StoreTestCase(unittest.TestCase):
    """A real store and the watching worker's clock, moved by hand."""

    def setUp(self):
        self.folder = tempfile.mkdtemp()
        self.huey = SqliteHuey('takeover', results=False,
                               filename=os.path.join(self.folder, 'h.db'))
        self.clock = [1000.0]
        self.liveness = takeover.Liveness(self.huey, 10,
                                          lambda: self.clock[0])

    def tearDown(self):
        shutil.rmtree(self.folder, ignore_errors=True)

    def later(self, seconds):
        self.clock[0] += seconds


class TestLiveness(StoreTestCase):
    """How a worker judges the others' heartbeats."""

    def test_a_heartbeat_that_moves_is_alive(self):
        for _ in range(5):
            takeover.beat(self.huey, 'w1')
            self.assertFalse(self.liveness.dead('w1'))
            self.later(9)
        self.later(30)
        takeover.beat(self.huey, 'w1')
        self.assertFalse(self.liveness.dead('w1'))

    def test_a_heartbeat_that_stands_still_is_dead_after_the_bound(self):
        takeover.beat(self.huey, 'w1')
        self.assertFalse(self.liveness.dead('w1'))
        self.later(9.5)
        self.assertFalse(self.liveness.dead('w1'))
        self.later(0.5)
        self.assertTrue(self.liveness.dead('w1'))

    def test_a_worker_that_never_wrote_one_is_dead_after_the_bound(self):
        self.assertIsNone(takeover.last_beat(self.huey, 'w2'))
        self.assertFalse(self.liveness.dead('w2'))
        self.later(10)
        self.assertTrue(self.liveness.dead('w2'))

    def test_a_store_flushed_then_written_again_shows_a_change(self):
        takeover.beat(self.huey, 'w1')
        self.liveness.dead('w1')
        self.later(5)
        self.huey.flush()
        self.assertFalse(self.liveness.dead('w1'))
        takeover.beat(self.huey, 'w1')
        self.later(5)
        self.assertFalse(self.liveness.dead('w1'))

    def test_forgotten_workers_are_watched_anew(self):
        takeover.beat(self.huey, 'w1')
        self.liveness.dead('w1')
        self.later(10)
        self.liveness.keep_only(['w2'])
        self.assertFalse(self.liveness.dead('w1'))


class TestTakeover(unittest.TestCase):

    layer = testing.COLLECTIVE_CRON_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer['portal']
        self.huey = self.layer['huey']
        self.path = '/'.join(self.portal.getPhysicalPath())
        runners.clear()
        self.restart(DEAD_AFTER)
        self.log = InstalledHandler('collective.cron')

    def tearDown(self):
        self.log.uninstall()
        self.restart(None)

    def restart(self, dead_after):
        startup.stop()
        startup.start_worker(self.huey, testing.WORKERS,
                             testing.POLL_INTERVAL, dead_after)

    def queue(self):
        transaction.begin()
        return IQueue(self.portal)

    def add(self):
        crontab = Crontab.load()
        cron = Cron(name=runners.RECORD, periodicity=u'*/5 * * * *',
                    activated=True, crontab=crontab)
        crontab.save()
        transaction.commit()
        return cron

    def claim(self, cron, worker, mark=False):
        """The cron's job as a worker ``worker`` claimed it a minute ago
        (marked running with ``mark``), its task gone from the store."""
        job = self.queue().cron_job(cron.uid)
        job.state = states.RUNNING
        job.worker = worker
        job.claimed = time.time() - 60
        if mark:
            site_jobs(self.portal).running[cron.uid] = (
                job, utc(2008, 1, 1, 0, 5))
        transaction.commit()
        testing.clear_queue()
        return job

    def wait(self, predicate, what, seconds=20):
        testing.wait_for(lambda: transaction.begin() and False or
                         predicate(), seconds, what)

    def looks(self):
        return consumer.running_consumer().watch.looks

    def wait_looks(self, count):
        start = self.looks()
        testing.wait_for(lambda: self.looks() >= start + count, 20,
                         '%s looks for dead workers\' jobs' % count)

    def taken_back(self):
        return [record.getMessage() for record in self.log.records
                if 'was taken back' in record.getMessage()]

    def test_a_bad_bound_stops_the_worker_start(self):
        startup.stop()
        os.environ['COLLECTIVE_CRON_WORKER_DEAD_AFTER'] = '5'
        try:
            with self.assertRaises(ValueError) as raised:
                startup.start_worker(self.huey, testing.WORKERS,
                                     testing.POLL_INTERVAL)
        finally:
            del os.environ['COLLECTIVE_CRON_WORKER_DEAD_AFTER']
        self.assertIn("worker-dead-after (COLLECTIVE_CRON_WORKER_DEAD_AFTER)"
                      ": must be >= 10 (seconds): '5'", str(raised.exception))
        self.assertIsNone(consumer.running_consumer())

    def test_the_worker_notes_its_heartbeat(self):
        name = settings.worker_name()
        first = takeover.last_beat(self.huey, name)
        testing.wait_for(lambda: takeover.last_beat(self.huey, name)
                         not in (None, first), 5, 'a newer heartbeat')
        self.assertLess(abs(time.time() -
                            takeover.last_beat(self.huey, name)), 5)

    def test_the_job_of_a_worker_whose_heartbeat_stands_still_runs(self):
        cron = self.add()
        job = self.claim(cron, DEAD)
        self.huey.put(takeover.heartbeat_key(DEAD), time.time() - 600)
        testing.set_now(utc(2008, 1, 1, 0, 6))
        self.wait(lambda: self.queue().begins(cron.uid) ==
                  utc(2008, 1, 1, 0, 10), 'the run given back and the next')
        self.assertEqual([run['uid'] for run in runners.runs()], [cron.uid])
        transaction.begin()
        self.assertEqual(job.state, states.COMPLETED)
        self.assertEqual(job.worker, settings.worker_name())
        self.assertEqual(job.result[0], OK)
        self.assertEqual(self.taken_back(), [
            'collective.cron: %s: the job of cron %s (%s) held by dead '
            'worker %s was taken back (given back: it runs again at once)'
            % (self.path, runners.RECORD, cron.uid, DEAD)])

    def test_the_job_of_a_worker_that_never_wrote_a_heartbeat_runs(self):
        cron = self.add()
        self.claim(cron, 'ghost:/var', mark=True)
        self.assertIsNone(takeover.last_beat(self.huey, 'ghost:/var'))
        testing.set_now(utc(2008, 1, 1, 0, 6))
        self.wait(lambda: self.queue().begins(cron.uid) ==
                  utc(2008, 1, 1, 0, 10), 'the run given back and the next')
        # its running mark is its own: the run is not refused
        self.assertEqual([run['uid'] for run in runners.runs()], [cron.uid])
        self.assertEqual(len(self.taken_back()), 1)
        self.assertIsNone(site_jobs(self.portal).running.get(cron.uid))

    def test_a_long_job_of_a_live_worker_is_left_alone(self):
        cron = self.add()
        job = self.claim(cron, settings.worker_name(), mark=True)
        job_oid = job._p_oid
        self.wait_looks(2 * DEAD_AFTER + 2)
        transaction.begin()
        job = self.portal._p_jar.get(job_oid)
        self.assertEqual(job.state, states.RUNNING)
        self.assertIs(self.queue().cron_job(cron.uid), job)
        self.assertIn(settings.worker_name(),
                      consumer.running_consumer().watch.liveness.seen)
        self.assertEqual(self.taken_back(), [])
        self.assertEqual(runners.runs(), [])

    def test_a_dead_job_no_longer_current_is_released(self):
        cron = self.add()
        job = self.claim(cron, DEAD, mark=True)
        self.huey.put(takeover.heartbeat_key(DEAD), time.time() - 600)
        # a re-synchronisation queued the cron's next run meanwhile
        IQueue(self.portal).register_cron_job(job.cron,
                                              utc(2008, 1, 1, 0, 10))
        transaction.commit()
        self.wait(lambda: job.state == INTERRUPTED, 'the job released')
        self.assertIsNone(site_jobs(self.portal).running.get(cron.uid))
        self.assertEqual(len(self.taken_back()), 1)
        self.assertIn('running mark is removed', self.taken_back()[0])
        testing.set_now(utc(2008, 1, 1, 0, 10))
        self.wait(lambda: self.queue().begins(cron.uid) ==
                  utc(2008, 1, 1, 0, 15), 'the next run and the one after')
        self.assertEqual([run['uid'] for run in runners.runs()], [cron.uid])

    def test_a_dead_run_whose_runner_committed_only_saves_its_log(self):
        cron = self.add()
        job = self.claim(cron, DEAD, mark=True)
        job.notes[RAN_KEY] = (OK, [u'done before the crash'],
                              utc(2008, 1, 1, 0, 5, 30),
                              utc(2008, 1, 1, 0, 5))
        transaction.commit()
        self.huey.put(takeover.heartbeat_key(DEAD), time.time() - 600)
        testing.set_now(utc(2008, 1, 1, 0, 6))
        self.wait(lambda: self.queue().begins(cron.uid) ==
                  utc(2008, 1, 1, 0, 10), 'the log saved and the next run')
        # never two runs of one due time: the runner is not called again
        self.assertEqual(runners.runs(), [])
        logs = Crontab.load().crons[cron.uid].logs
        self.assertEqual([log.messages for log in logs],
                         [[u'done before the crash']])


class TestHeldByDead(StoreTestCase):
    """A running job is taken back only when its worker is dead and it was
    claimed more than the bound ago."""

    def job(self, worker, claimed_ago):
        cron = Cron(name=u'x', periodicity=u'*/5 * * * *')
        job = CronJob('/plone', cron, utc(2008, 1, 1), None)
        job.state = states.RUNNING
        job.worker = worker
        job.claimed = time.time() - claimed_ago
        return job

    def test_a_job_claimed_within_the_bound_is_kept(self):
        recent = self.job('w1', 5)
        old = self.job('w1', 60)
        self.assertFalse(takeover.held_by_dead(recent, self.liveness))
        self.later(10)
        self.assertTrue(takeover.held_by_dead(old, self.liveness))
        self.assertFalse(takeover.held_by_dead(recent, self.liveness))
        recent.state = states.COMPLETED
        old.state = states.COMPLETED
        self.assertFalse(takeover.held_by_dead(old, self.liveness))
