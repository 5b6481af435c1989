# -*- coding: utf-8 -*-
"""The queue manager of the zc.async backend (IQueue, through plone.app.async).

Jobs are queued through plone.app.async's IAsyncService, so they run in the
site with the registering user's security. Each site's cron jobs are
indexed by cron uid in the async queue's annotations, so that finding the
job of a cron never scans the queue:

    annotations['collective.cron.jobs'][site path][cron uid] = job
    annotations['collective.cron.notes'][site path][cron uid] = (
        signature, begin_after)

A cron whose job is running is marked, so that another job of that cron
does not run at the same time, on this Zope or on another ZEO client (see
``mark_running``):

    annotations['collective.cron.running'][site path][cron uid] = (
        job, since)

The notes answer "is the cron's job pending and current?" without loading
the job (a zc.async job waiting for its time is found by key in the
queue), so synchronising a large unchanged crontab stays cheap. A job
remembers the cron's previous job; once that one is completed it is taken
out of its agent's completed jobs, so runs do not pile up in the database.

The adapter has two faces (see IQueue): ours, by cron uid
(``register_cron_job``, ``remove_cron_jobs``, ``cron_job``, ``state``...),
and collective.cron 2.x's, by "job infos" dicts (``get_job_infos``,
``register_job``, ``remove_jobs``, ``compare_job``...), which scans the
queue as 2.x did. Both keep the index right: a cron job queued through 2.x's
``register_job`` for a site's cron is indexed (it replaces the cron's
indexed job, which the next synchronisation removes), and a job removed
through ``remove`` / ``remove_jobs`` leaves the index. Jobs of this site
that call ``crontab.runJob`` and are in no index (queued by hand, or
pickled by a 2.x release) are ``legacy_jobs()``; a synchronisation of the
whole crontab removes them (those of crons still in the crontab are
replaced by indexed ones).

Another job backend replaces this package by registering its own IQueue
adapter for the site (see collective.cron.zcasync).
"""
import datetime
import logging

import threading
import time

import pytz
import zc.async.dispatcher
import zc.async.interfaces
import zc.async.threadlocal
from BTrees.OOBTree import OOBTree
from plone.app.async.interfaces import IAsyncDatabase
from plone.app.async.interfaces import IAsyncService
from plone.app.async.service import _executeAsUser
from Products.CMFCore.interfaces import ISiteRoot
from zope.annotation.interfaces import IAnnotations
from zope.annotation.interfaces import IAttributeAnnotatable
from zope.component import adapter
from zope.component import getMultiAdapter
from zope.component import getUtility
from zope.component import queryUtility
from zope.interface import alsoProvides
from zope.interface import implementer

from collective.cron import crontab as model
from collective.cron import jobinfos
from collective.cron import states
from collective.cron.interfaces import AsyncQueueNotReady
from collective.cron.interfaces import ICron
from collective.cron.interfaces import ICrontabMarker
from collective.cron.interfaces import IQueue
from collective.cron.jobinfos import same
from collective.cron.states import signature

logger = logging.getLogger('collective.cron')

JOBS_KEY = 'collective.cron.jobs'
NOTES_KEY = 'collective.cron.notes'
SIGNATURE_KEY = 'collective.cron.signature'
PREVIOUS_KEY = 'collective.cron.previous'
RUNNING_KEY = 'collective.cron.running'
#: job annotation: the job was queued by "run now" (never a missed run)
FORCED_KEY = 'collective.cron.forced'
#: job annotation: the real epoch seconds when the job was indexed (the
#: test time machine does not move them; see restart.activation)
QUEUED_KEY = 'collective.cron.queued'
#: a running mark older than this is ignored (a run whose worker died and
#: whose job zc.async never gave back no longer blocks its cron)
RUNNING_BOUND = datetime.timedelta(hours=24)
PENDING = zc.async.interfaces.PENDING
RUNNING = (zc.async.interfaces.ASSIGNED, zc.async.interfaces.ACTIVE,
           zc.async.interfaces.CALLBACKS)
FINISHED = zc.async.interfaces.COMPLETED
#: plone.app.async's wrapper: a job's args are (context path, portal path,
#: user folder path, user id, callable, *arguments)
WRAPPER = _executeAsUser
CALLABLE_ARG = 4
CRON_ARG = 5


def neutral_state(status):
    """The backend-neutral state (collective.cron.states) of a zc.async
    job status; None stays None."""
    if status is None:
        return None
    if status in RUNNING:
        return states.RUNNING
    if status == FINISHED:
        return states.COMPLETED
    return states.PENDING


def annotations(queue):
    """The annotations of the zc.async queue (made annotatable once)."""
    if not IAttributeAnnotatable.providedBy(queue):
        alsoProvides(queue, IAttributeAnnotatable)
    return IAnnotations(queue)


def site_path(site):
    return '/'.join(site.getPhysicalPath())


def default_queue():
    """zc.async's default queue of this Zope (plone.app.async's)."""
    return getUtility(IAsyncService).getQueues()['']


def async_queue(app):
    """The zc.async default queue, opened from ``app``'s connection."""
    name = getUtility(IAsyncDatabase).database_name
    connection = app._p_jar.get_connection(name)
    return connection.root()[zc.async.interfaces.KEY]['']


def in_dispatcher_thread(queue):
    """True when this thread is the thread of a zc.async dispatcher
    registered in ``queue`` (its activation runs there)."""
    current = threading.current_thread()
    for uuid in queue.dispatchers:
        dispatcher = zc.async.dispatcher.get(uuid)
        if getattr(dispatcher, 'thread', None) is current:
            return True
    return False


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
    """Take a completed job out of its agent's completed jobs; False when
    the job is still running (it cannot be dropped yet)."""
    if job.status in RUNNING:
        return False
    agent = job.parent
    if job.status == FINISHED and zc.async.interfaces.IAgent.providedBy(agent):
        agent.completed._data.pop(getattr(job, 'key', None), None)
    return True


def forget_previous(job):
    """Drop the jobs queued before ``job`` that are completed; return those
    still running (the next job carries them until they complete)."""
    previous = job.annotations.pop(PREVIOUS_KEY, None)
    if previous is None:
        return []
    if not isinstance(previous, list):
        previous = [previous]
    return [old for old in previous if not drop_completed(old)]


def running_job(context):
    """The job running in this thread, loaded through ``context``'s
    connection so that what is written on it commits with the job's work
    (both databases in one transaction); None outside a job."""
    job = zc.async.threadlocal.local.getJob()
    if job is None or getattr(job, '_p_oid', None) is None:
        return None
    name = job._p_jar.db().database_name
    return context._p_jar.get_connection(name).get(job._p_oid)


def running_job_notes(context):
    """The annotations of the job running in this thread (see running_job);
    None outside a job.

    zc.async calls a job again when it raised ConflictError or its worker
    died: a note written by the first call tells what already happened.
    """
    job = running_job(context)
    return job.annotations if job is not None else None


def running_job_due(context):
    """When the job running in this thread was due (aware UTC), or None
    outside a job and for a job queued by "run now"."""
    job = running_job(context)
    if job is None or job.annotations.get(FORCED_KEY):
        return None
    return job.begin_after


def running_job_queued(context):
    """The real epoch seconds when the job running in this thread was
    queued, or None (outside a job, or a job queued by an older release or
    by hand)."""
    job = running_job(context)
    return job.annotations.get(QUEUED_KEY) if job is not None else None


def running_tree(context, create=False):
    """uid -> (job, since) of the site's crons that are running."""
    job = running_job(context)
    if job is None:
        return None
    queue = async_queue_of(job)
    trees = annotations(queue).get(RUNNING_KEY)
    if trees is None:
        if not create:
            return None
        trees = annotations(queue)[RUNNING_KEY] = OOBTree()
    path = site_path(context)
    if path not in trees and create:
        trees[path] = OOBTree()
    return trees.get(path)


def async_queue_of(job):
    """The zc.async queue a running job belongs to."""
    while job is not None and not zc.async.interfaces.IQueue.providedBy(job):
        job = getattr(job, 'parent', None)
    if job is None:
        raise AsyncQueueNotReady('the running job is in no queue')
    return job


def other_run(context, cron_uid):
    """(job, since) of another run of the cron that is still running, or
    None. A mark whose job no longer runs (it failed or was given up by
    zc.async) or older than RUNNING_BOUND is ignored."""
    tree = running_tree(context)
    mark = tree.get(cron_uid) if tree is not None else None
    if mark is None:
        return None
    job, since = mark
    current = running_job(context)
    stale = datetime.datetime.now(pytz.UTC) - since > RUNNING_BOUND
    if job is current or job.status not in RUNNING or stale:
        return None
    return mark


def interrupted_run(context, cron_uid):
    """True when the job of this thread already marked the cron as running:
    it started before and was interrupted (its worker died), and zc.async
    calls it again."""
    tree = running_tree(context)
    mark = tree.get(cron_uid) if tree is not None else None
    return mark is not None and mark[0] is running_job(context)


def mark_running(context, cron_uid):
    """Mark the cron as run by the job of this thread. Two jobs of a cron
    marking it at once write the same key: one commit meets a
    ConflictError and zc.async calls that job again, which then sees the
    other's mark."""
    job = running_job(context)
    if job is not None:
        running_tree(context, create=True)[cron_uid] = (
            job, datetime.datetime.now(pytz.UTC))


def unmark_running(context, cron_uid):
    """Remove the cron's running mark if the job of this thread made it."""
    tree = running_tree(context)
    mark = tree.get(cron_uid) if tree is not None else None
    if mark is not None and mark[0] is running_job(context):
        del tree[cron_uid]


def queued_jobs(queue):
    """Every job waiting in the zc.async ``queue``, without loading any
    (the putback queue, the due jobs, the jobs waiting for their time)."""
    for job in queue._putback_queue or ():
        yield job
    for job in queue._queue:
        yield job
    for job in queue._held.values():
        yield job


def cron_job_args(job):
    """The wrapped arguments of a plone.app.async job that calls
    ``crontab.runJob`` (portal path at 1, cron at CRON_ARG), else None."""
    if job.callable is not WRAPPER:
        return None
    args = job.args
    if len(args) <= CRON_ARG or args[CALLABLE_ARG] != model.runJob:
        return None
    return args


def cron_uid_of(job):
    """The uid of the cron a cron job runs, or None."""
    args = cron_job_args(job)
    return getattr(args[CRON_ARG], 'uid', None) if args else None


def queue_aware(func):
    """2.x: a method of a Queue adapter that marks its site first."""
    def wrapper(self, *args, **kwargs):
        self.marker.mark_crontab_aware()
        return func(self, *args, **kwargs)
    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


class JobInfos(jobinfos.JobInfos):
    """collective.cron 2.x's face of the queue: jobs described by "job
    infos" dicts (job, context, begin_after, args, kwargs), found by
    scanning the queue and the agents as 2.x did."""

    PENDING_STATUS = PENDING
    ACTIVE_STATUS = zc.async.interfaces.ACTIVE
    FINISHED_STATUS = FINISHED

    @property
    def jobs(self):
        """The jobs of the queue, in zc.async's order."""
        return list(self.queue)

    @property
    def marker(self):
        """The ICrontabMarker of (site, queue)."""
        return getMultiAdapter((self.context, self.queue), ICrontabMarker)

    def compare_job(self, job, job_infos=None):
        """True when ``job`` matches ``job_infos`` (2.x's rules): same
        context, callable, kwargs and begin_after (when given); for cron
        jobs the same cron uid, for others the same args."""
        if job_infos is None:
            job_infos = self.get_job_infos(job.begin_after)
        if job.callable is not WRAPPER:
            return False
        args = job.args
        wrapped = job_infos['job'] == WRAPPER
        given = job_infos['args']
        is_cron = same(lambda: args[CALLABLE_ARG] == model.runJob)
        checks = (
            same(lambda: job_infos['context'].getPhysicalPath() == args[0]),
            same(lambda: job_infos['job'] == args[CALLABLE_ARG] or (
                wrapped and given[CALLABLE_ARG] == args[CALLABLE_ARG])),
            not (is_cron and given) or same(
                lambda: (given[CRON_ARG] if wrapped else given[0]).uid ==
                args[CRON_ARG].uid),
            is_cron or same(lambda: tuple(given) == tuple(args[CRON_ARG:])),
            job_infos['kwargs'] == job.kwargs,
            job_infos['begin_after'] is None or same(
                lambda: job_infos['begin_after'] == job.begin_after),
        )
        return all(checks)

    def cron_of(self, job_infos):
        """The cron that the job infos of a queued cron job run (their
        args are the job's wrapped ones), or None for other job infos."""
        try:
            args = job_infos['args']
            is_cron = args[CALLABLE_ARG] == model.runJob
            return args[CRON_ARG] if is_cron else None
        except (IndexError, KeyError, TypeError):
            return None

    @queue_aware
    def register_job(self, job_infos, begin_after=None):
        """Queue a job from ``job_infos`` (2.x; True). A cron (our own
        register_cron_job, which callers should use) is still accepted."""
        if ICron.providedBy(job_infos):
            return self.register_cron_job(job_infos, begin_after)
        job = self.service.queueJobWithDelay(
            None, job_infos['begin_after'], job_infos['job'],
            job_infos['context'], *job_infos['args'],
            **job_infos['kwargs'])
        logger.info('collective.cron: queued %r', job)
        self.adopt(job)
        return True

    def remove(self, job):
        """Take ``job`` out of the queue (LookupError if it is not in it)
        and out of the index."""
        key = held_key(job, job.begin_after) if job._p_jar else None
        if key is not None and self.queue._held.get(key) is job:
            unhold(self.queue, job, job.begin_after)
        else:
            self.queue.remove(job)
        self.unindex(job)

    def get_job_in_agent(self, agent, job_infos=None, only_active=False,
                         only_completed=False):
        """The matching job an agent runs or (most recent first) ran."""
        if job_infos is None:
            job_infos = self.get_job_infos()
        places = []
        if only_active or not only_completed:
            places.append(agent._data)
        if only_completed or not only_active:
            places.append(agent.completed)
        for place in places:
            for job in place:
                if self.compare_job(job, job_infos):
                    return job
        return None

    def get_job_in_agents(self, job_infos=None, only_active=False,
                          only_completed=False):
        for dispatcher in self.queue.dispatchers.values():
            for agent in dispatcher.values():
                job = self.get_job_in_agent(agent, job_infos, only_active,
                                            only_completed)
                if job is not None:
                    return job
        return None

    def get_job_present(self, job_infos=None, only_in_queue=False,
                        only_in_agents=False, only_active=False):
        """The matching job in the queue, else in the agents."""
        job = None
        if only_in_queue or not only_in_agents:
            job = self.get_job_in_queue(job_infos)
        if only_in_agents or (job is None and not only_in_queue):
            job = self.get_job_in_agents(job_infos, only_active=only_active)
        return job

    def get_job_status(self, job_infos=None, only_active=False):
        job = self.get_job_present(job_infos, only_active=only_active)
        return job.status if job is not None else None

    def remove_stale(self, job, job_infos):
        """cleanup_before_job: the jobs matching ``job_infos`` are taken
        out (2.x)."""
        self.remove_jobs(job_infos)

    def is_stale(self, job, job_infos, force=False):
        pending = job.status == PENDING
        if force and pending:
            return True
        begins, wanted = job.begin_after, job_infos['begin_after']
        if isinstance(begins, datetime.datetime) and isinstance(
                wanted, datetime.datetime):
            now = datetime.datetime.now(pytz.UTC)
            if same(lambda: begins > wanted) or (
                    pending and same(lambda: begins < now)):
                return True
        queued = cron_job_args(job)
        if queued is None or not isinstance(queued[CRON_ARG], model.Cron):
            return False
        wanted = job_infos['args'][0] if job_infos['args'] else None
        if getattr(wanted, 'similar', None) is None:
            return False
        return not wanted.similar(queued[CRON_ARG])

    def get_job_infos_from_job(self, job):
        """The job infos of a queued job (args are the job's own, wrapped
        ones; context is the job's context when it can be found)."""
        infos = {'context': self.context, 'begin_after': job.begin_after,
                 'job': job.callable, 'args': job.args,
                 'kwargs': job.kwargs}
        if job.callable is WRAPPER and len(job.args):
            context = self.context.unrestrictedTraverse(
                '/'.join(job.args[0]), None)
            if context is not None:
                infos['context'] = context
        return infos


@implementer(IQueue)
@adapter(ISiteRoot)
class Queue(JobInfos, states.StateQueries):
    """The cron jobs of one site in plone.app.async's default queue."""

    @property
    def configured(self):
        """False when no zc.async database is configured in this Zope, or
        when its queues are not installed yet (no worker started). Once
        true, it is not asked again for this adapter (a dashboard asks it
        for every cron)."""
        if self.__dict__.get('_configured'):
            return True
        if queryUtility(IAsyncDatabase) is None:
            return False
        try:
            getUtility(IAsyncService).getQueues()
        except KeyError:
            return False
        self._configured = True
        return True

    @property
    def available(self):
        """True when this Zope process declares the async database (its
        queues may not be installed yet: see ``configured``)."""
        return queryUtility(IAsyncDatabase) is not None

    @property
    def service(self):
        if not self.configured:
            raise AsyncQueueNotReady(
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

    def tree(self, key, create=False, path=None):
        """A site's uid -> value tree stored under ``key`` (this site's
        unless ``path`` is given)."""
        trees = self.annotations.get(key)
        if trees is None:
            if not create:
                return None
            trees = self.annotations[key] = OOBTree()
        if path is None:
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
        job = self.cron_job(cron_uid) if note is not None else None
        if job is None or job._p_jar is None:
            return None
        if self.queue._held.get(held_key(job, note[1])) is not job:
            return None
        return job, note

    def cron_job(self, cron_uid):
        """The last job queued for the cron, whatever its state, or None."""
        index = self.index()
        return index.get(cron_uid) if index is not None else None

    def cron_uids(self):
        index = self.index()
        return list(index.keys()) if index is not None else []

    def state(self, cron_uid):
        """(state or None, when the pending job begins or None), the state
        one of collective.cron.states; a job waiting for its time is
        answered without loading it."""
        held = self.held(cron_uid)
        if held is not None:
            return states.PENDING, held[1][1]
        job = self.cron_job(cron_uid)
        if job is None:
            return None, None
        state = neutral_state(job.status)
        return state, job.begin_after if state == states.PENDING else None

    def last_poll(self):
        """When a zc.async dispatcher last showed that it polls the queue
        (aware UTC), or None when no dispatcher is activated.

        Read from zc.async's queue: each registered dispatcher has its
        agents (``queue.dispatchers[uuid]``) with ``activated`` (when it
        started, None once it stopped cleanly) and ``last_ping.value``
        (its last ping, written at most once per ``ping_interval``, 30 s
        by default, by its polls). A dispatcher that died without stopping
        stays activated with an old ping.
        """
        latest = None
        for agents in self.queue.dispatchers.values():
            if not agents.activated:
                continue
            for seen in (agents.activated, agents.last_ping.value):
                if seen is not None and (latest is None or seen > latest):
                    latest = seen
        return latest

    def is_current(self, cron):
        """True when the pending job was queued for these settings."""
        held = self.held(cron.uid)
        if held is not None:
            return held[1][0] == signature(cron)
        job = self.cron_job(cron.uid)
        return (job is not None and job.status == PENDING
                and job.annotations.get(SIGNATURE_KEY) == signature(cron))

    # -- the job running in this thread (see IRunningJob)
    def running_notes(self):
        return running_job_notes(self.context)

    def running_due(self):
        return running_job_due(self.context)

    def running_queued(self):
        return running_job_queued(self.context)

    def other_run(self, cron_uid):
        return other_run(self.context, cron_uid)

    def interrupted_run(self, cron_uid):
        return interrupted_run(self.context, cron_uid)

    def mark_running(self, cron_uid):
        mark_running(self.context, cron_uid)

    def unmark_running(self, cron_uid):
        unmark_running(self.context, cron_uid)

    def register_cron_job(self, cron, begin_after=None, forced=False):
        """Queue a run of ``cron`` at ``begin_after`` (None: now); a
        ``forced`` run ("run now") is never a missed run. The job holds the
        cron, as in 2.x; it is pickled with its logs but without its
        crontab (the job reloads the cron from the registry when it
        runs)."""
        from collective.cron.zcasync.marker import mark  # imports this module
        job = self.service.queueJobInQueueWithDelay(
            None, begin_after, self.queue, (), model.runJob, self.context,
            cron)
        if forced:
            job.annotations[FORCED_KEY] = True
        self.tree(RUNNING_KEY, create=True)
        self.index_job(cron, job)
        mark(self.queue, self.context)
        return job

    def index_job(self, cron, job):
        """Make ``job`` the cron's job in the index (with its notes)."""
        current = signature(cron)
        job.annotations[SIGNATURE_KEY] = current
        job.annotations.setdefault(QUEUED_KEY, time.time())
        index = self.index(create=True)
        previous = index.get(cron.uid)
        if previous is not None and previous is not job:
            job.annotations[PREVIOUS_KEY] = [previous] + forget_previous(
                previous)
        index[cron.uid] = job
        self.notes(create=True)[cron.uid] = (current, job.begin_after)

    def adopt(self, job):
        """Index a cron job of this site queued through 2.x's API."""
        args = cron_job_args(job)
        if args is None or tuple(args[1]) != self.context.getPhysicalPath():
            return
        cron = args[CRON_ARG]
        if ICron.providedBy(cron) and getattr(cron, 'uid', None):
            self.index_job(cron, job)

    def unindex(self, job):
        """Forget ``job`` if a site's index holds it (it left the queue)."""
        args = cron_job_args(job)
        uid = cron_uid_of(job)
        if uid is None:
            return
        path = '/'.join(args[1])
        index = self.tree(JOBS_KEY, path=path)
        if index is not None and index.get(uid) is job:
            del index[uid]
            notes = self.tree(NOTES_KEY, path=path)
            if notes is not None:
                notes.pop(uid, None)
            forget_previous(job)

    def remove_cron_jobs(self, cron_uid):
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

    def indexed_oids(self):
        """The oids of the jobs in every site's index (jobs not loaded)."""
        oids = set()
        for tree in (self.annotations.get(JOBS_KEY) or {}).values():
            oids.update(job._p_oid for job in tree.values())
        return oids

    def legacy_jobs(self):
        """The queued jobs of this site that call ``crontab.runJob`` but
        are in no index: queued by hand through plone.app.async, or pickled
        by collective.cron 2.x before an upgrade. One pass over the queue;
        only the jobs missing from the indexes are loaded. An upgrade step
        removes them with ``remove(job)`` and then synchronises the
        crontab, which queues one indexed job per activated cron."""
        known = self.indexed_oids()
        path = self.context.getPhysicalPath()
        legacy = []
        for job in queued_jobs(self.queue):
            if job._p_oid in known:
                continue
            args = cron_job_args(job)
            if args is not None and tuple(args[1]) == path:
                legacy.append(job)
        return legacy

    def legacy_completed(self):
        """The completed jobs kept by the agents that ran
        ``crontab.runJob`` for this site and are in no index (2.x's, or a
        job of ours replaced while it ran)."""
        known = self.indexed_oids()
        path = self.context.getPhysicalPath()
        found = []
        for dispatcher in self.queue.dispatchers.values():
            for agent in dispatcher.values():
                for job in agent.completed:
                    args = cron_job_args(job)
                    if (args is not None and job._p_oid not in known
                            and tuple(args[1]) == path):
                        found.append(job)
        return found

    def clear_legacy_completed(self):
        """Drop legacy_completed() from the agents; return how many (an
        upgrade from 2.x calls it after removing the legacy_jobs())."""
        jobs = self.legacy_completed()
        for job in jobs:
            drop_completed(job)
        return len(jobs)

    def clean_quotas(self):
        """Let zc.async's quotas forget the jobs that completed
        (``Quota.clean``): a quota keeps the last job it ran until it needs
        the room, and after an upgrade from 2.x that job's pickle is one
        that needs 2.x code."""
        for quota in self.queue.quotas.values():
            quota.clean()

    def remove_all(self):
        """Remove every cron job of this site (uninstall), legacy jobs
        included."""
        for uid in self.cron_uids():
            self.remove_cron_jobs(uid)
        for job in self.legacy_jobs():
            self.remove(job)
        jobs = self.annotations.get(JOBS_KEY)
        path = site_path(self.context)
        if jobs is not None and path in jobs and not len(jobs[path]):
            del jobs[path]
