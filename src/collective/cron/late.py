# -*- coding: utf-8 -*-
"""Late crons and silent workers (issue 15, item 6).

A cron is **late** when its job should have started and has not:

- the cron is activated, in an activated crontab (it should run);
- its job waits in the queue (pending: no worker took it);
- the job was due (its ``begin_after``) more than the cron's grace period
  ago (``cron.grace``: its ``misfire_grace``, else 120 s, as
  cronmanager.MISSED_GRACE).

A cron whose job runs, or that has no job, is never late. An activated
cron without any job while the crontab is activated is another problem,
shown apart as "not queued" (the queue state of the dashboard, the cron
page and the API): it is what a synchronisation that did not happen
leaves, not a job that no worker takes.

The workers are **silent** when no zc.async dispatcher of the queue
polled it for more than WORKER_SILENCE, or when none is activated: then
no job runs. The queue manager (IQueue.last_poll) says when one last
polled.
"""
import datetime

from zope.component import queryAdapter

from collective.cron.crontab import should_run
from collective.cron.interfaces import IQueue
from collective.cron.utils import now as current_time

#: the workers are silent when none polled the queue for longer than this
WORKER_SILENCE = datetime.timedelta(seconds=60)


def overdue(cron, due, now=None):
    """True when a pending job due at ``due`` (aware; None: no pending
    job) makes ``cron`` late at ``now`` (default: the current time)."""
    if due is None or not should_run(cron):
        return False
    if now is None:
        now = current_time()
    return now - due > cron.grace


def is_late(site, cron, now=None, queue=None):
    """True when ``cron``'s job has not started within its grace period
    after it was due (see the module's docstring). ``queue``: the site's
    IQueue, when the caller has it."""
    if queue is None:
        queue = queryAdapter(site, IQueue)
    if queue is None or not queue.configured:
        return False
    return overdue(cron, queue.begins(cron.uid), now)


def worker_silent(last_poll, now=None):
    """True when ``last_poll`` (IQueue.last_poll: aware, or None when no
    worker is activated) is more than WORKER_SILENCE before ``now``."""
    if last_poll is None:
        return True
    if now is None:
        now = current_time()
    return now - last_poll > WORKER_SILENCE


def silent_since(site, now=None, queue=None):
    """(silent, last poll): whether the site's workers are silent and when
    one last polled (None: no worker activated). Never silent without a
    job queue in this Zope (nothing could poll it)."""
    if queue is None:
        queue = queryAdapter(site, IQueue)
    if queue is None or not queue.configured:
        return False, None
    last = queue.last_poll()
    return worker_silent(last, now), last
