# -*- coding: utf-8 -*-
"""The cron task: what a Huey worker runs at a job's due time.

It opens its own connection to Zope's database, claims the job (its record
must still be the cron's current pending job with this task id: else the
task is dropped silently -- a removed or replaced job, or a task Huey runs
twice), then runs the job wrapper (``collective.cron.job.run_job``) in the
site, as the user who queued the job, and notes the job completed with the
wrapper's result. Every commit is retried on conflicts; the job wrapper is
called again after a conflict, as zc.async does (its notes tell what the
first call did).
"""
import contextlib
import logging
import random
import time

import transaction
from AccessControl.SecurityManagement import noSecurityManager
from ZODB.POSException import ConflictError
from zope.component.hooks import setSite
from zope.event import notify
from zope.globalrequest import clearRequest

from collective.cron import states
from collective.cron.crontab import Crontab
from collective.cron.events import CrontabSynchronisationEvent
from collective.cron.hueybackend import settings
from collective.cron.hueybackend.database import get_db
from collective.cron.hueybackend.records import site_jobs
from collective.cron.hueybackend.running import running
from collective.cron.job import run_job
from collective.cron.utils import find_user
from collective.cron.utils import security_of

logger = logging.getLogger('collective.cron')
#: attempts at a commit (or a job wrapper's call) meeting conflicts
ATTEMPTS = 10
BACKOFF = 0.05


def retried(step, what):
    """Call ``step()`` (which commits) until it does not meet a
    ConflictError; the last conflict is raised."""
    for attempt in range(1, ATTEMPTS + 1):
        transaction.begin()
        try:
            return step()
        except ConflictError:
            transaction.abort()
            if attempt == ATTEMPTS:
                raise
            logger.info('collective.cron: conflict %s (attempt %s)', what,
                        attempt)
            time.sleep(random.uniform(0, BACKOFF * attempt))


def run_task(path, uid, user_id, task_id):
    """The Huey task of a cron job (see the module)."""
    connection = get_db().open()
    try:
        # no request here, as in a zc.async job: the job wrapper makes the
        # runner's one from the cron's environ['REQUEST']
        app = connection.root()['Application']
        return run_in(app, path, uid, user_id, task_id)
    finally:
        transaction.abort()
        setSite(None)
        clearRequest()
        noSecurityManager()
        connection.close()


def run_in(app, path, uid, user_id, task_id):
    transaction.begin()
    site = app.unrestrictedTraverse(path, None)
    if site is None:
        logger.warning('collective.cron: site %s of task %s is gone', path,
                       task_id)
        return None
    job = retried(lambda: claim(site, uid, task_id), 'claiming ' + task_id)
    if job is None:
        logger.debug('collective.cron: task %s is no longer current: '
                     'dropped', task_id)
        return None
    setSite(site)
    with as_user(site, user_id, uid):
        result = run(site, job, uid, task_id)
        if result is None:
            retried(lambda: queue_next(site, uid), 'queueing cron ' + uid)
    return result[:2] if result else None


def run(site, job, uid, task_id):
    """Call the job wrapper (again after a conflict), then note the job
    completed; the wrapper's result, None when it failed."""
    try:
        with running(job):
            result = retried(lambda: call_job(site, uid),
                             'running cron ' + uid)
    except Exception:
        transaction.abort()
        logger.exception('collective.cron: the job of task %s failed',
                         task_id)
        result = None
    retried(lambda: finish(site, job, result), 'completing ' + task_id)
    return result


def call_job(site, uid):
    """The job wrapper, what it left uncommitted committed (as zc.async
    commits a job's transaction: a dropped zombie queues the cron's next
    run without saving a log)."""
    result = run_job(site, uid)
    transaction.commit()
    return result


def claim(site, uid, task_id):
    """Mark the cron's job running and commit; None when the job of
    ``task_id`` is not the cron's current pending job."""
    jobs = site_jobs(site)
    job = jobs.jobs.get(uid) if jobs is not None else None
    if job is None or job.task_id != task_id or job.state != states.PENDING:
        transaction.abort()
        return None
    job.state = states.RUNNING
    job.claimed = time.time()
    job.worker = settings.worker_name()
    transaction.commit()
    return job


def finish(site, job, result):
    """Note the job completed, with what the job wrapper returned (2.x's
    runJob tuple: status, messages, cron uid, site path)."""
    if job.state == states.RUNNING:
        job.state = states.COMPLETED
    job.result = tuple(result) if result else None
    transaction.commit()


def queue_next(site, uid):
    """After a job that failed before saving its log (conflicts to the
    last attempt, a bug): queue the cron's next run, as saving the log
    would have."""
    crontab = Crontab.load()
    cron = crontab.crons.get(uid)
    if cron is not None:
        notify(CrontabSynchronisationEvent(site, crontab=crontab, cron=cron))
    transaction.commit()


@contextlib.contextmanager
def as_user(site, user_id, uid):
    """The block runs as ``user_id`` (the user who queued the job; the job
    wrapper switches to the cron's own user, if any); as anonymous when
    that user is gone."""
    user = find_user(site, user_id) if user_id else None
    if user_id and user is None:
        logger.warning('collective.cron: user %s who queued cron %s is '
                       'gone: the job runs as anonymous', user_id, uid)
    if user is None:
        yield None
        return
    with security_of(user):
        yield user
