# -*- coding: utf-8 -*-
"""The contract of a job backend: the same tests run against every backend.

``QueueContract`` holds the tests; it reaches the backend only through
collective.cron's interfaces (IQueue, IJobBackend, ICrontabMarker) and
four hooks that each backend's TestCase gives: its functional layer,
``set_now`` (the backend's clock), ``lose_jobs`` (its job store wiped, the
site marks kept, as after a lost queue) and ``queue_ready`` (what the
backend does when its queue is ready at Zope start). A new backend adds
one TestCase in its own package (collective.cron.zcasync.tests.test_contract,
collective.cron.hueybackend.tests.test_contract); this module imports no
backend.
"""
import os
import re
import time
import unittest

import transaction
from Products.CMFCore.interfaces import ISiteRoot
from zope.component import getGlobalSiteManager
from zope.component import getMultiAdapter
from zope.component import getUtility
from zope.component import provideAdapter
from zope.interface.verify import verifyObject

import collective.cron
from collective.cron import states
from collective.cron.crontab import Cron
from collective.cron.crontab import Crontab
from collective.cron.crontab import Runner
from collective.cron.interfaces import ICron
from collective.cron.interfaces import ICronManager
from collective.cron.interfaces import ICrontabMarker
from collective.cron.interfaces import IJobBackend
from collective.cron.interfaces import IJobRunner
from collective.cron.interfaces import IQueue
from collective.cron.interfaces import IRunningJob
from collective.cron.tests import runners
from collective.cron.tests.base import utc

#: the runner that notes what the queue says of the job running it
WITNESS = u'collective.cron.tests.witness'
NOTED = []


class WitnessRunner(Runner):
    """Notes, from inside its job, what IQueue says of that job."""

    def run(self):
        queue = IQueue(self.context)
        uid = self.cron.uid
        NOTED.append({
            'state': queue.state(uid),
            'running': queue.is_running(uid),
            'due': queue.running_due(),
            'notes': queue.running_notes() is not None,
            'queued': queue.running_queued() is not None,
            'other_run': queue.other_run(uid),
            'marked_by_this_run': queue.interrupted_run(uid),
        })


class QueueContract(object):
    """Tests of a job backend through IQueue (a mixin: see the module)."""

    def set_now(self, when):
        """Move the backend's clock to ``when`` (aware)."""
        raise NotImplementedError

    def lose_jobs(self):
        """Wipe the backend's job store, keeping the site marks."""
        raise NotImplementedError

    def queue_ready(self):
        """Do what the backend does when its queue is ready at start, and
        return once the marked sites are re-synchronised."""
        raise NotImplementedError

    def setUp(self):
        self.portal = self.layer['portal']
        runners.clear()
        del NOTED[:]
        provideAdapter(WitnessRunner, (ISiteRoot, ICron), IJobRunner,
                       name=WITNESS)

    def tearDown(self):
        getGlobalSiteManager().unregisterAdapter(
            WitnessRunner, (ISiteRoot, ICron), IJobRunner, WITNESS)

    @property
    def queue(self):
        transaction.begin()
        return IQueue(self.portal)

    def add(self, name=runners.RECORD, activated=True):
        """Save a cron run every 5 minutes; return it."""
        crontab = Crontab.load()
        cron = Cron(name=name, periodicity=u'*/5 * * * *',
                    activated=activated, crontab=crontab)
        crontab.save()
        transaction.commit()
        return cron

    def jobs_of(self, uid):
        """The queued jobs that run the cron (2.x's face of IQueue)."""
        queue = self.queue
        return [job for job in queue.jobs if getattr(queue.cron_of(
            queue.get_job_infos_from_job(job)), 'uid', None) == uid]

    def wait(self, predicate, what, seconds=15):
        """Poll ``predicate`` (in a new transaction) until it is true."""
        deadline = time.time() + seconds
        while not predicate():
            if time.time() > deadline:
                self.fail('waited %s s for %s' % (seconds, what))
            time.sleep(0.05)

    def test_the_backend_provides_the_interfaces(self):
        queue = IQueue(self.portal)
        self.assertTrue(verifyObject(IQueue, queue))
        self.assertTrue(verifyObject(IRunningJob, queue))
        self.assertTrue(verifyObject(IJobBackend, getUtility(IJobBackend)))
        self.assertTrue(verifyObject(ICrontabMarker,
                                     ICrontabMarker(self.portal)))
        self.assertTrue(queue.configured)
        self.assertTrue(queue.available)

    def test_register_queues_one_pending_job_at_its_time(self):
        cron = self.add()
        queue = self.queue
        self.assertEqual(queue.state(cron.uid),
                         (states.PENDING, utc(2008, 1, 1, 0, 5)))
        self.assertEqual(queue.status(cron.uid), states.PENDING)
        self.assertEqual(queue.begins(cron.uid), utc(2008, 1, 1, 0, 5))
        self.assertTrue(queue.is_pending(cron.uid))
        self.assertTrue(queue.is_present(cron.uid))
        self.assertFalse(queue.is_running(cron.uid))
        self.assertFalse(queue.is_finished(cron.uid))
        self.assertIn(cron.uid, queue.cron_uids())
        self.assertIsNotNone(queue.cron_job(cron.uid))
        self.assertEqual(len(self.jobs_of(cron.uid)), 1)

    def test_a_job_knows_the_settings_it_was_queued_for(self):
        cron = self.add()
        self.assertTrue(self.queue.is_current(cron))
        cron.periodicity = u'*/10 * * * *'
        self.assertFalse(self.queue.is_current(cron))

    def test_register_at_a_given_time(self):
        cron = self.add(activated=False)
        self.assertEqual(self.queue.state(cron.uid), (None, None))
        begins = utc(2008, 1, 1, 3, 7)
        self.queue.register_cron_job(cron, begins)
        transaction.commit()
        self.assertEqual(self.queue.state(cron.uid),
                         (states.PENDING, begins))

    def test_replacing_leaves_one_pending_job(self):
        cron = self.add()
        manager = getMultiAdapter((self.portal, cron), ICronManager)
        self.assertTrue(manager.register_job(utc(2008, 1, 1, 2, 0)))
        transaction.commit()
        self.assertEqual(self.queue.begins(cron.uid), utc(2008, 1, 1, 2, 0))
        self.assertEqual(len(self.jobs_of(cron.uid)), 1)
        self.assertFalse(manager.register_job(utc(2008, 1, 1, 2, 0)),
                         'a current job at that time is kept')

    def test_remove(self):
        cron = self.add()
        self.assertTrue(self.queue.remove_cron_jobs(cron.uid))
        transaction.commit()
        queue = self.queue
        self.assertEqual(queue.state(cron.uid), (None, None))
        self.assertFalse(queue.is_present(cron.uid))
        self.assertNotIn(cron.uid, queue.cron_uids())
        self.assertEqual(self.jobs_of(cron.uid), [])
        self.assertFalse(queue.remove_cron_jobs(cron.uid))

    def test_a_due_job_runs_and_sees_itself_running(self):
        cron = self.add(name=WITNESS)
        self.set_now(utc(2008, 1, 1, 0, 5))
        self.wait(lambda: self.queue.begins(cron.uid) ==
                  utc(2008, 1, 1, 0, 10), 'the run and the next job')
        self.assertEqual(NOTED, [{
            'state': (states.RUNNING, None), 'running': True,
            'due': utc(2008, 1, 1, 0, 5), 'notes': True, 'queued': True,
            'other_run': None, 'marked_by_this_run': True}])
        self.assertEqual(len(self.jobs_of(cron.uid)), 1)

    def test_outside_a_job_nothing_runs(self):
        cron = self.add()
        queue = self.queue
        self.assertIsNone(queue.running_notes())
        self.assertIsNone(queue.running_due())
        self.assertIsNone(queue.running_queued())
        self.assertIsNone(queue.other_run(cron.uid))
        self.assertFalse(queue.interrupted_run(cron.uid))

    def test_a_job_that_ran_is_completed(self):
        cron = self.add(activated=False)
        self.queue.register_cron_job(cron, utc(2008, 1, 1, 0, 0),
                                     forced=True)
        transaction.commit()
        self.wait(lambda: self.queue.is_finished(cron.uid), 'the run')
        self.assertEqual(self.queue.state(cron.uid),
                         (states.COMPLETED, None))
        self.assertFalse(self.queue.is_present(cron.uid))

    def test_marker(self):
        marker = ICrontabMarker(self.portal)
        path = '/'.join(self.portal.getPhysicalPath())
        app = self.layer['app']
        self.assertTrue(marker.marked, 'installing marks the site')
        marker.unmark()
        self.assertFalse(marker.marked)
        self.assertNotIn(path, getUtility(IJobBackend).marked_paths(app))
        marker.mark()
        self.assertTrue(ICrontabMarker(self.portal).marked)
        self.assertIn(path, getUtility(IJobBackend).marked_paths(app))

    def test_restart_restores_the_lost_jobs(self):
        crons = [self.add(), self.add(name=runners.WARN)]
        off = self.add(activated=False)
        self.lose_jobs()
        self.assertEqual([self.queue.state(cron.uid) for cron in crons],
                         [(None, None)] * 2)
        self.queue_ready()
        self.assertEqual([self.queue.state(cron.uid) for cron in crons],
                         [(states.PENDING, utc(2008, 1, 1, 0, 5))] * 2)
        self.assertFalse(self.queue.is_present(off.uid))


#: the backend packages (folders of collective.cron)
BACKENDS = ('zcasync', 'hueybackend')


#: a class statement deriving from QueueContract
CONTRACT_CLASS = re.compile(r'^class (\w+)\([^)]*\bQueueContract\b', re.M)


def contract_cases(backend):
    """The names of the classes of ``backend``'s tests/test_contract.py
    that derive from QueueContract (read as text, not imported nor parsed:
    a backend imports only on its own Python, and Python 3 cannot parse
    the zc.async backend's modules)."""
    path = os.path.join(os.path.dirname(collective.cron.__file__), backend,
                        'tests', 'test_contract.py')
    if not os.path.exists(path):
        return []
    with open(path) as source:
        return CONTRACT_CLASS.findall(source.read())


class TestEveryBackendRunsTheContract(unittest.TestCase):

    def test_each_backend_has_a_contract_test_case(self):
        self.assertEqual(
            dict((backend, len(contract_cases(backend)))
                 for backend in BACKENDS),
            dict((backend, 1) for backend in BACKENDS))
