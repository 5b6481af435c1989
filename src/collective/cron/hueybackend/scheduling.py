# -*- coding: utf-8 -*-
"""Huey follows the ZODB: a job's task is scheduled, or revoked, only once
the transaction that queued, or removed, the job has committed (an aborted
change never reaches Huey).

A task carries the site path, the cron uid, the user id and the job's task
id; Huey's ETA is the job's due time. Revoking only flags the task id: Huey
drops the task when it comes due (``revoke_once``: the flag goes with it).
"""
import logging

import transaction

from collective.cron.hueybackend.store import cron_task
from collective.cron.hueybackend.store import get_huey

logger = logging.getLogger('collective.cron')


def task_args(job):
    return (job.path, job.uid, job.user_id, job.task_id)


def schedule_now(args, due, task_id):
    """Schedule the cron task (outside any transaction)."""
    cron_task().schedule(args=args, eta=due, id=task_id)
    logger.debug('collective.cron: scheduled Huey task %s at %s', task_id,
                 due)


def revoke_now(task_id):
    get_huey().revoke_by_id(task_id, revoke_once=True)
    logger.debug('collective.cron: revoked Huey task %s', task_id)


def after_commit(status, action, *args):
    """The after-commit hook: run ``action`` if the transaction committed.
    Huey failing here cannot undo the commit: it is logged (restart
    recovery schedules the tasks of pending jobs that Huey lacks)."""
    if not status:
        return
    try:
        action(*args)
    except Exception:
        logger.exception('collective.cron: Huey could not %s %r',
                         action.__name__, args)


def schedule(job):
    """Schedule ``job``'s task when the current transaction commits."""
    transaction.get().addAfterCommitHook(
        after_commit, (schedule_now, task_args(job), job.due, job.task_id))


def revoke(job):
    """Revoke ``job``'s task when the current transaction commits."""
    transaction.get().addAfterCommitHook(
        after_commit, (revoke_now, job.task_id))
