# -*- coding: utf-8 -*-
"""The queue manager of the Huey backend (IQueue).

Our face, by cron uid, reads and writes the site's job records (see
records.py): no call to Huey, except the task scheduled or revoked once the
transaction commits (scheduling.py). 2.x's face, by "job infos", sees the
records as jobs: ``{'job': crontab.runJob, 'context': site, 'begin_after':
due, 'args': (cron,), 'kwargs': {}}``; Huey runs cron jobs only, so
``register_job`` refuses any other callable.
"""
import logging

from AccessControl.SecurityManagement import getSecurityManager
from Products.CMFCore.interfaces import ISiteRoot
from zope.component import adapter
from zope.interface import implementer

from collective.cron import crontab as model
from collective.cron import jobinfos
from collective.cron import states
from collective.cron.hueybackend import running
from collective.cron.hueybackend import scheduling
from collective.cron.hueybackend.marker import CrontabMarker
from collective.cron.hueybackend.records import CronJob
from collective.cron.hueybackend.records import REMOVED
from collective.cron.hueybackend.records import site_jobs
from collective.cron.hueybackend.records import site_path
from collective.cron.hueybackend.store import get_huey
from collective.cron.interfaces import AsyncQueueNotReady
from collective.cron.interfaces import ICron
from collective.cron.interfaces import IQueue
from collective.cron.jobinfos import same
from collective.cron.states import signature
from collective.cron.utils import now

logger = logging.getLogger('collective.cron')
#: the key of the workers' last poll in Huey's key-value store
POLL_KEY = 'collective.cron.last_poll'


def current_user_id():
    """The id of the user queueing a job (the task runs as that user)."""
    user = getSecurityManager().getUser()
    return user.getId() if user is not None else None


class JobInfos(jobinfos.JobInfos):
    """collective.cron 2.x's face of the queue: the site's jobs described
    by "job infos" dicts."""

    @property
    def jobs(self):
        """The site's pending jobs, by due time."""
        found = [job for job in self.records().values()
                 if job.state == states.PENDING]
        return sorted(found, key=lambda job: job.due)

    @property
    def marker(self):
        return CrontabMarker(self.context)

    def get_job_infos_from_job(self, job):
        return {'job': model.runJob, 'context': self.context,
                'begin_after': job.due, 'args': (job.cron,), 'kwargs': {}}

    def cron_of(self, job_infos):
        try:
            if job_infos['job'] != model.runJob:
                return None
            first = job_infos['args'][0]
        except (IndexError, KeyError, TypeError):
            return None
        return first if ICron.providedBy(first) else None

    def compare_job(self, job, job_infos=None):
        """True when ``job`` matches ``job_infos``: same site, the cron
        callable, the same cron (when args are given), no kwargs, and the
        same begin_after (when given)."""
        if job_infos is None:
            job_infos = self.get_job_infos(job.due)
        given = job_infos['args']
        checks = (
            same(lambda: job_infos['context'].getPhysicalPath() ==
                 tuple(job.path.split('/'))),
            job_infos['job'] == model.runJob,
            not given or same(lambda: given[0].uid == job.uid),
            not job_infos['kwargs'],
            job_infos['begin_after'] is None or same(
                lambda: job_infos['begin_after'] == job.due),
        )
        return all(checks)

    def register_job(self, job_infos, begin_after=None):
        """Queue a cron job from ``job_infos`` (2.x; True)."""
        if ICron.providedBy(job_infos):
            self.register_cron_job(job_infos, begin_after)
            return True
        cron = self.cron_of(job_infos)
        if cron is None:
            raise ValueError('collective.cron: the Huey backend queues cron '
                             'jobs only (crontab.runJob with a cron), not '
                             'job %r' % (job_infos.get('job'),))
        self.register_cron_job(cron, job_infos['begin_after'])
        return True

    def remove(self, job):
        """Take ``job`` out of the queue (LookupError if it is not the
        current job of its cron)."""
        if self.records().get(job.uid) is not job:
            raise LookupError('not in the queue: %r' % (job,))
        self.remove_cron_jobs(job.uid)

    def get_job_status(self, job_infos=None, only_active=False):
        if job_infos is None:
            job_infos = self.get_job_infos()
        for job in self.records().values():
            if only_active and job.state != states.RUNNING:
                continue
            if self.compare_job(job, job_infos):
                return job.state
        return None

    def remove_stale(self, job, job_infos):
        """cleanup_before_job: the stale job of a cron is taken out."""
        self.remove_cron_jobs(job.uid)

    def is_stale(self, job, job_infos, force=False):
        if force:
            return True
        wanted = job_infos['begin_after']
        if wanted is not None and (same(lambda: job.due > wanted) or
                                   job.due < now()):
            return True
        cron = self.cron_of(job_infos)
        return cron is not None and signature(cron) != job.signature


class PendingJobs(object):
    """What 2.x's code and tests read as "the backend's queue": iterating
    it gives the site's pending jobs, by due time; ``huey`` is the task
    store."""

    def __init__(self, queue, huey):
        self.site_queue = queue
        self.huey = huey

    def __iter__(self):
        return iter(self.site_queue.jobs)

    def __len__(self):
        return len(self.site_queue.jobs)


@implementer(IQueue)
@adapter(ISiteRoot)
class Queue(JobInfos, states.StateQueries):
    """The cron jobs of one site, run by Huey."""

    @property
    def available(self):
        return self.configured

    @property
    def configured(self):
        """True when this process has a task store (its settings are
        valid)."""
        try:
            get_huey()
        except (ValueError, ImportError) as error:
            logger.error('collective.cron: no Huey task store: %s', error)
            return False
        return True

    @property
    def service(self):
        """The Huey instance (the task store)."""
        if not self.configured:
            raise AsyncQueueNotReady('collective.cron: the Huey task store '
                                     'is not configured (see the log)')
        return get_huey()

    @property
    def queue(self):
        """2.x's queue: the site's pending jobs (see PendingJobs)."""
        return PendingJobs(self, self.service)

    def records(self, create=False):
        """uid -> CronJob of this site (empty when it has none)."""
        jobs = site_jobs(self.context, create)
        return jobs.jobs if jobs is not None else {}

    # -- our face, by cron uid
    def cron_job(self, cron_uid):
        return self.records().get(cron_uid)

    def cron_uids(self):
        return list(self.records().keys())

    def state(self, cron_uid):
        job = self.cron_job(cron_uid)
        if job is None:
            return None, None
        return job.state, job.due if job.state == states.PENDING else None

    def is_current(self, cron):
        job = self.cron_job(cron.uid)
        return (job is not None and job.state == states.PENDING
                and job.signature == signature(cron))

    def last_poll(self):
        """When a worker's scheduler last polled the task store (aware
        UTC; kept in Huey's key-value store, so shared by the workers), or
        None when none ever did or the store cannot be reached (then no
        worker can poll it either)."""
        try:
            return get_huey().get(POLL_KEY, peek=True)
        except Exception:
            logger.exception('collective.cron: cannot read the workers\' '
                             'last poll from the Huey task store')
            return None

    def register_cron_job(self, cron, begin_after=None, forced=False):
        """Queue a run of ``cron`` at ``begin_after`` (None: now); the
        cron's pending job, if any, is replaced. The task is scheduled in
        Huey when the transaction commits."""
        if begin_after is None:
            begin_after = now()
        records = self.records(create=True)
        previous = records.get(cron.uid)
        if previous is not None and previous.state == states.PENDING:
            self.drop(previous)
        job = CronJob(site_path(self.context), cron, begin_after,
                      current_user_id(), forced)
        records[cron.uid] = job
        scheduling.schedule(job)
        self.marker.mark()
        return job

    def drop(self, job):
        """A pending job will never run: its task is revoked."""
        job.state = REMOVED
        scheduling.revoke(job)

    def remove_cron_jobs(self, cron_uid):
        """Forget the cron's job (revoking its task when pending); a
        running job is left to finish. True when the cron had one."""
        records = self.records()
        job = records.get(cron_uid)
        if job is None:
            return False
        if job.state == states.RUNNING:
            return True
        if job.state == states.PENDING:
            self.drop(job)
        del records[cron_uid]
        return True

    def remove_all(self):
        for uid in self.cron_uids():
            self.remove_cron_jobs(uid)

    # -- upgrades from 2.x: no zc.async job is ever in Huey
    def legacy_jobs(self):
        return []

    def clear_legacy_completed(self):
        return 0

    def clean_quotas(self):
        """Nothing: Huey keeps no completed jobs (results are off)."""

    # -- the job running in this thread (IRunningJob)
    def running_notes(self):
        job = running.running_job(self.context)
        return job.notes if job is not None else None

    def running_due(self):
        job = running.running_job(self.context)
        if job is None or job.forced:
            return None
        return job.due

    def running_queued(self):
        job = running.running_job(self.context)
        return job.queued if job is not None else None

    def other_run(self, cron_uid):
        return running.other_run(self.context, cron_uid)

    def interrupted_run(self, cron_uid):
        return running.interrupted_run(self.context, cron_uid)

    def mark_running(self, cron_uid):
        running.mark_running(self.context, cron_uid)

    def unmark_running(self, cron_uid):
        running.unmark_running(self.context, cron_uid)

