# -*- coding: utf-8 -*-
"""The queue manager: the only module that knows plone.app.async / zc.async.

Jobs are queued through plone.app.async's IAsyncService, so they run in the
site with the registering user's security. Each site's cron jobs are
indexed by cron uid in the async queue's annotations, so that finding the
job of a cron never scans the queue:

    annotations['collective.cron.jobs'][site path][cron uid] = job

Another job backend replaces this module by registering its own IQueue
adapter for the site.
"""
import json

import zc.async.interfaces
from BTrees.OOBTree import OOBTree
from plone.app.async.interfaces import IAsyncDatabase
from plone.app.async.interfaces import IAsyncService
from Products.CMFCore.interfaces import ISiteRoot
from zope.annotation.interfaces import IAnnotations
from zope.component import adapter
from zope.component import getUtility
from zope.component import queryUtility
from zope.interface.interfaces import ComponentLookupError
from zope.interface import alsoProvides
from zope.interface import implementer

from collective.cron.interfaces import IAnnotedQueue
from collective.cron.interfaces import IQueue

JOBS_KEY = 'collective.cron.jobs'
SIGNATURE_KEY = 'collective.cron.signature'
PENDING = zc.async.interfaces.PENDING
RUNNING = (zc.async.interfaces.ASSIGNED, zc.async.interfaces.ACTIVE,
           zc.async.interfaces.CALLBACKS)
FINISHED = zc.async.interfaces.COMPLETED


def signature(cron):
    """What a queued job depends on: a change means the job is stale."""
    return json.dumps([cron.name, cron.periodicity, cron.user,
                       cron.environ, cron.activated], sort_keys=True)


def annotations(queue):
    """The annotations of the zc.async queue (made annotatable once)."""
    if not IAnnotedQueue.providedBy(queue):
        alsoProvides(queue, IAnnotedQueue)
    return IAnnotations(queue)


def site_path(site):
    return '/'.join(site.getPhysicalPath())


@implementer(IQueue)
@adapter(ISiteRoot)
class Queue(object):
    """The cron jobs of one site in plone.app.async's default queue."""

    def __init__(self, context):
        self.context = context

    @property
    def configured(self):
        """False when no zc.async database is configured in this Zope."""
        return queryUtility(IAsyncDatabase) is not None

    @property
    def service(self):
        if not self.configured:
            raise ComponentLookupError(
                'collective.cron needs plone.app.async: include '
                'collective.cron:worker.zcml or instance.zcml in the '
                'Zope configuration')
        return getUtility(IAsyncService)

    @property
    def queue(self):
        return self.service.getQueues()['']

    @property
    def annotations(self):
        return annotations(self.queue)

    def index(self, create=False):
        """uid -> job for this site (None if absent and not ``create``)."""
        jobs = self.annotations.get(JOBS_KEY)
        if jobs is None:
            if not create:
                return None
            jobs = self.annotations[JOBS_KEY] = OOBTree()
        path = site_path(self.context)
        index = jobs.get(path)
        if index is None and create:
            index = jobs[path] = OOBTree()
        return index

    def job(self, cron_uid):
        """The last job queued for the cron, whatever its state, or None."""
        index = self.index()
        return index.get(cron_uid) if index is not None else None

    def cron_uids(self):
        index = self.index()
        return list(index.keys()) if index is not None else []

    def status(self, cron_uid):
        job = self.job(cron_uid)
        return job.status if job is not None else None

    def is_present(self, cron_uid):
        return self.is_pending(cron_uid) or self.is_running(cron_uid)

    def is_pending(self, cron_uid):
        return self.status(cron_uid) == PENDING

    def is_running(self, cron_uid):
        return self.status(cron_uid) in RUNNING

    def is_finished(self, cron_uid):
        return self.status(cron_uid) == FINISHED

    def begins(self, cron_uid):
        """When the cron's pending job begins (aware UTC), or None."""
        if not self.is_pending(cron_uid):
            return None
        return self.job(cron_uid).begin_after

    def is_current(self, cron):
        """True when the pending job was queued for these settings."""
        job = self.job(cron.uid)
        return (job is not None and job.status == PENDING
                and job.annotations.get(SIGNATURE_KEY) == signature(cron))

    def register_job(self, cron, begin_after=None):
        """Queue a run of ``cron`` at ``begin_after`` (None: now)."""
        from collective.cron.crontab import Cron
        from collective.cron.crontab import runJob
        from collective.cron.marker import mark
        detached = Cron.load(dict(cron.dump(), logs=[]))
        job = self.service.queueJobInQueueWithDelay(
            None, begin_after, self.queue, (), runJob, self.context,
            detached)
        job.annotations[SIGNATURE_KEY] = signature(cron)
        self.index(create=True)[cron.uid] = job
        mark(self.queue, self.context)
        return job

    def remove_jobs(self, cron_uid):
        """Take the cron's pending job out of the queue and forget it.

        A running job is left to finish (it is forgotten once replaced).
        """
        index = self.index()
        job = index.get(cron_uid) if index is not None else None
        if job is None:
            return False
        if job.status == PENDING:
            self.queue.remove(job)
        if job.status not in RUNNING:
            del index[cron_uid]
        return True

    def remove_all(self):
        """Remove every cron job of this site (uninstall)."""
        for uid in self.cron_uids():
            self.remove_jobs(uid)
        jobs = self.annotations.get(JOBS_KEY)
        path = site_path(self.context)
        if jobs is not None and path in jobs and not len(jobs[path]):
            del jobs[path]
