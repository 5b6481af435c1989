# -*- coding: utf-8 -*-
"""Missed runs after downtime: what a cron does when its job comes out of
a stopped queue late (no policy: as 2.x; ``run_once``; ``skip``), through
the real queue of each backend with the fake clock."""
import contextlib
import time
import unittest

import transaction

from collective.cron import crontab as model
from collective.cron.crontab import Cron
from collective.cron.interfaces import InvalidCron
from collective.cron.registry import encode
from collective.cron.testing import POLL_INTERVAL
from collective.cron.testing import queue_ready
from collective.cron.testing import set_agent_sizes
from collective.cron.testing import set_now
from collective.cron.tests import runners
from collective.cron.tests.base import QueueTestCase
from collective.cron.tests.base import utc


class TestMisfireSettings(unittest.TestCase):

    def test_records_without_a_policy_are_unchanged(self):
        cron = Cron(name=u'a', periodicity=u'* * * * *')
        self.assertEqual((cron.misfire, cron.misfire_grace), (None, None))
        self.assertNotIn('misfire', encode(cron))
        self.assertEqual(cron.grace.total_seconds(),
                         model.DEFAULT_MISFIRE_GRACE)

    def test_policy_and_grace_are_stored(self):
        cron = Cron(name=u'a', periodicity=u'* * * * *', misfire=u'skip',
                    misfire_grace=u'600')
        loaded = Cron.load(encode(cron))
        self.assertEqual((loaded.misfire, loaded.misfire_grace),
                         (u'skip', 600))
        self.assertEqual(loaded.grace.total_seconds(), 600)

    def test_bad_values_name_field_and_value(self):
        for field, bad in (('misfire', u'sometimes'), ('misfire', 3),
                           ('misfire_grace', -1), ('misfire_grace', u'soon'),
                           ('misfire_grace', 1.5), ('misfire_grace', True)):
            with self.assertRaises(InvalidCron) as caught:
                Cron(name=u'a', periodicity=u'* * * * *', **{field: bad})
            self.assertIn(field, str(caught.exception))
            self.assertIn(repr(bad), str(caught.exception))


class TestMissedRuns(QueueTestCase):
    """A cron due at 00:05 while the worker is down until 00:15."""

    @contextlib.contextmanager
    def worker_down(self):
        """No job is taken while inside (as when no worker runs); leaving
        is the worker's restart: the marked sites are synchronised (what
        the backend does when its queue is ready), then jobs run again."""
        sizes = self.set_agent_sizes(None)
        yield
        queue_ready(self.portal)
        self.set_agent_sizes(sizes)

    def set_agent_sizes(self, sizes):
        return set_agent_sizes(self.queue.queue, sizes)

    def miss_one_run(self, **settings):
        uid = self.add(periodicity=u'*/5 * * * *', **settings)
        transaction.begin()
        self.assertEqual(self.queue.begins(uid), utc(2008, 1, 1, 0, 5))
        with self.worker_down():
            set_now(utc(2008, 1, 1, 0, 15))
            time.sleep(5 * POLL_INTERVAL)
            transaction.begin()
            self.assertEqual(len(runners.runs()), 0)
        return uid

    def test_without_policy_the_missed_run_is_dropped_as_2x(self):
        """2.x's restart synchronisation removed every pending job already
        due ("zombies") and queued the next run: no catch-up run, no log
        (we keep a job less than MISSED_GRACE late)."""
        uid = self.miss_one_run()
        transaction.begin()
        self.assertEqual(self.queue.begins(uid), utc(2008, 1, 1, 0, 20))
        time.sleep(5 * POLL_INTERVAL)
        self.assertEqual(self.cron(uid).logs, [])
        self.assertEqual(len(runners.runs()), 0)

    def test_run_once_runs_once_then_back_on_schedule(self):
        uid = self.miss_one_run(misfire=u'run_once')
        logs = self.wait_logs(uid, 1)
        self.wait_queued_after(uid, utc(2008, 1, 1, 0, 20))
        self.assertEqual([log.status for log in logs], [model.OK])
        self.assertEqual(len(runners.runs()), 1)

    def test_skip_logs_the_missed_run_and_runs_nothing(self):
        uid = self.miss_one_run(misfire=u'skip')
        logs = self.wait_logs(uid, 1)
        self.wait_queued_after(uid, utc(2008, 1, 1, 0, 20))
        self.assertEqual(logs[0].status, model.NOTRUN)
        self.assertTrue(logs[0].messages[0].startswith(u'missed, skipped'),
                        logs[0].messages)
        self.assertIn(u'600 s late', logs[0].messages[0])
        self.assertEqual(len(runners.runs()), 0)
        set_now(utc(2008, 1, 1, 0, 20))
        logs = self.wait_logs(uid, 2)
        self.assertEqual(logs[0].status, model.OK, 'back on schedule')

    def test_skip_runs_a_job_late_within_its_grace(self):
        uid = self.miss_one_run(misfire=u'skip', misfire_grace=900)
        logs = self.wait_logs(uid, 1)
        self.assertEqual(logs[0].status, model.OK)
        self.assertEqual(len(runners.runs()), 1)

    def test_skip_never_skips_run_now(self):
        uid = self.add(periodicity=u'0 0 1 1 *', misfire=u'skip',
                       misfire_grace=0)
        with self.worker_down():
            self.force(uid)
            set_now(utc(2008, 1, 1, 0, 15))
        logs = self.wait_logs(uid, 1)
        self.assertEqual(logs[0].status, model.OK)
        self.assertEqual(len(runners.runs()), 1)
