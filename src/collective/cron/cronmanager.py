# -*- coding: utf-8 -*-
"""The cron manager: keeps one cron's job in the queue right.

Its API is collective.cron 2.x's (ICronManager): ``register_job`` returns
whether a job was queued, ``register_or_remove`` returns (activated, that
result), ``get_job_infos`` / ``remove_jobs`` speak 2.x's job infos. It works
through the IQueue's own, indexed face, so that keeping a current job costs
no queue scan.
"""
import datetime
import logging

from Products.CMFCore.interfaces import ISiteRoot
from zope.component import adapter
from zope.component import queryAdapter
from zope.interface import implementer

from collective.cron.crontab import next_run
from collective.cron.crontab import should_run
from collective.cron.interfaces import AsyncQueueNotReady
from collective.cron.interfaces import IAsyncManager
from collective.cron.interfaces import ICron
from collective.cron.interfaces import ICronManager
from collective.cron.interfaces import IQueue
from collective.cron.utils import now

logger = logging.getLogger('collective.cron')

#: a pending job overdue by more than this is replaced by the next run
#: (runs missed while no dispatcher was running are skipped, as 2.x
#: removed overdue jobs), unless the cron has a misfire policy: then the
#: job is kept and the job wrapper runs it (run_once) or logs it as missed
#: (skip)
MISSED_GRACE = datetime.timedelta(minutes=2)


@implementer(IAsyncManager)
class AsyncManager(object):
    """2.x: the base of the managers, which know the site's IQueue."""

    def __init__(self, context):
        self.context = context

    @property
    def portal(self):
        return self.context

    @property
    def queue(self):
        """The site's IQueue (AsyncQueueNotReady without one)."""
        queue = getattr(self, '_queue', None)
        if queue is None:
            queue = queryAdapter(self.context, IQueue)
            if queue is None:
                raise AsyncQueueNotReady('no job queue for %r'
                                         % (self.context,))
            self._queue = queue
        return queue

    def get_job_infos(self, begin_after=None, job=None, context=None,
                      *args, **kwargs):
        return self.queue.get_job_infos(begin_after, job, context, *args,
                                        **kwargs)


@implementer(ICronManager)
@adapter(ISiteRoot, ICron)
class CronManager(AsyncManager):
    """Registers or removes the job of ``cron`` in ``context``'s queue."""

    def __init__(self, context, cron):
        super(CronManager, self).__init__(context)
        self.cron = cron

    @property
    def should_run(self):
        return should_run(self.cron)

    def get_job_infos(self, begin_after=None, job=None, context=None,
                      *args, **kwargs):
        """The job infos of this cron's job: for cron jobs (the default)
        the cron comes first in args, as 2.x had it."""
        if job is None:
            job = self.queue.job
        first = args[0] if args else None
        if job == self.queue.job and not (
                first is self.cron or first == self.cron):
            args = (self.cron,) + tuple(args)
        return self.queue.get_job_infos(begin_after, job, context, *args,
                                        **kwargs)

    def register_job(self, begin_after=None, force=False):
        """Queue the cron's run (now with ``force``); True when a job was
        queued, False when a current one is kept or the cron should not run.

        A stale pending job is replaced, so a cron never has two pending
        jobs; a cron that should not run has its pending job removed.
        """
        if not self.should_run:
            self.remove_cron_jobs()
            return False
        if force:
            begin_after = now()
        elif self.keeps_job(begin_after):
            return False
        if begin_after is None:
            begin_after = self.next_begin()
        self.queue.remove_cron_jobs(self.cron.uid)
        if force:
            self.queue.register_cron_job(self.cron, begin_after, forced=True)
        else:
            self.queue.register_cron_job(self.cron, begin_after)
        logger.debug('collective.cron: queued %r at %s', self.cron,
                     begin_after)
        return True

    def keeps_job(self, begin_after=None):
        """True when the pending job is current and begins at
        ``begin_after``, or (without it) by the next run and, for a cron
        without a misfire policy, not more than MISSED_GRACE in the past."""
        queue = self.queue
        if not queue.is_current(self.cron):
            return False
        begins = queue.begins(self.cron.uid)
        if begin_after is not None:
            return begins == begin_after
        if begins > self.next_begin():
            return False
        return self.cron.misfire is not None or now() - MISSED_GRACE <= begins

    def next_begin(self):
        """The cron's next run, never in the past: ``cron.next`` reads the
        local wall clock (2.x), which can be an hour behind the instant in
        the repeated hour of a DST change; the next run after the current
        instant is taken then."""
        current = now()
        begin = self.cron.next
        if begin is None or begin <= current:
            begin = next_run(self.cron.periodicity, current, self.cron.zone)
        return begin

    def remove_cron_jobs(self):
        """Remove the cron's indexed job (no queue scan)."""
        return self.queue.remove_cron_jobs(self.cron.uid)

    def remove_jobs(self, job_infos=None):
        """Remove the cron's jobs (2.x): without ``job_infos``, its indexed
        job and any other job of this site running it; else the queued
        jobs matching ``job_infos``. True when one was removed."""
        if job_infos is not None:
            return self.queue.remove_jobs(job_infos)
        removed = self.remove_cron_jobs()
        return self.queue.remove_jobs(self.get_job_infos()) or removed

    def register_or_remove(self, force=False):
        """(True, register_job()) for a cron that should run, else its job
        is removed: (False, whether it had one)."""
        if self.should_run:
            return True, self.register_job(force=force)
        return False, self.remove_cron_jobs()
