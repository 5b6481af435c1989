# -*- coding: utf-8 -*-
"""The queue manager: the only module that knows plone.app.async / zc.async.

Jobs are queued through plone.app.async's IAsyncService, so they run in the
site with the registering user's security. Each site's cron jobs are
indexed by cron uid in the async queue's annotations, so that finding the
job of a cron never scans the queue:

    annotations['collective.cron.jobs'][site path][cron uid] = job
    annotations['collective.cron.notes'][site path][cron uid] = (
        signature, begin_after)

The notes answer "is the cron's job pending and current?" without loading
the job (a zc.async job waiting for its time is found by key in the
queue), so synchronising a large unchanged crontab stays cheap. A job
remembers the cron's previous job; once that one is completed it is taken
out of its agent's completed jobs, so runs do not pile up in the database.

Another job backend replaces this module by registering its own IQueue
adapter for the site.
"""
import json

import zc.async.interfaces
import zc.async.threadlocal
from BTrees.OOBTree import OOBTree
from plone.app.async.interfaces import IAsyncDatabase
from plone.app.async.interfaces import IAsyncService
from Products.CMFCore.interfaces import ISiteRoot
from zope.annotation.interfaces import IAnnotations
from zope.annotation.interfaces import IAttributeAnnotatable
from zope.component import adapter
from zope.component import getUtility
from zope.component import queryUtility
from zope.interface.interfaces import ComponentLookupError
from zope.interface import alsoProvides
from zope.interface import implementer

from collective.cron.interfaces import IQueue

JOBS_KEY = 'collective.cron.jobs'
NOTES_KEY = 'collective.cron.notes'
SIGNATURE_KEY = 'collective.cron.signature'
PREVIOUS_KEY = 'collective.cron.previous'
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
    if not IAttributeAnnotatable.providedBy(queue):
        alsoProvides(queue, IAttributeAnnotatable)
    return IAnnotations(queue)


def site_path(site):
    return '/'.join(site.getPhysicalPath())


def held_key(job, begin_after):
    """The key of a job waiting for ``begin_after`` in zc.async's queue."""
    return (begin_after, job._p_jar.db().database_name, job._p_oid)


def unhold(queue, job, begin_after):
    """zc.async's ``Queue.remove`` for a job that waits for its time,
    by key instead of by scanning the queue."""
    del queue._held[held_key(job, begin_after)]
    queue._length.change(-1)
    job.assignerUUID = None
    job.parent = None


def drop_completed(job):
    """Take a completed job out of its agent's completed jobs."""
    agent = job.parent
    if job.status == FINISHED and zc.async.interfaces.IAgent.providedBy(agent):
        agent.completed._data.pop(getattr(job, 'key', None), None)


def forget_previous(job):
    """Drop the job queued before ``job`` if it is completed (one still
    running when ``job`` is replaced stays among the completed jobs)."""
    previous = job.annotations.pop(PREVIOUS_KEY, None)
    if previous is not None:
        drop_completed(previous)


def running_job_notes(context):
    """The annotations of the job running in this thread, loaded through
    ``context``'s connection so that a note commits with the job's work
    (both databases in one transaction); None outside a job.

    zc.async calls a job again when it raised ConflictError or its worker
    died: a note written by the first call tells what already happened.
    """
    job = zc.async.threadlocal.local.getJob()
    if job is None or getattr(job, '_p_oid', None) is None:
        return None
    name = job._p_jar.db().database_name
    return context._p_jar.get_connection(name).get(job._p_oid).annotations


@implementer(IQueue)
@adapter(ISiteRoot)
class Queue(object):
    """The cron jobs of one site in plone.app.async's default queue."""

    def __init__(self, context):
        self.context = context

    @property
    def configured(self):
        """False when no zc.async database is configured in this Zope, or
        when its queues are not installed yet (no worker started)."""
        if queryUtility(IAsyncDatabase) is None:
            return False
        try:
            getUtility(IAsyncService).getQueues()
        except KeyError:
            return False
        return True

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
        """zc.async's default queue (looked up once per adapter)."""
        queue = getattr(self, '_queue', None)
        if queue is None:
            queue = self._queue = self.service.getQueues()['']
        return queue

    @property
    def annotations(self):
        return annotations(self.queue)

    def tree(self, key, create=False):
        """This site's uid -> value tree stored under ``key``."""
        trees = self.annotations.get(key)
        if trees is None:
            if not create:
                return None
            trees = self.annotations[key] = OOBTree()
        path = site_path(self.context)
        tree = trees.get(path)
        if tree is None and create:
            tree = trees[path] = OOBTree()
        return tree

    def index(self, create=False):
        """uid -> job for this site (None if absent and not ``create``)."""
        return self.tree(JOBS_KEY, create)

    def notes(self, create=False):
        """uid -> (signature, begin_after) of the job in the index."""
        return self.tree(NOTES_KEY, create)

    def held(self, cron_uid):
        """(job, note) when the cron's job waits for its time, else None.

        The job is not loaded from the database to find out.
        """
        notes = self.notes()
        note = notes.get(cron_uid) if notes is not None else None
        job = self.job(cron_uid) if note is not None else None
        if job is None or job._p_jar is None:
            return None
        if self.queue._held.get(held_key(job, note[1])) is not job:
            return None
        return job, note

    def job(self, cron_uid):
        """The last job queued for the cron, whatever its state, or None."""
        index = self.index()
        return index.get(cron_uid) if index is not None else None

    def cron_uids(self):
        index = self.index()
        return list(index.keys()) if index is not None else []

    def status(self, cron_uid):
        return self.state(cron_uid)[0]

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
        return self.state(cron_uid)[1]

    def state(self, cron_uid):
        """(zc.async status or None, when the pending job begins or None);
        a job waiting for its time is answered without loading it."""
        held = self.held(cron_uid)
        if held is not None:
            return PENDING, held[1][1]
        job = self.job(cron_uid)
        if job is None:
            return None, None
        status = job.status
        return status, job.begin_after if status == PENDING else None

    def is_current(self, cron):
        """True when the pending job was queued for these settings."""
        held = self.held(cron.uid)
        if held is not None:
            return held[1][0] == signature(cron)
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
        current = signature(cron)
        job.annotations[SIGNATURE_KEY] = current
        index = self.index(create=True)
        previous = index.get(cron.uid)
        if previous is not None:
            job.annotations[PREVIOUS_KEY] = previous
            forget_previous(previous)
        index[cron.uid] = job
        self.notes(create=True)[cron.uid] = (current, job.begin_after)
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
        held = self.held(cron_uid)
        if held is not None:
            unhold(self.queue, job, held[1][1])
        elif job.status == PENDING:
            self.queue.remove(job)
        if job.status not in RUNNING:
            self.forget(cron_uid, job)
        return True

    def forget(self, cron_uid, job):
        """Drop a job that is not running from the index."""
        del self.index()[cron_uid]
        notes = self.notes()
        if notes is not None:
            notes.pop(cron_uid, None)
        forget_previous(job)
        drop_completed(job)

    def remove_all(self):
        """Remove every cron job of this site (uninstall)."""
        for uid in self.cron_uids():
            self.remove_jobs(uid)
        jobs = self.annotations.get(JOBS_KEY)
        path = site_path(self.context)
        if jobs is not None and path in jobs and not len(jobs[path]):
            del jobs[path]
