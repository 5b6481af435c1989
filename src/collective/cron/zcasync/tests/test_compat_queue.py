# -*- coding: utf-8 -*-
"""collective.cron 2.x's queue API (job infos, marker, annotated queue,
managers, adapters modules, testing resources) over our indexed queue."""
import datetime
import unittest

import pytz
import transaction
from Acquisition import aq_base
from persistent.dict import PersistentDict
from persistent.list import PersistentList
import zc.async.interfaces
from plone.app.async.interfaces import IAsyncService
from plone.app.async.service import _executeAsUser
from zope.component import getMultiAdapter
from zope.component import queryMultiAdapter

from collective.cron import testing
from collective.cron import testingbase
from collective.cron.crontab import Cron
from collective.cron.crontab import Crontab
from collective.cron.crontab import runJob
from collective.cron.interfaces import AsyncQueueNotReady
from collective.cron.interfaces import IAnnotedQueue
from collective.cron.interfaces import ICCRONUtils
from collective.cron.interfaces import ICronManager
from collective.cron.interfaces import ICrontabManager
from collective.cron.interfaces import ICrontabMarker
from collective.cron.interfaces import IExportImporter
from collective.cron.interfaces import IQueue
from collective.cron.interfaces import MANAGE_KEY
from collective.cron.testing import COLLECTIVE_CRON_INTEGRATION_TESTING
from collective.cron.testing import set_now
from collective.cron.tests import runners
from collective.cron.tests.base import QueueTestCase
from collective.cron.tests.base import utc
from collective.cron.utils import to_utc
from collective.cron.zcasync import queue as queue_module
from collective.cron.zcasync.queue import Queue
from collective.cron.zcasync.queue import annotations

RUNS = []


def other_job(*args, **kwargs):
    """A job that is no cron job."""
    RUNS.append((args, kwargs))


class JobInfosMixin(object):

    def setUp(self):
        self.portal = self.layer['portal']
        self.zqueue = self.layer['queue']
        self.cqueue = IQueue(self.portal)

    def crontab_with(self, *names):
        """A saved crontab with activated crons of these names."""
        crontab = Crontab.load()
        for name in names:
            Cron(name=name, periodicity=u'*/5 * * * *', activated=True,
                 crontab=crontab)
        crontab.save()
        return crontab

    def by_hand(self, cron, begin_after=None):
        """Queue a cron job as 2.x code did, outside our index."""
        service = self.layer['async']
        return service.queueJobWithDelay(None, begin_after, runJob,
                                         self.portal, cron)


class TestJobInfos(JobInfosMixin, unittest.TestCase):
    """The job infos face of IQueue."""

    layer = COLLECTIVE_CRON_INTEGRATION_TESTING

    def test_properties(self):
        self.assertIs(self.cqueue.job, runJob)
        self.assertTrue(IAsyncService.providedBy(self.cqueue.service))
        self.assertTrue(zc.async.interfaces.IQueue.providedBy(
            self.cqueue.queue))
        self.assertEqual(self.cqueue.jobs, [])
        self.assertIs(self.cqueue.portal, self.portal)
        self.assertTrue(ICrontabMarker.providedBy(self.cqueue.marker))

    def test_get_job_infos_defaults(self):
        infos = self.cqueue.get_job_infos()
        self.assertEqual(infos, {'job': runJob, 'context': self.portal,
                                 'begin_after': None, 'args': (),
                                 'kwargs': {}})
        when = utc(2008, 1, 2)
        infos = self.cqueue.get_job_infos(when, other_job, None, 1, a=2)
        self.assertEqual((infos['begin_after'], infos['job'],
                          infos['args'], infos['kwargs']),
                         (when, other_job, (1,), {'a': 2}))

    def test_register_job_queues_and_marks(self):
        self.layer['crontab_marker'].unmark_crontab_aware()
        infos = self.cqueue.get_job_infos(job=other_job)
        self.assertIs(self.cqueue.register_job(infos), True)
        self.assertEqual(len(self.zqueue), 1)
        job = self.cqueue.jobs[0]
        self.assertIs(job.callable, _executeAsUser)
        self.assertIs(job.args[4], other_job)
        self.assertTrue(self.layer['crontab_marker'].marked)
        self.assertEqual(self.cqueue.cron_uids(), [])

    def test_compare_job(self):
        cron = list(self.crontab_with(u'a').crons.values())[0]
        infos = self.cqueue.get_job_infos(None, None, None, cron)
        job = self.by_hand(cron)
        self.assertTrue(self.cqueue.compare_job(job, infos))
        self.assertFalse(self.cqueue.compare_job(
            job, dict(infos, begin_after=datetime.datetime(2009, 1, 1))))
        self.assertFalse(self.cqueue.compare_job(
            job, dict(infos, kwargs={'x': 1})))
        self.assertFalse(self.cqueue.compare_job(job, dict(infos, job='x')))
        self.assertFalse(self.cqueue.compare_job(
            job, dict(infos, context=self.portal['acl_users'])))
        twin = Cron.load(dict(cron.dump(), name=u'renamed'))
        self.assertTrue(self.cqueue.compare_job(job, dict(infos,
                                                         args=(twin,))))
        stranger = Cron(name=u'b', periodicity=u'* * * * *')
        self.assertFalse(self.cqueue.compare_job(
            job, dict(infos, args=(stranger,))))

    def test_compare_wrapped_job_infos(self):
        cron = list(self.crontab_with(u'a').crons.values())[0]
        job = self.by_hand(cron)
        wrapped = self.cqueue.get_job_infos_from_job(job)
        self.assertIs(wrapped['job'], _executeAsUser)
        self.assertEqual(wrapped['context'], self.portal)
        self.assertTrue(self.cqueue.compare_job(job, wrapped))

    def test_other_jobs_compare_by_args(self):
        infos = self.cqueue.get_job_infos(None, other_job, None, 1, 2)
        self.cqueue.register_job(infos)
        job = self.cqueue.jobs[0]
        self.assertTrue(self.cqueue.compare_job(job, infos))
        self.assertFalse(self.cqueue.compare_job(job, dict(infos,
                                                           args=(1,))))

    def test_presence_and_status(self):
        infos = self.cqueue.get_job_infos(job=other_job)
        self.assertFalse(self.cqueue.is_job_present(infos))
        self.assertIsNone(self.cqueue.get_job_status(infos))
        self.cqueue.register_job(infos)
        self.assertTrue(self.cqueue.is_job_present(infos))
        self.assertTrue(self.cqueue.is_job_pending(infos))
        self.assertFalse(self.cqueue.is_job_running(infos))
        self.assertFalse(self.cqueue.is_job_finished(infos))
        self.assertIs(self.cqueue.get_job_present(infos),
                      self.cqueue.jobs[0])
        self.assertIsNone(self.cqueue.get_job_status(
            dict(infos, args=('foo',))))

    def test_remove_jobs_by_infos(self):
        mine = self.cqueue.get_job_infos(job=other_job)
        theirs = self.cqueue.get_job_infos(None, other_job, None, 'x')
        self.cqueue.register_job(mine)
        self.cqueue.register_job(theirs)
        self.assertIs(self.cqueue.remove_jobs(theirs), True)
        self.assertEqual(len(self.zqueue), 1)
        self.assertIs(self.cqueue.remove_jobs(theirs), False)
        job = self.cqueue.jobs[0]
        self.cqueue.remove(job)
        self.assertEqual(len(self.zqueue), 0)
        self.assertRaises(LookupError, self.cqueue.remove, job)

    def test_get_job_infos_from_queue(self):
        cron = list(self.crontab_with(u'a').crons.values())[0]
        self.cqueue.register_job(self.cqueue.get_job_infos(job=other_job))
        infos = self.cqueue.get_job_infos_from_queue()
        self.assertEqual(len(infos), 2)
        for item in infos:
            self.assertIs(item['job'], _executeAsUser)
            self.assertEqual(item['context'], self.portal)
        self.assertEqual([item['args'][4] for item in infos],
                         [job.args[4] for job in self.cqueue.jobs])
        self.assertEqual(self.cqueue.cron_uids(), [cron.uid])


class TestCleanup(JobInfosMixin, unittest.TestCase):
    """cleanup_before_job: 2.x's rules for a stale pending job."""

    layer = COLLECTIVE_CRON_INTEGRATION_TESTING

    def setUp(self):
        super(TestCleanup, self).setUp()
        self.cron = self.layer['cron']
        self.infos = self.cqueue.get_job_infos(None, None, None, self.cron)

    def test_kept_when_current(self):
        self.by_hand(self.cron)
        self.cqueue.cleanup_before_job(self.infos)
        self.assertEqual(len(self.zqueue), 1)

    def test_forced(self):
        self.by_hand(self.cron)
        self.cqueue.cleanup_before_job(self.infos, force=True)
        self.assertEqual(len(self.zqueue), 0)

    def test_later_or_overdue(self):
        job = self.by_hand(self.cron, utc(2008, 1, 1, 1))
        earlier = dict(self.infos, begin_after=utc(2008, 1, 1, 0, 30))
        self.cqueue.cleanup_before_job(earlier)
        self.assertEqual(len(self.zqueue), 0)
        job = self.by_hand(self.cron, utc(2008, 1, 1, 1))
        set_now(utc(2008, 1, 1, 2))
        self.cqueue.cleanup_before_job(dict(self.infos,
                                            begin_after=job.begin_after))
        self.assertEqual(len(self.zqueue), 0)

    def test_changed_cron(self):
        self.by_hand(self.cron)
        changed = Cron.load(dict(self.cron.dump(), name=u'other'))
        self.cqueue.cleanup_before_job(dict(self.infos, args=(changed,)))
        self.assertEqual(len(self.zqueue), 0)


class TestIndexConsistency(JobInfosMixin, unittest.TestCase):
    """The 2.x face keeps our uid index right."""

    layer = COLLECTIVE_CRON_INTEGRATION_TESTING

    def test_registered_cron_job_is_indexed(self):
        crontab = self.crontab_with(u'a')
        cron = list(crontab.crons.values())[0]
        old = self.cqueue.cron_job(cron.uid)
        begins = cron.next
        infos = self.cqueue.get_job_infos(begins, None, None, cron)
        self.cqueue.register_job(infos)
        job = self.cqueue.cron_job(cron.uid)
        self.assertIsNot(job, old)
        self.assertIs(job.args[5], cron)
        self.assertTrue(self.cqueue.is_current(cron))
        self.assertEqual(len(self.zqueue), 2)
        crontab.save()
        self.assertEqual(len(self.zqueue), 1)
        self.assertIs(self.cqueue.jobs[0], job)

    def test_removed_job_leaves_the_index(self):
        cron = list(self.crontab_with(u'a').crons.values())[0]
        job = self.cqueue.cron_job(cron.uid)
        self.cqueue.remove(job)
        self.assertIsNone(self.cqueue.cron_job(cron.uid))
        self.assertEqual(len(self.zqueue), 0)

    def test_remove_jobs_by_infos_leaves_the_index(self):
        cron = list(self.crontab_with(u'a').crons.values())[0]
        infos = self.cqueue.get_job_infos(None, None, None, cron)
        self.cqueue.remove_jobs(infos)
        self.assertEqual(self.cqueue.cron_uids(), [])
        self.assertEqual(len(self.zqueue), 0)

    def synchronize(self, crontab):
        manager = getMultiAdapter((self.portal, crontab), ICrontabManager)
        return manager.synchronize_crontab_with_queue()

    def test_legacy_jobs(self):
        crontab = self.crontab_with(u'a', u'b')
        first, second = crontab.crons.values()
        self.cqueue.register_job(self.cqueue.get_job_infos(job=other_job))
        legacy = self.by_hand(second)
        self.assertEqual(self.cqueue.legacy_jobs(), [legacy])
        self.assertEqual(len(self.zqueue), 4)

    def test_sync_replaces_legacy_jobs(self):
        crontab = self.crontab_with(u'a', u'b')
        first, second = crontab.crons.values()
        self.by_hand(first)
        self.by_hand(second)
        gone = Cron(name=u'gone', periodicity=u'* * * * *')
        self.by_hand(gone)
        self.assertEqual(len(self.zqueue), 5)
        result = self.synchronize(crontab)
        self.assertEqual([item['args'][5].uid for item in result['deleted']],
                         [gone.uid])
        self.assertEqual([(item['activated'], item['cron'].uid)
                          for item in result['jobs']],
                         [(True, first.uid), (True, second.uid)])
        self.assertEqual(self.cqueue.legacy_jobs(), [])
        self.assertEqual(len(self.zqueue), 2)
        self.assertEqual(sorted(self.cqueue.cron_uids()),
                         sorted([first.uid, second.uid]))

    def test_deleted_cron_reported(self):
        crontab = self.crontab_with(u'a', u'b')
        first, second = crontab.crons.values()
        del crontab.crons[first.uid]
        result = self.synchronize(crontab)
        self.assertEqual([item['args'][5].uid for item in result['deleted']],
                         [first.uid])
        self.assertIsNone(result['deleted'][0]['begin_after'])
        self.assertEqual(self.cqueue.cron_uids(), [second.uid])

    def test_remove_all_removes_legacy_jobs(self):
        cron = list(self.crontab_with(u'a').crons.values())[0]
        self.by_hand(cron)
        self.cqueue.register_job(self.cqueue.get_job_infos(job=other_job))
        self.cqueue.remove_all()
        self.assertEqual([job.args[4] for job in self.cqueue.jobs],
                         [other_job])

    def test_cron_and_uid_arguments(self):
        cron = list(self.crontab_with(u'a').crons.values())[0]
        self.cqueue.remove_jobs(cron.uid)
        self.assertEqual(len(self.zqueue), 0)
        job = self.cqueue.register_job(cron, utc(2008, 1, 1, 1))
        self.assertIs(self.cqueue.cron_job(cron.uid), job)


class TestFastPaths(JobInfosMixin, unittest.TestCase):
    """The 2.x layer does not slow our own paths down."""

    layer = COLLECTIVE_CRON_INTEGRATION_TESTING

    def count_scans(self, action):
        """(passes over the queue's keys, full zc.async scans) made by
        ``action``."""
        counts = {'keys': 0, 'iter': 0}
        original_keys = queue_module.queued_jobs
        original_iter = type(self.zqueue)._iter

        def keys(queue):
            counts['keys'] += 1
            return original_keys(queue)

        def scan(queue):
            counts['iter'] += 1
            return original_iter(queue)
        queue_module.queued_jobs = keys
        type(self.zqueue)._iter = scan
        try:
            action()
        finally:
            queue_module.queued_jobs = original_keys
            type(self.zqueue)._iter = original_iter
        return counts['keys'], counts['iter']

    def test_unchanged_crontab_looks_once(self):
        crontab = self.crontab_with(u'a', u'b', u'c')
        self.assertEqual(self.count_scans(crontab.save), (1, 0))
        self.assertEqual(len(self.zqueue), 3)

    def test_one_cron_never_looks(self):
        crontab = self.crontab_with(u'a', u'b')
        cron = list(crontab.crons.values())[0]
        cron.periodicity = u'*/7 * * * *'
        self.assertEqual(self.count_scans(cron.save), (0, 0))

    def test_no_backend(self):
        class Unconfigured(Queue):
            configured = False
        queue = Unconfigured(self.portal)
        with self.assertRaises(AsyncQueueNotReady):
            queue.service
        with self.assertRaises(AsyncQueueNotReady):
            queue.queue


class TestManagers(JobInfosMixin, unittest.TestCase):
    """The 2.x face of the cron and crontab managers."""

    layer = COLLECTIVE_CRON_INTEGRATION_TESTING

    def setUp(self):
        super(TestManagers, self).setUp()
        self.crontab = self.crontab_with(u'a')
        self.cron = list(self.crontab.crons.values())[0]
        self.manager = getMultiAdapter((self.portal, self.cron),
                                       ICronManager)

    def test_attributes(self):
        self.assertIs(self.manager.portal, self.portal)
        self.assertTrue(IQueue.providedBy(self.manager.queue))
        crontab_manager = getMultiAdapter((self.portal, self.crontab),
                                          ICrontabManager)
        self.assertTrue(IQueue.providedBy(crontab_manager.queue))

    def test_cron_first_in_args(self):
        infos = self.manager.get_job_infos(None, None, None, 'x')
        self.assertEqual(infos['args'], (self.cron, 'x'))
        infos = self.manager.get_job_infos(None, None, None, self.cron)
        self.assertEqual(infos['args'], (self.cron,))
        infos = self.manager.get_job_infos(job=other_job)
        self.assertEqual(infos['args'], ())

    def test_register_job_returns_whether_queued(self):
        self.assertIs(self.manager.register_job(), False)
        self.assertIs(self.manager.register_job(force=True), True)
        self.cron.activated = False
        self.assertIs(self.manager.register_job(), False)
        self.assertEqual(len(self.zqueue), 0)

    def test_register_or_remove(self):
        self.assertEqual(self.manager.register_or_remove(), (True, False))
        self.cron.activated = False
        self.assertEqual(self.manager.register_or_remove(), (False, True))
        self.assertEqual(len(self.zqueue), 0)

    def test_remove_jobs_removes_legacy_ones_too(self):
        self.by_hand(self.cron)
        self.assertIs(self.manager.remove_jobs(), True)
        self.assertEqual(len(self.zqueue), 0)
        self.assertEqual(self.cqueue.cron_uids(), [])

    def test_remove_jobs_by_infos(self):
        self.cqueue.register_job(self.manager.get_job_infos(job=other_job))
        self.manager.remove_jobs(self.manager.get_job_infos(job=other_job))
        self.assertEqual(self.cqueue.jobs,
                         [self.cqueue.cron_job(self.cron.uid)])

    def test_is_job_to_be_removed(self):
        manager = getMultiAdapter((self.portal, self.crontab),
                                  ICrontabManager)
        job = self.cqueue.cron_job(self.cron.uid)
        infos = self.cqueue.get_job_infos_from_job(job)
        self.assertFalse(manager.is_job_to_be_removed(infos))
        del self.crontab.crons[self.cron.uid]
        self.assertTrue(manager.is_job_to_be_removed(infos))
        self.assertFalse(manager.is_job_to_be_removed({'args': ()}))

    def test_no_queue_adapter(self):
        manager = getMultiAdapter((self.portal, self.cron), ICronManager)
        manager.context = object()
        with self.assertRaises(AsyncQueueNotReady):
            manager.queue


class TestMarker(unittest.TestCase):
    """2.x's storage of the marked sites."""

    layer = COLLECTIVE_CRON_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer['portal']
        self.zqueue = self.layer['queue']
        self.marker = getMultiAdapter((self.portal, self.zqueue),
                                      ICrontabMarker)

    def test_storage(self):
        self.marker.mark_crontab_aware()
        stored = annotations(self.zqueue)[MANAGE_KEY]
        self.assertIsInstance(stored, PersistentDict)
        self.assertIsInstance(stored['plone'], PersistentList)
        self.assertEqual(stored, {'plone': ['/plone']})
        self.marker.mark_crontab_aware()
        self.assertEqual(stored, {'plone': ['/plone']})

    def test_unmark(self):
        self.marker.mark_crontab_aware()
        self.marker.unmark_crontab_aware()
        self.assertFalse(self.marker.marked)
        self.assertEqual(IAnnotedQueue(self.zqueue).annotations,
                         {'plone': []})

    def test_key_and_site_only_adapter(self):
        self.assertEqual(self.marker.key, '/plone')
        site_marker = ICrontabMarker(self.portal)
        site_marker.mark()
        self.assertTrue(self.marker.marked)
        self.assertIs(IAnnotedQueue(self.zqueue).queue, self.zqueue)

    def test_queue_registration_marks(self):
        self.marker.unmark_crontab_aware()
        Cron(name=u'a', periodicity=u'* * * * *', activated=True,
             crontab=Crontab.load()).save()
        self.assertTrue(self.marker.marked)


class TestTestingResources(unittest.TestCase):
    """The 2.x per-test resources of our layers."""

    layer = COLLECTIVE_CRON_INTEGRATION_TESTING

    def test_resources(self):
        layer = self.layer
        self.assertEqual(layer['cron'].name, u'testcron')
        self.assertEqual(layer['cron'].periodicity, u'*/1 * * * *')
        self.assertIs(layer['crontab'].crons[layer['cron'].uid],
                      layer['cron'])
        self.assertIs(layer['cron_manager'].cron, layer['cron'])
        self.assertIs(layer['crontab_manager'].crontab, layer['crontab'])
        self.assertTrue(IQueue.providedBy(layer['cron_queue']))
        self.assertIs(layer['queue'], layer['cron_queue'].queue)
        self.assertIs(layer['async'], layer['cron_queue'].service)
        self.assertTrue(ICCRONUtils.providedBy(layer['cron_utils']))
        self.assertIs(testingbase._layer, layer)

    def test_set_now_naive_is_local(self):
        naive = datetime.datetime(2008, 6, 1, 12, 0)
        set_now(naive)
        self.assertEqual(datetime.datetime.now(), naive)
        self.assertEqual(datetime.datetime.now(pytz.UTC), to_utc(naive))
        set_now(utc(2008, 6, 1, 12, 0))
        self.assertEqual(datetime.datetime.now(pytz.UTC),
                         utc(2008, 6, 1, 12, 0))


class TestAdaptersModules(unittest.TestCase):
    """2.x's collective.cron.adapters modules and registrations."""

    layer = COLLECTIVE_CRON_INTEGRATION_TESTING

    def test_names(self):
        from collective.cron import cronmanager
        from collective.cron import crontabmanager
        from collective.cron import marker
        from collective.cron import queue
        from collective.cron import restart
        from collective.cron.adapters import exportimport
        from collective.cron.adapters import manager
        from collective.cron.adapters import ploneappasync
        from collective.cron.adapters import registry
        from collective.cron.adapters import utils
        from collective.cron.zcasync import restart as zcasync_restart
        self.assertIs(manager.CronManager, cronmanager.CronManager)
        self.assertIs(manager.CrontabManager, crontabmanager.CrontabManager)
        self.assertIs(manager.runJob, runJob)
        self.assertIs(manager.do_synchronize, crontabmanager.synchronise)
        self.assertIs(manager.do_syncronize_on_mod,
                      crontabmanager.crontab_modified)
        self.assertIs(manager.server_restart, restart.server_restarted)
        self.assertIs(ploneappasync.Queue, queue.Queue)
        self.assertIs(ploneappasync.CrontabMarker, marker.CrontabMarker)
        self.assertIs(ploneappasync.register_on_restart,
                      zcasync_restart.queue_ready)
        self.assertTrue(callable(ploneappasync.restore_plone))
        self.assertTrue(callable(registry.synchronize_queue_edited))
        self.assertTrue(callable(manager.AsyncManager))
        self.assertIs(exportimport.CronsExportImporter,
                      getMultiAdapter((self.layer['portal'], Crontab()),
                                      IExportImporter).__class__)
        self.assertIs(utils.CCRONUtils, self.layer['cron_utils'].__class__)

    def test_restore_plone(self):
        from collective.cron.adapters.ploneappasync import restore_plone
        crontab = Crontab.load()
        Cron(name=u'a', periodicity=u'* * * * *', activated=True,
             crontab=crontab)
        crontab.save()
        cqueue = IQueue(self.layer['portal'])
        cqueue.remove_all()
        restore_plone(self.layer['app'], '/plone')
        self.assertEqual(cqueue.cron_uids(), list(crontab.crons))

    def test_getfolder(self):
        utils = self.layer['cron_utils']
        folder = utils.getFolder('results', title=u'Results')
        self.assertEqual(folder.Title(), u'Results')
        self.assertIs(aq_base(utils.getFolder('results')), aq_base(folder))

    def test_registry_synchronize(self):
        from collective.cron.adapters import registry
        cron = Cron(name=u'a', periodicity=u'* * * * *', activated=True,
                    crontab=Crontab.load())
        cron.crontab.save()
        IQueue(self.layer['portal']).remove_all()
        self.assertEqual(IQueue(self.layer['portal']).cron_uids(), [])
        self.assertTrue(registry.synchronize_queue_edited(None, None))
        self.assertEqual(IQueue(self.layer['portal']).cron_uids(),
                         [cron.uid])

    def test_export_import(self):
        portal = self.layer['portal']
        crontab = Crontab()
        importer = queryMultiAdapter((portal, crontab), IExportImporter)
        importer.do_import(
            '<crons><cron uid="u1" name="n&quot;1" activated="true" '
            'periodicity="*/2 * * * *"><environ><![CDATA[{"a": 1}]]>'
            '</environ></cron><cron uid="u2" name="n2" '
            'periodicity="* * * * *"/></crons>')
        saved = Crontab.load()
        self.assertEqual(list(saved.crons), [u'u1', u'u2'])
        exported = importer.do_export()
        self.assertTrue(exported.startswith(
            '<?xml version="1.0" encoding="UTF-8"?>\n<crons>\n  <cron '
            'uid="u1" name="n&quot;1" activated="True" '
            'periodicity="*/2 * * * *">\n    <environ><![CDATA[\n'
            '{"a": 1}\n]]>\n    </environ>\n  </cron>'))
        again = Crontab()
        getMultiAdapter((portal, again), IExportImporter).do_import(exported)
        self.assertEqual(Crontab.load().crons[u'u1'].name, u'n"1')


class TestRunningJobs(QueueTestCase):
    """Jobs run by the dispatcher, seen through 2.x's API."""

    def test_browser_new(self):
        transaction.commit()
        browser = testing.Browser.new(self.portal.absolute_url(),
                                      login=True)
        self.assertIn('personaltools-logout', browser.contents)
        anonymous = testing.Browser.new(self.portal.absolute_url())
        self.assertNotIn('personaltools-logout', anonymous.contents)

    def test_finished_job_found_in_agents(self):
        uid = self.add(runners.RECORD, periodicity=u'0 0 1 1 *')
        cron = self.cron(uid)
        getMultiAdapter((self.portal, cron), ICronManager).register_job(
            force=True)
        job = IQueue(self.portal).cron_job(uid)
        transaction.commit()
        testing.wait_for_result(job)
        cqueue = IQueue(self.portal)
        infos = cqueue.get_job_infos(None, None, None, cron)
        self.assertIs(cqueue.get_job_in_agents(infos, only_completed=True),
                      job)
        self.assertIsNone(cqueue.get_job_in_agents(infos, only_active=True))
        self.assertFalse(cqueue.is_job_running(infos))
        # the run queued the next one, which the queue finds first (2.x)
        self.assertTrue(cqueue.is_job_pending(infos))
        self.assertIsNot(cqueue.get_job_present(infos), job)
