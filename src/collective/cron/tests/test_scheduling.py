# -*- coding: utf-8 -*-
"""The life cycle of crons in the real queue of each backend (with the
fake clock)."""
import datetime

import transaction
from Products.CMFCore.interfaces import ISiteRoot
from zope.component import getMultiAdapter
from zope.component import provideAdapter
from zope.component import provideHandler
from zope.component.globalregistry import getGlobalSiteManager

from collective.cron import crontab as model
from collective.cron import job as job_module
from collective.cron.crontab import Crontab
from collective.cron.job import LOG_ATTEMPTS
from collective.cron.interfaces import ICron
from collective.cron.interfaces import ICronManager
from collective.cron.interfaces import IFinishedCronJobEvent
from collective.cron.interfaces import IJobRunner
from collective.cron.interfaces import IModifiedCrontabEvent
from collective.cron.interfaces import IStartedCronJobEvent
from collective.cron.registry import CRONTAB
from collective.cron.registry import encode
from collective.cron.registry import saving
from collective.cron.testing import DEFAULT_NOW
from collective.cron.testing import set_now
from collective.cron.testing import wait_for
from collective.cron.tests import runners
from collective.cron.tests.base import QueueTestCase
from collective.cron.tests.base import utc
from collective.cron.utils import to_utc


class TestLifeCycle(QueueTestCase):

    def test_add_queues_one_job_at_next_time(self):
        uid = self.add()
        transaction.begin()
        self.assertTrue(self.queue.is_pending(uid))
        self.assertEqual(self.queue.begins(uid), utc(2008, 1, 1, 0, 5))
        self.assertEqual(len(self.pending_jobs()), 1)

    def test_saving_again_keeps_the_job(self):
        uid = self.add()
        job = self.queue.cron_job(uid)
        Crontab.load().save()
        transaction.commit()
        transaction.begin()
        self.assertIs(self.queue.cron_job(uid), job)
        self.assertEqual(len(self.pending_jobs()), 1)

    def test_cron_activation(self):
        uid = self.add()
        self.change(uid, activated=False)
        self.assertFalse(self.queue.is_present(uid))
        self.assertEqual(self.pending_jobs(), [])
        self.change(uid, activated=True)
        self.assertTrue(self.queue.is_pending(uid))
        self.assertEqual(len(self.pending_jobs()), 1)

    def test_crontab_activation(self):
        uids = [self.add(name=runners.RECORD), self.add(name=runners.WARN)]
        crontab = Crontab.load()
        crontab.activated = False
        crontab.save()
        transaction.commit()
        self.assertEqual(self.pending_jobs(), [])
        crontab = Crontab.load()
        crontab.activated = True
        crontab.save()
        transaction.commit()
        self.assertEqual(len(self.pending_jobs()), 2)
        self.assertTrue(all(self.queue.is_pending(uid) for uid in uids))

    def test_rename_and_reschedule_replace_the_job(self):
        uid = self.add()
        old = self.queue.cron_job(uid)
        self.change(uid, name=runners.WARN)
        renamed = self.queue.cron_job(uid)
        self.assertIsNot(renamed, old)
        self.assertEqual(len(self.pending_jobs()), 1)
        self.change(uid, periodicity=u'*/15 * * * *')
        self.assertEqual(self.queue.begins(uid), utc(2008, 1, 1, 0, 15))
        self.assertEqual(len(self.pending_jobs()), 1)
        queue = self.queue
        self.assertEqual(queue.cron_of(queue.get_job_infos_from_job(
            self.pending_jobs()[0])).name, runners.WARN)

    def test_delete_removes_the_job(self):
        uid, other = self.add(), self.add(name=runners.WARN)
        crontab = Crontab.load()
        del crontab.crons[uid]
        crontab.save()
        transaction.commit()
        transaction.begin()
        self.assertFalse(self.queue.is_present(uid))
        self.assertNotIn(uid, self.queue.cron_uids())
        self.assertTrue(self.queue.is_pending(other))
        self.assertEqual(len(self.pending_jobs()), 1)

    def test_due_job_runs_and_next_is_queued(self):
        uid = self.add(environ={u'k': u'v\xe9'})
        set_now(utc(2008, 1, 1, 0, 5))
        logs = self.wait_logs(uid, 1)
        self.assertEqual(logs[0].status, model.OK)
        self.assertEqual(logs[0].utc_date, utc(2008, 1, 1, 0, 5))
        self.wait_queued_after(uid, utc(2008, 1, 1, 0, 10))
        self.assertEqual(len(runners.runs()), 1)
        self.assertEqual(runners.runs()[0]['environ'], {u'k': u'v\xe9'})
        self.assertTrue(runners.runs()[0]['has_request'])
        self.assertEqual(len(self.pending_jobs()), 1)

    def test_runner_request_is_made_from_the_cron_environ(self):
        """Runners see URLs as the cron's environ REQUEST says, the site at
        the server's root, on every backend."""
        uid = self.add(environ={u'REQUEST': {
            u'SERVER_NAME': u'cron.example.org', u'SERVER_PORT': u'8443'}})
        self.force(uid)
        self.wait_logs(uid, 1)
        run = runners.runs()[0]
        self.assertTrue(run['has_request'])
        self.assertEqual(run['url'], u'http://cron.example.org:8443')

    def test_forced_run(self):
        uid = self.add()
        self.force(uid)
        logs = self.wait_logs(uid, 1)
        self.assertEqual([log.status for log in logs], [model.OK])
        self.assertEqual(len(runners.runs()), 1)
        self.wait_queued_after(uid, utc(2008, 1, 1, 0, 5))
        self.assertEqual(len(self.pending_jobs()), 1)

    def test_logs_trimmed_at_logs_limit(self):
        uid = self.add(logs_limit=2)
        for count in range(1, 4):
            self.force(uid)
            self.wait_queued_after(uid, utc(2008, 1, 1, 0, 5))
            self.assertEqual(len(runners.runs()), count)
        self.assertEqual(len(self.cron(uid).logs), 2)

    def test_explicit_time_and_late_job_replaced(self):
        uid = self.add()
        manager = getMultiAdapter((self.portal, self.cron(uid)),
                                  ICronManager)
        manager.register_job(begin_after=utc(2008, 1, 1, 3, 0))
        transaction.commit()
        self.assertEqual(self.queue.begins(uid), utc(2008, 1, 1, 3, 0))
        self.assertEqual(len(self.pending_jobs()), 1)
        manager.register_or_remove()
        transaction.commit()
        self.assertEqual(self.queue.begins(uid), utc(2008, 1, 1, 0, 5))
        self.assertEqual(len(self.pending_jobs()), 1)
        manager.remove_jobs()
        transaction.commit()
        self.assertEqual(self.pending_jobs(), [])

    def test_overdue_job_is_replaced_by_the_next_run(self):
        uid = self.add(name=u'unknown-runner', periodicity=u'0 0 * * *')
        transaction.begin()
        set_now(utc(2008, 1, 3, 12, 0))
        self.change(uid, environ={})
        self.assertEqual(self.queue.begins(uid),
                         to_utc(datetime.datetime(2008, 1, 4)),
                         'the next local midnight')


class EventRecorder(object):

    def __init__(self):
        self.events = []

    def __call__(self, event):
        self.events.append((event.__class__.__name__, event.cron.uid,
                            '/'.join(event.object.getPhysicalPath())))


class TestOutcomes(QueueTestCase):

    def setUp(self):
        super(TestOutcomes, self).setUp()
        self.recorder = EventRecorder()
        for interface in (IStartedCronJobEvent, IFinishedCronJobEvent):
            provideHandler(self.recorder, [interface])

    def tearDown(self):
        for interface in (IStartedCronJobEvent, IFinishedCronJobEvent):
            getGlobalSiteManager().unregisterHandler(self.recorder,
                                                     [interface])

    def run_once(self, name, **kwargs):
        uid = self.add(name=name, **kwargs)
        self.force(uid)
        return uid, self.wait_logs(uid, 1)[0]

    def test_ok_and_events_once_each(self):
        uid, log = self.run_once(runners.RECORD)
        self.assertEqual((log.status, log.messages), (model.OK, []))
        path = '/'.join(self.portal.getPhysicalPath())
        self.assertEqual(self.recorder.events, [
            ('StartedCronJobEvent', uid, path),
            ('FinishedCronJobEvent', uid, path)])

    def test_warn_with_messages(self):
        uid, log = self.run_once(runners.WARN)
        self.assertEqual(log.status, model.WARN)
        self.assertEqual(log.messages,
                         [u'first <b>warning</b>', u'second \xe9'])
        uid, log = self.run_once(runners.MESSAGE)
        self.assertEqual((log.status, log.messages), (model.WARN, [u'just one']))

    def test_failure_is_logged_rolled_back_and_later_runs_go_on(self):
        uid, log = self.run_once(runners.FAIL)
        self.assertEqual(log.status, model.FAILURE)
        self.assertEqual(log.messages,
                         [u'broken <i>on purpose</i>'])
        transaction.begin()
        self.assertFalse(getattr(self.portal, 'failing_runner_was_here',
                                 False))
        self.wait_queued_after(uid, utc(2008, 1, 1, 0, 5))
        self.force(uid)
        self.wait_logs(uid, 2)
        other, log = self.run_once(runners.RECORD)
        self.assertEqual(log.status, model.OK)
        self.assertEqual(len(self.recorder.events), 6)

    def test_odd_return_value_is_a_warning(self):
        provideAdapter(runners.OddRunner, (ISiteRoot, ICron), IJobRunner,
                       name=u'odd')
        try:
            uid, log = self.run_once(u'odd')
        finally:
            getGlobalSiteManager().unregisterAdapter(
                runners.OddRunner, (ISiteRoot, ICron), IJobRunner, u'odd')
        self.assertEqual((log.status, log.messages), (model.WARN, [u'42']))

    def test_local_runner_registration(self):
        self.portal.getSiteManager().registerAdapter(
            runners.LocalRunner, (ISiteRoot, ICron), IJobRunner,
            name=u'local-only')
        transaction.commit()
        uid, log = self.run_once(u'local-only')
        self.assertEqual((log.status, log.messages), (model.WARN, [u'local']))

    def test_notrun_without_runner(self):
        uid, log = self.run_once(u'no-such-runner-or-object')
        self.assertEqual(log.status, model.NOTRUN)
        self.assertIn(u'no-such-runner-or-object', log.messages[0])

    def test_notrun_when_deactivated_after_queuing(self):
        for switch in ('crontab', 'cron'):
            uid = self.add()
            self.force(uid)
            with saving():  # switched off without synchronisation
                crontab = Crontab.load()
                if switch == 'crontab':
                    crontab.manager.activated = False
                else:
                    crontab.by_uid(uid).activated = False
                    crontab.manager.crontab = [encode(crontab.by_uid(uid))]
            transaction.commit()
            log = self.wait_logs(uid, 1)[0]
            self.assertEqual(log.status, model.NOTRUN)
            self.assertEqual(log.messages,
                             [u'the %s is deactivated' % switch])
            self.assertFalse(self.queue.is_pending(uid))
            wait_for(lambda: self.cron(uid) and self.queue.is_finished(uid),
                     10, 'the job to be finished')
            self.assertFalse(self.queue.is_present(uid))
            self.assertEqual(runners.runs(), [])
            crontab = Crontab.load()
            crontab.activated = True
            del crontab.crons[uid]
            crontab.save()
            transaction.commit()

    def test_deleted_cron_is_skipped(self):
        uid = self.add()
        self.force(uid)
        job = self.queue.cron_job(uid)
        with saving():  # the record goes without synchronisation
            Crontab.load().manager.crontab = []
        transaction.commit()
        from collective.cron.testing import wait_for_result
        status, messages, job_uid, path = wait_for_result(job)
        self.assertEqual((status, job_uid), (model.NOTRUN, uid))
        self.assertEqual(runners.runs(), [])

    def test_python_script_by_path(self):
        self.portal.manage_addProduct['PythonScripts'].manage_addPythonScript(
            'cron_script')
        self.portal.cron_script.write(
            "## Script (Python) \"cron_script\"\n"
            "##parameters=\n"
            "container.setTitle('set by cron')\n"
            "return 'script ran'\n")
        uid, log = self.run_once(u'cron_script')
        self.assertEqual((log.status, log.messages),
                         (model.WARN, [u'script ran']))
        transaction.begin()
        self.assertEqual(self.portal.Title(), 'set by cron')

    def test_runs_as_cron_user(self):
        self.portal.acl_users.userFolderAddUser('bob', 'secret', ['Member'],
                                                [])
        transaction.commit()
        uid, log = self.run_once(runners.RECORD, user=u'bob')
        self.assertEqual(log.status, model.OK)
        self.assertEqual(runners.runs()[0]['user'], 'bob')

    def test_script_path_is_traversed_with_the_cron_users_rights(self):
        acl_users = self.portal.acl_users
        acl_users.userFolderAddUser('member', 's', ['Member'], [])
        acl_users.userFolderAddUser('boss', 's', ['Manager'], [])
        transaction.commit()
        path = u'portal_catalog/refreshCatalog'
        uid, log = self.run_once(path, user=u'member')
        self.assertEqual(log.status, model.FAILURE)
        self.assertEqual(log.messages,
                         [u'user member may not reach %s' % path])
        uid, log = self.run_once(path, user=u'boss')
        self.assertEqual((log.status, log.messages), (model.OK, []))

    def test_missing_user_fails(self):
        uid, log = self.run_once(runners.RECORD, user=u'ghost')
        self.assertEqual(log.status, model.FAILURE)
        self.assertIn(u'ghost does not exist', log.messages[0])
        self.assertEqual(runners.runs(), [])


class TestClock(QueueTestCase):

    def test_default_now(self):
        transaction.begin()
        self.assertEqual(model.Log().utc_date, DEFAULT_NOW)


class ConcurrentWriter(object):
    """When a job saves its log the first time, another connection adds a
    cron to the registry and commits first: the job's commit conflicts."""

    def __init__(self, portal):
        self.db = portal._p_jar.db()
        self.path = portal.getPhysicalPath()
        self.added = None

    def __call__(self, event):
        if event.cron is None or self.added is not None:
            return
        manager = transaction.TransactionManager()
        connection = self.db.open(transaction_manager=manager)
        try:
            site = connection.root()['Application'].unrestrictedTraverse(
                self.path)
            registry = site.portal_registry
            cron = model.Cron(name=u'added meanwhile', periodicity=u'0 * * * *')
            with saving():
                registry[CRONTAB] = list(registry[CRONTAB]) + [encode(cron)]
            manager.commit()
            self.added = cron.uid
        finally:
            connection.close()


class TestConflicts(QueueTestCase):

    def test_conflicting_log_save_is_retried_without_running_again(self):
        uid = self.add()
        writer = ConcurrentWriter(self.portal)
        provideHandler(writer, [IModifiedCrontabEvent])
        try:
            self.force(uid)
            logs = self.wait_logs(uid, 1)
        finally:
            getGlobalSiteManager().unregisterHandler(
                writer, [IModifiedCrontabEvent])
        self.assertIsNotNone(writer.added)
        self.assertEqual([log.status for log in logs], [model.OK])
        self.assertEqual(len(runners.runs()), 1)
        crontab = Crontab.load()
        self.assertEqual(crontab.by_uid(writer.added).name,
                         u'added meanwhile')
        self.wait_queued_after(uid, utc(2008, 1, 1, 0, 5))

    def test_job_called_again_does_not_run_the_runner_again(self):
        uid = self.add()
        writer = ConcurrentWriter(self.portal)
        provideHandler(writer, [IModifiedCrontabEvent])
        job_module.LOG_ATTEMPTS = 1
        try:
            self.force(uid)
            logs = self.wait_logs(uid, 1)
        finally:
            job_module.LOG_ATTEMPTS = LOG_ATTEMPTS
            getGlobalSiteManager().unregisterHandler(
                writer, [IModifiedCrontabEvent])
        self.assertIsNotNone(writer.added)
        self.assertEqual([log.status for log in logs], [model.OK])
        self.assertEqual(len(runners.runs()), 1)
        self.wait_queued_after(uid, utc(2008, 1, 1, 0, 5))
