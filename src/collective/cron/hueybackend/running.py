# -*- coding: utf-8 -*-
"""The job running in this thread (what IRunningJob answers).

The task sets it (``running(job)``) around the job wrapper's call; a site's
queue loads the job through the site's connection, so what is written on it
commits with the job's work.

Running marks: ``SiteJobs.running[cron uid] = (job, since)``. Two jobs of a
cron marking it at once write the same key: one commit meets a
ConflictError and that job is called again, which then sees the other's
mark.
"""
import contextlib
import datetime
import threading

import pytz

from collective.cron import states
from collective.cron.hueybackend.records import site_jobs

#: a running mark older than this is ignored (a run whose worker died and
#: was never recovered no longer blocks its cron)
RUNNING_BOUND = datetime.timedelta(hours=24)
_local = threading.local()


@contextlib.contextmanager
def running(job):
    """``job`` (a committed CronJob) is the job of this thread inside the
    block."""
    previous = getattr(_local, 'oid', None)
    _local.oid = job._p_oid
    try:
        yield job
    finally:
        _local.oid = previous


def running_job(context):
    """The job running in this thread, loaded through ``context``'s
    connection; None outside a job."""
    oid = getattr(_local, 'oid', None)
    if oid is None:
        return None
    return context._p_jar.get(oid)


def running_tree(context, create=False):
    jobs = site_jobs(context, create)
    return jobs.running if jobs is not None else None


def mark_of(context, cron_uid):
    tree = running_tree(context)
    return tree.get(cron_uid) if tree is not None else None


def other_run(context, cron_uid):
    """(job, since) of another run of the cron still running, or None (a
    mark of a job that no longer runs, or older than RUNNING_BOUND, is
    ignored)."""
    mark = mark_of(context, cron_uid)
    if mark is None:
        return None
    job, since = mark
    stale = datetime.datetime.now(pytz.UTC) - since > RUNNING_BOUND
    if job is running_job(context) or job.state != states.RUNNING or stale:
        return None
    return mark


def interrupted_run(context, cron_uid):
    """True when the job of this thread already marked the cron."""
    mark = mark_of(context, cron_uid)
    return mark is not None and mark[0] is running_job(context)


def mark_running(context, cron_uid):
    job = running_job(context)
    if job is not None:
        running_tree(context, create=True)[cron_uid] = (
            job, datetime.datetime.now(pytz.UTC))


def unmark_running(context, cron_uid):
    mark = mark_of(context, cron_uid)
    if mark is not None and mark[0] is running_job(context):
        del running_tree(context)[cron_uid]
