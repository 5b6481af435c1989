# -*- coding: utf-8 -*-
"""No overlap: a cron whose run is still running does not start again
(real queue, a runner that blocks until the test releases it)."""
import datetime
import threading

import transaction
from Products.CMFCore.interfaces import ISiteRoot
from zope.component import provideAdapter
from zope.component.globalregistry import getGlobalSiteManager

from collective.cron import crontab as model
from collective.cron.crontab import Runner
from collective.cron.interfaces import ICron
from collective.cron.interfaces import IJobRunner
from collective.cron.testing import RUNNING_BOUND
from collective.cron.testing import set_now
from collective.cron.testing import wait_for
from collective.cron.tests import runners
from collective.cron.tests.base import QueueTestCase
from collective.cron.tests.base import utc

BLOCKING = u'collective.cron.tests.blocking'


class Gate(object):
    """Blocking runs wait here until the test opens the gate."""

    def __init__(self):
        self.opened = threading.Event()
        self.lock = threading.Lock()
        self.running = 0
        self.most = 0

    def enter(self):
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)

    def leave(self):
        with self.lock:
            self.running -= 1


GATE = [Gate()]


class BlockingRunner(Runner):
    """Records its run, then waits for the gate (20 s at most)."""

    def run(self):
        gate = GATE[0]
        gate.enter()
        try:
            runners.record(self)
            gate.opened.wait(20)
        finally:
            gate.leave()


class TestOverlap(QueueTestCase):

    def setUp(self):
        super(TestOverlap, self).setUp()
        GATE[0] = self.gate = Gate()
        provideAdapter(BlockingRunner, (ISiteRoot, ICron), IJobRunner,
                       name=BLOCKING)

    def tearDown(self):
        self.gate.opened.set()
        getGlobalSiteManager().unregisterAdapter(
            BlockingRunner, (ISiteRoot, ICron), IJobRunner, BLOCKING)

    def start_long_run(self):
        uid = self.add(name=BLOCKING, periodicity=u'*/5 * * * *')
        set_now(utc(2008, 1, 1, 0, 5))
        wait_for(lambda: len(runners.runs()) == 1, 15, 'the long run')
        return uid

    def test_run_now_while_running_is_not_run_and_logged(self):
        uid = self.start_long_run()
        self.force(uid)
        logs = self.wait_logs(uid, 1)
        self.assertEqual(logs[0].status, model.NOTRUN)
        self.assertTrue(logs[0].messages[0].startswith(
            u'previous run still running'), logs[0].messages)
        self.assertEqual(len(runners.runs()), 1)
        self.gate.opened.set()
        logs = self.wait_logs(uid, 2)
        self.assertEqual([log.status for log in logs],
                         [model.OK, model.NOTRUN])
        self.assertEqual(self.gate.most, 1)
        self.wait_queued_after(uid, utc(2008, 1, 1, 0, 10))

    def test_a_run_due_while_running_is_not_run(self):
        """A save during the run queues the next run (00:10); due while
        the first still runs, it is logged as not run."""
        uid = self.start_long_run()
        self.change(uid, environ={u'changed': True})
        transaction.begin()
        self.assertEqual(self.queue.begins(uid), utc(2008, 1, 1, 0, 10))
        set_now(utc(2008, 1, 1, 0, 10))
        logs = self.wait_logs(uid, 1)
        self.assertEqual(logs[0].status, model.NOTRUN)
        self.assertEqual(len(runners.runs()), 1)
        self.gate.opened.set()
        self.assertEqual(self.wait_logs(uid, 2)[0].status, model.OK)
        self.wait_queued_after(uid, utc(2008, 1, 1, 0, 15))
        self.assertEqual(self.gate.most, 1)

    def test_a_mark_older_than_the_bound_is_ignored(self):
        """A run that seems to run for longer than RUNNING_BOUND (its
        worker died and the backend never gave its job back) no longer blocks
        its cron."""
        uid = self.start_long_run()
        set_now(utc(2008, 1, 1, 0, 5) + RUNNING_BOUND +
                datetime.timedelta(minutes=1))
        self.force(uid)
        wait_for(lambda: len(runners.runs()) == 2, 15, 'the second run')
        self.assertEqual(self.gate.most, 2)
        self.gate.opened.set()
        self.assertEqual([log.status for log in self.wait_logs(uid, 2)],
                         [model.OK, model.OK])

    def test_the_mark_goes_with_the_run(self):
        uid = self.start_long_run()
        self.gate.opened.set()
        self.wait_logs(uid, 1)
        self.force(uid)
        logs = self.wait_logs(uid, 2)
        self.assertEqual([log.status for log in logs], [model.OK, model.OK])
        self.assertEqual(self.gate.most, 1)
