# -*- coding: utf-8 -*-
"""The cron manager: keeps one cron's job in the queue right."""
import datetime

from Products.CMFCore.interfaces import ISiteRoot
from zope.component import adapter
from zope.interface import implementer

from collective.cron.interfaces import ICron
from collective.cron.interfaces import ICronManager
from collective.cron.interfaces import IQueue
from collective.cron.utils import now

#: a pending job overdue by more than this is replaced by the next run
#: (runs missed while no dispatcher was running are skipped, as cron does)
MISSED_GRACE = datetime.timedelta(minutes=2)


@implementer(ICronManager)
@adapter(ISiteRoot, ICron)
class CronManager(object):
    """Registers or removes the job of ``cron`` in ``context``'s queue."""

    def __init__(self, context, cron):
        self.context = context
        self.cron = cron

    @property
    def queue(self):
        queue = getattr(self, '_queue', None)
        if queue is None:
            queue = self._queue = IQueue(self.context)
        return queue

    @property
    def should_run(self):
        crontab = self.cron.crontab
        crontab_on = crontab is None or crontab.activated
        return bool(self.cron.activated and crontab_on)

    def register_job(self, begin_after=None, force=False):
        """Queue the cron's run (now with ``force``); return the job.

        A current pending job is kept; a stale one is replaced, so a cron
        never has two pending jobs. Nothing is queued for a cron that
        should not run.
        """
        if not self.should_run:
            self.remove_jobs()
            return None
        if force:
            begin_after = now()
        if not force and self.keeps_job(begin_after):
            return self.queue.job(self.cron.uid)
        if begin_after is None:
            begin_after = self.cron.next
        self.queue.remove_jobs(self.cron.uid)
        return self.queue.register_job(self.cron, begin_after)

    def keeps_job(self, begin_after=None):
        """True when the pending job is current and begins at
        ``begin_after``, or (without it) by the next run and not left in
        the past."""
        queue = self.queue
        if not queue.is_current(self.cron):
            return False
        begins = queue.begins(self.cron.uid)
        if begin_after is not None:
            return begins == begin_after
        return now() - MISSED_GRACE <= begins <= self.cron.next

    def remove_jobs(self):
        return self.queue.remove_jobs(self.cron.uid)

    def register_or_remove(self):
        if self.should_run:
            return self.register_job()
        self.remove_jobs()
        return None
