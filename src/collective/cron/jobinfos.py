# -*- coding: utf-8 -*-
"""collective.cron 2.x's face of the queue, the part that is the same for
every job backend.

2.x described a job by a "job infos" dict: ``{'job': callable, 'context':
site, 'begin_after': when, 'args': tuple, 'kwargs': dict}``. Each backend's
IQueue adapter subclasses JobInfos and gives what depends on its jobs:
``jobs`` (the queued jobs 2.x's scans look at), ``compare_job``,
``get_job_infos_from_job``, ``get_job_status``, ``is_stale``, ``remove``,
``remove_cron_jobs``, ``remove_stale`` and the statuses that
``get_job_status`` answers (``PENDING_STATUS``...). This module imports no
backend (tests/test_seam.py).
"""
import logging

import six

from collective.cron import crontab as model
from collective.cron import states

logger = logging.getLogger('collective.cron')


def same(compare):
    """The result of ``compare()``; False when it raises (2.x compared job
    infos leniently: missing args, naive against aware dates...)."""
    try:
        return bool(compare())
    except (AttributeError, IndexError, KeyError, TypeError, ValueError):
        return False


class JobInfos(object):
    """2.x's face of one site's queue: jobs described by job infos."""

    #: what get_job_status answers for a job waiting for its time, a job
    #: that runs and a job that ran (the backend's statuses)
    PENDING_STATUS = states.PENDING
    ACTIVE_STATUS = states.RUNNING
    FINISHED_STATUS = states.COMPLETED

    def __init__(self, context):
        self.context = context

    @property
    def portal(self):
        """2.x's name of the site."""
        return self.context

    @property
    def job(self):
        """The callable of cron jobs."""
        return model.runJob

    def get_job_infos(self, begin_after=None, job=None, context=None,
                      *args, **kwargs):
        """Job infos: by default of a cron job of this site."""
        return {'job': job if job is not None else model.runJob,
                'context': context if context is not None else self.context,
                'begin_after': begin_after,
                'args': tuple(args),
                'kwargs': dict(kwargs)}

    def get_job_infos_from_queue(self):
        return [self.get_job_infos_from_job(job) for job in self.jobs]

    def matches(self, job, job_infos):
        """compare_job whatever the job's begin_after (2.x's scans)."""
        job_infos = dict(job_infos, begin_after=job.begin_after)
        return self.compare_job(job, job_infos)

    def remove_jobs(self, job_infos=None):
        """Remove the queued jobs matching ``job_infos`` (2.x); True when
        one was. A cron uid (our remove_cron_jobs) is still accepted."""
        if isinstance(job_infos, six.string_types):
            return self.remove_cron_jobs(job_infos)
        if job_infos is None:
            job_infos = self.get_job_infos()
        removed = [job for job in self.jobs if self.matches(job, job_infos)]
        for job in removed:
            logger.info('collective.cron: removing %r', job)
            self.remove(job)
        return bool(removed)

    def get_job_in_queue(self, job_infos=None):
        """The first queued job matching ``job_infos``, or None."""
        if job_infos is None:
            job_infos = self.get_job_infos()
        for job in self.jobs:
            if self.matches(job, job_infos):
                return job
        return None

    def is_job_present(self, job_infos=None):
        return self.get_job_in_queue(job_infos) is not None

    def is_job_pending(self, job_infos=None):
        return self.get_job_status(job_infos) == self.PENDING_STATUS

    def is_job_running(self, job_infos=None):
        return (self.get_job_status(job_infos, only_active=True) ==
                self.ACTIVE_STATUS)

    def is_job_finished(self, job_infos=None):
        return self.get_job_status(job_infos) == self.FINISHED_STATUS

    def cleanup_before_job(self, job_infos=None, force=False):
        """Remove the pending job matching ``job_infos`` when forced, when
        it begins later than job_infos' begin_after, when it is overdue or
        when its cron's settings changed (2.x; the backend's is_stale)."""
        if job_infos is None:
            job_infos = self.get_job_infos()
        job = self.get_job_in_queue(job_infos)
        if job is not None and self.is_stale(job, job_infos, force):
            self.remove_stale(job, job_infos)
