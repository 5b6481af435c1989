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


class HueyActions(object):
    """What a transaction asks of Huey, done once it has committed.

    Joined to the transaction as a data manager so that a savepoint rolled
    back also takes back the actions asked since (and an abort all of
    them); one after-commit hook does them (after the storages have
    committed: a task may run at once and must see its job).
    """

    def __init__(self, manager):
        self.transaction_manager = manager
        self.actions = []
        #: False once aborted (a savepoint taken before it joined, rolled
        #: back, unjoins it): the next action joins it again
        self.joined = False

    @classmethod
    def of(cls, txn):
        """The actions of ``txn`` (joined to it on first use)."""
        try:
            found = txn.data(cls)
        except KeyError:
            found = cls(transaction.manager)
            txn.set_data(cls, found)
            txn.addAfterCommitHook(found.after_commit)
        if not found.joined:
            txn.join(found)
            found.joined = True
        return found

    def add(self, action, *args):
        self.actions.append((action, args))

    def after_commit(self, status):
        """Do the actions if the transaction committed. Huey failing here
        cannot undo the commit: it is logged (restart recovery schedules
        the tasks of pending jobs that Huey lacks)."""
        actions, self.actions = self.actions, []
        if not status:
            return
        for action, args in actions:
            try:
                action(*args)
            except Exception:
                logger.exception('collective.cron: Huey could not %s %r',
                                 action.__name__, args)

    # -- IDataManager: nothing to write, the actions follow the outcome
    def abort(self, txn):
        self.actions = []
        self.joined = False

    def tpc_begin(self, txn):
        pass

    def commit(self, txn):
        pass

    def tpc_vote(self, txn):
        pass

    def tpc_finish(self, txn):
        pass

    def tpc_abort(self, txn):
        self.actions = []
        self.joined = False

    def sortKey(self):
        return 'collective.cron.hueybackend:%d' % id(self)

    # -- ISavepointDataManager
    def savepoint(self):
        return ActionsSavepoint(self)


class ActionsSavepoint(object):
    """Rolling back forgets the actions asked after the savepoint."""

    def __init__(self, actions):
        self.owner = actions
        self.length = len(actions.actions)

    def rollback(self):
        del self.owner.actions[self.length:]


def schedule(job):
    """Schedule ``job``'s task when the current transaction commits."""
    HueyActions.of(transaction.get()).add(
        schedule_now, task_args(job), job.due, job.task_id)


def revoke(job):
    """Revoke ``job``'s task when the current transaction commits."""
    HueyActions.of(transaction.get()).add(revoke_now, job.task_id)
