# -*- coding: utf-8 -*-
"""The Huey backend's tasks: a task runs its job only while the job is its
cron's current pending one; revoking; the user; restart recovery of an
interrupted run; the workers' last poll; a process without the worker
role."""
import datetime
import os
import time
import unittest

import transaction
from huey import RedisHuey
from huey.api import Task
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from plone.app.testing import login
from plone.app.testing import logout
from zope.processlifetime import DatabaseOpenedWithRoot

from collective.cron import states
from collective.cron.crontab import Cron
from collective.cron.crontab import Crontab
from collective.cron.hueybackend import consumer
from collective.cron.hueybackend import settings
from collective.cron.hueybackend import startup
from collective.cron.hueybackend import store
from collective.cron.hueybackend import testing
from collective.cron.hueybackend.scheduling import schedule_now
from collective.cron.hueybackend.scheduling import task_args
from collective.cron.interfaces import IQueue
from collective.cron.tests import runners
from collective.cron.tests.base import utc


class TestTasks(unittest.TestCase):

    layer = testing.COLLECTIVE_CRON_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer['portal']
        self.huey = self.layer['huey']
        runners.clear()

    def queue(self):
        transaction.begin()
        return IQueue(self.portal)

    def add(self, activated=True):
        crontab = Crontab.load()
        cron = Cron(name=runners.RECORD, periodicity=u'*/5 * * * *',
                    activated=activated, crontab=crontab)
        crontab.save()
        transaction.commit()
        return cron

    def wait(self, predicate, what):
        testing.wait_for(lambda: transaction.begin() and False or
                         predicate(), 15, what)

    def test_a_task_delivered_twice_runs_its_job_once(self):
        cron = self.add()
        job = self.queue().cron_job(cron.uid)
        for _ in range(3):
            schedule_now(task_args(job), job.due, job.task_id)
        testing.set_now(utc(2008, 1, 1, 0, 5))
        self.wait(lambda: self.queue().begins(cron.uid) ==
                  utc(2008, 1, 1, 0, 10), 'the run and the next job')
        testing.wait_for(testing.queue_is_idle, 15, 'the tasks')
        self.assertEqual(len(runners.runs()), 1)

    def test_removing_a_job_revokes_its_task(self):
        cron = self.add()
        job = self.queue().cron_job(cron.uid)
        self.assertFalse(self.huey.is_revoked(Task(id=job.task_id)))
        self.queue().remove_cron_jobs(cron.uid)
        transaction.commit()
        self.assertTrue(self.huey.is_revoked(Task(id=job.task_id)))
        self.assertEqual(self.queue().state(cron.uid), (None, None))

    def test_a_task_no_longer_current_is_dropped(self):
        cron = self.add()
        job = self.queue().cron_job(cron.uid)
        queue = self.queue()
        queue.register_cron_job(job.cron, utc(2008, 1, 1, 3, 0))
        transaction.commit()
        self.assertTrue(self.huey.restore_by_id(job.task_id),
                        'replacing the job revoked its task')
        testing.set_now(utc(2008, 1, 1, 0, 5))
        testing.wait_for(lambda: job.task_id not in
                         startup.stored_task_ids(), 15, 'the old task')
        testing.wait_for(testing.queue_is_idle, 15, 'the tasks')
        self.assertEqual(runners.runs(), [])
        self.assertEqual(self.queue().state(cron.uid),
                         (states.PENDING, utc(2008, 1, 1, 3, 0)))

    def test_the_job_runs_as_the_user_who_queued_it(self):
        cron = self.add()
        login(self.portal, TEST_USER_NAME)
        try:
            IQueue(self.portal).register_cron_job(cron, forced=True)
            transaction.commit()
        finally:
            logout()
        testing.wait_for(lambda: runners.runs(), 15, 'the run')
        self.assertEqual([run['user'] for run in runners.runs()],
                         [TEST_USER_ID])

    def test_an_interrupted_run_of_this_worker_is_given_back(self):
        cron = self.add()
        consumer.stop()
        try:
            job = self.queue().cron_job(cron.uid)
            job.state = states.RUNNING
            job.worker = settings.worker_name()
            job.claimed = time.time() - 60
            transaction.commit()
            testing.clear_queue()
        finally:
            startup.start_worker(self.huey, testing.WORKERS,
                                 testing.POLL_INTERVAL)
        startup.queue_ready(wait=True)
        self.assertEqual(self.queue().state(cron.uid),
                         (states.PENDING, utc(2008, 1, 1, 0, 5)))
        self.assertIn(job.task_id, startup.stored_task_ids())

    def test_a_run_of_another_worker_is_left_alone(self):
        cron = self.add()
        job = self.queue().cron_job(cron.uid)
        job.state = states.RUNNING
        job.worker = 'elsewhere:/var'
        job.claimed = time.time() - 60
        transaction.commit()
        startup.queue_ready(wait=True)
        transaction.begin()
        self.assertEqual(job.state, states.RUNNING)
        self.assertIsNot(self.queue().cron_job(cron.uid), job,
                         'the re-synchronisation queued the next run')

    def test_the_workers_last_poll(self):
        testing.set_now(utc(2008, 1, 2, 0, 0))
        testing.wait_for(lambda: self.queue().last_poll() ==
                         utc(2008, 1, 2, 0, 0), 5, 'a poll')

    def test_no_last_poll_when_the_store_cannot_be_reached(self):
        unreachable = RedisHuey('unreachable', url='redis://127.0.0.1:1/0')
        store.set_huey(unreachable)
        try:
            self.assertIsNone(self.queue().last_poll())
        finally:
            store.set_huey(self.huey)

    def test_a_process_without_the_worker_role_runs_no_consumer(self):
        running = consumer.running_consumer()
        os.environ['COLLECTIVE_CRON_WORKER'] = 'off'
        try:
            self.assertIsNone(startup.zope_started(
                DatabaseOpenedWithRoot(self.layer['zodbDB'])))
        finally:
            del os.environ['COLLECTIVE_CRON_WORKER']
        self.assertIs(consumer.running_consumer(), running)


class TestFailures(unittest.TestCase):
    """What Huey hears when a transaction rolls back, and a job whose
    wrapper fails to the end."""

    layer = testing.COLLECTIVE_CRON_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer['portal']
        self.huey = self.layer['huey']
        runners.clear()

    def add(self):
        crontab = Crontab.load()
        cron = Cron(name=runners.RECORD, periodicity=u'*/5 * * * *',
                    activated=True, crontab=crontab)
        crontab.save()
        transaction.commit()
        return cron

    def test_a_savepoint_rolled_back_takes_its_actions_back(self):
        cron = self.add()
        transaction.begin()
        queue = IQueue(self.portal)
        job = queue.cron_job(cron.uid)
        before_any_action = transaction.savepoint()
        queue.remove_cron_jobs(cron.uid)
        before_the_second = transaction.savepoint()
        queue.register_cron_job(job.cron, utc(2008, 1, 1, 4, 0))
        before_the_second.rollback()
        self.assertEqual(queue.state(cron.uid), (None, None))
        before_any_action.rollback()
        self.assertEqual(queue.cron_job(cron.uid), job)
        queue.register_cron_job(job.cron, utc(2008, 1, 1, 2, 0))
        later = queue.cron_job(cron.uid)
        transaction.commit()
        testing.wait_for(lambda: startup.stored_task_ids() == set(
            [job.task_id, later.task_id]), 5, 'both tasks in the store')
        self.assertTrue(self.huey.is_revoked(Task(id=job.task_id)))
        self.assertFalse(self.huey.is_revoked(Task(id=later.task_id)))
        stray = [task.id for task in self.huey.scheduled()
                 if task.eta == datetime.datetime(2008, 1, 1, 4, 0)]
        self.assertEqual(stray, [])

    def test_a_job_that_fails_to_the_end_queues_the_next_run(self):
        from collective.cron.hueybackend import tasks

        def broken(site, uid):
            raise RuntimeError('the job wrapper broke')
        cron = self.add()
        tasks.run_job, original = broken, tasks.run_job
        try:
            transaction.begin()
            job = IQueue(self.portal).cron_job(cron.uid)
            testing.set_now(utc(2008, 1, 1, 0, 5))
            testing.wait_for(lambda: transaction.begin() and False or
                             job.state == states.COMPLETED, 15, 'the job')
        finally:
            tasks.run_job = original
        testing.wait_for(lambda: transaction.begin() and False or
                         IQueue(self.portal).begins(cron.uid) ==
                         utc(2008, 1, 1, 0, 10), 15, 'the next job')
        self.assertEqual(runners.runs(), [])
