# -*- coding: utf-8 -*-
"""The job wrapper: what a queued cron job does when it runs.

``collective.cron.crontab.runJob`` (the name stored in queued jobs) calls
``run_job``: reload the cron, fire StartedCronJobEvent, run the runner as
the cron's user, fire FinishedCronJobEvent and commit the runner's work;
then log the result and save it (saving the cron queues its next run),
retrying that last step alone when a concurrent save conflicts. The log's
date is the run's end (as 2.x) and its start is logged too.

``has_runner`` tells whether a cron's name matches a runner (the add and
edit forms and the dashboard warn when it does not).

Before running, a job does not run (it logs NOTRUN and queues the next
run) when another run of its cron is still running (the cron is marked as
running in the async database, committed before the runner starts: this
holds across ZEO clients), or when its cron's misfire policy is ``skip``
and the job starts more than the cron's grace period after it was due.

A job of a cron without a misfire policy (not "run now") queued before
this process's queue became ready and already more than MISSED_GRACE
overdue then is a 2.x "zombie": the restart re-synchronisation would have
replaced it, but the dispatcher may claim it first. It does not run and
logs nothing; the cron's next run is queued as the re-synchronisation
would.
"""
import contextlib
import logging
import random
import time

import six
import transaction
from AccessControl import Unauthorized
from AccessControl.SecurityManagement import getSecurityManager
from zExceptions import NotFound
from ZODB.POSException import ConflictError
from zope.component import getMultiAdapter
from zope.component import getSiteManager
from zope.component import queryMultiAdapter
from zope.event import notify
from zope.globalrequest import getRequest
from zope.globalrequest import setRequest
from zope.interface import providedBy
from ZPublisher.HTTPRequest import HTTPRequest

from collective.cron import alerts
from collective.cron import crontab as model
from collective.cron.cronmanager import MISSED_GRACE
from collective.cron.events import FinishedCronJobEvent
from collective.cron.events import StartedCronJobEvent
from collective.cron.interfaces import ICronManager
from collective.cron.interfaces import IJobRunner
from collective.cron.interfaces import IQueue
from collective.cron.restart import activation
from collective.cron.utils import context_with_request
from collective.cron.utils import find_user
from collective.cron.utils import now
from collective.cron.utils import security_of
from collective.cron.utils import text

logger = logging.getLogger('collective.cron')

#: job annotation: (status, messages, end date, start date) of a run
#: already committed (without a start date: no run, or an older version)
RAN_KEY = 'collective.cron.ran'
#: attempts at saving a run's log when concurrent saves conflict with it
LOG_ATTEMPTS = 10
#: seconds of random back-off between attempts (times the attempt number)
LOG_BACKOFF = 0.05


def run_job(context, cron):
    """Run ``cron`` (a Cron or a uid) in the site ``context``.

    Returns (status, messages, uid, the site's physical path tuple), as
    2.x's runJob did.
    """
    uid = getattr(cron, 'uid', cron)
    path = context.getPhysicalPath()
    crontab = model.Crontab.load()
    cron = crontab.crons.get(uid)
    if cron is None:
        logger.info('cron %s of %s was deleted: its job is skipped', uid,
                    '/'.join(path))
        return (model.NOTRUN, [u'cron %s no longer exists' % uid], uid, path)
    if zombie(context, cron):
        getMultiAdapter((context, cron), ICronManager).register_or_remove()
        return (model.NOTRUN, [u'missed while no worker ran: dropped'], uid,
                path)
    notes = IQueue(context).running_notes()
    done = notes.get(RAN_KEY) if notes is not None else None
    if done is None:
        done = start(context, cron, crontab, notes)
    else:
        logger.info('cron %s already ran in this job: only its log is '
                    'saved again', uid)
    status, messages, ended = done[:3]
    started = done[3] if len(done) > 3 else None
    log = model.Log(ended, status, messages, started)
    messages = save_log(uid, log, context)
    return (status, messages, uid, path)


def zombie(context, cron):
    """True for a job that 2.x's restart would have removed: its cron has
    no misfire policy, it is not "run now" nor an interrupted run called
    again, it was queued before this process's queue became ready and was
    due more than MISSED_GRACE before that (see restart.activation)."""
    ready = activation()
    if cron.misfire is not None or ready is None:
        return False
    queue = IQueue(context)
    if queue.interrupted_run(cron.uid):
        return False
    due = queue.running_due()
    queued = queue.running_queued()
    if due is None or queued is None:
        return False
    return queued < ready[1] and due < ready[0] - MISSED_GRACE


def start(context, cron, crontab, notes):
    """Run the cron unless it must not start now; return (status,
    messages, end date, start date), without a start date when it did not
    run."""
    refused = refusal(context, cron)
    if refused is not None:
        logger.info('cron %s (%s) not run: %s', cron.name, cron.uid,
                    refused)
        return model.NOTRUN, [refused], now()
    IQueue(context).mark_running(cron.uid)
    transaction.commit()
    done = run_once(context, cron, crontab)
    if notes is not None:
        notes[RAN_KEY] = done
    transaction.commit()
    return done


def refusal(context, cron):
    """Why the cron must not start now (text), or None."""
    queue = IQueue(context)
    running = queue.other_run(cron.uid)
    if running is not None:
        return u'previous run still running (since %s UTC)' % (
            model.format_date(running[1]),)
    if cron.misfire != model.SKIP:
        return None
    due = queue.running_due()
    if due is None:
        return None
    late = now() - due
    if late <= cron.grace:
        return None
    return (u'missed, skipped: due at %s UTC, started %d s late (misfire '
            u'grace %d s)' % (model.format_date(due), late.total_seconds(),
                              cron.grace.total_seconds()))


def run_once(context, cron, crontab):
    """Run the cron's runner; return (status, messages, end date, start
    date)."""
    started = now()
    with request_for(context, cron) as site:
        notify(StartedCronJobEvent(site, cron))
        status, messages = execute(site, cron, crontab)
        notify(FinishedCronJobEvent(site, cron))
    return status, messages, now(), started


def save_log(uid, log, context=None):
    """Add ``log`` to the cron and save it, which queues its next run; the
    cron's running mark made by this job goes in the same transaction.

    The runner's work is already committed: when a concurrent save of the
    crontab conflicts, only this step is tried again, so the runner never
    runs twice for one due time. Once the log is committed, a failure
    alert is sent when it calls for one (see collective.cron.alerts).
    Returns the logged messages.
    """
    for attempt in range(1, LOG_ATTEMPTS + 1):
        transaction.begin()
        if context is not None:
            IQueue(context).unmark_running(uid)
        cron = model.Crontab.load().crons.get(uid)
        if cron is None:
            logger.info('cron %s was deleted during its run', uid)
            transaction.commit()
            return log.messages
        previous = list(cron.logs)
        logged = cron.log(log.date, log.status, log.messages, log.start)
        try:
            cron.save()
            transaction.commit()
        except ConflictError:
            transaction.abort()
            if attempt == LOG_ATTEMPTS:
                raise
            logger.info('conflict saving the log of cron %s (attempt %s)',
                        uid, attempt)
            time.sleep(random.uniform(0, LOG_BACKOFF * attempt))
            continue
        if context is not None:
            alerts.after_log(context, cron, previous)
        return logged.messages


@contextlib.contextmanager
def request_for(site, cron):
    """``site`` with a REQUEST (jobs have no HTTP request): a fake one
    made from ``cron.environ['REQUEST']`` (see utils.context_with_request),
    also set as the global request inside the block."""
    if isinstance(getattr(site, 'REQUEST', None), HTTPRequest):
        yield site
        return
    previous = getRequest()
    with context_with_request(site, cron) as wrapped:
        setRequest(wrapped.REQUEST)
        try:
            yield wrapped
        finally:
            setRequest(previous)


def execute(site, cron, crontab):
    """Run the cron's runner as the cron's user (as the job's user when the
    cron has none); return (status, messages)."""
    if not crontab.activated:
        return model.NOTRUN, [u'the crontab is deactivated']
    if not cron.activated:
        return model.NOTRUN, [u'the cron is deactivated']
    if not cron.user:
        return find_and_call(site, cron)
    user = find_user(site, cron.user)
    if user is None:
        return model.FAILURE, [u'user %s does not exist in the site or in '
                               u'the Zope root' % cron.user]
    with security_of(user):
        return find_and_call(site, cron)


def find_and_call(site, cron):
    """Find the runner with the current user's rights and call it."""
    try:
        runner = find_runner(site, cron)
    except Unauthorized:
        user = getSecurityManager().getUser().getId()
        return model.FAILURE, [u'user %s may not reach %s'
                               % (text(user), cron.name)]
    if runner is None:
        return model.NOTRUN, [u'no job runner and no object named %s'
                              % cron.name]
    return call(runner, cron)


def find_runner(site, cron):
    """The IJobRunner adapter's run, or a callable traversed to by name
    with the current user's rights (Unauthorized when they do not suffice;
    None when there is no such callable)."""
    adapter = queryMultiAdapter((site, cron), IJobRunner, name=cron.name)
    if adapter is not None:
        return adapter.run
    path = six.ensure_str(cron.name.strip(u'/'), 'utf-8')
    if not path:
        return None
    try:
        target = site.restrictedTraverse(path)
    except (AttributeError, KeyError, NotFound, TypeError, ValueError):
        return None
    return target if callable(target) else None


def has_runner(site, cron):
    """True when the cron's name matches a runner: an IJobRunner adapter of
    that name for (site, cron), or a callable object that the name, as a
    path from the site, leads to (whoever may reach it: whether the cron's
    user may is only known when it runs)."""
    adapter = getSiteManager(site).adapters.lookup(
        (providedBy(site), providedBy(cron)), IJobRunner, cron.name)
    if adapter is not None:
        return True
    path = six.ensure_str(cron.name.strip(u'/'), 'utf-8')
    if not path:
        return False
    try:
        target = site.unrestrictedTraverse(path, None)
    except (AttributeError, KeyError, NotFound, TypeError, ValueError):
        return False
    return target is not None and callable(target)


def call(runner, cron):
    """Call the runner; a raise rolls its changes back and is a FAILURE."""
    savepoint = transaction.savepoint(optimistic=True)
    try:
        result = runner()
    except ConflictError:
        raise
    except Exception as exc:
        savepoint.rollback()
        logger.exception('cron %s (%s) failed', cron.name, cron.uid)
        return model.FAILURE, [failure_message(exc)]
    return outcome(result)


def failure_message(exc):
    """The exception's message, as 2.x logged it (its class name when it
    has none; the traceback is in the Zope log)."""
    return text(exc) or text(type(exc).__name__)


def outcome(result):
    """OK for None or no messages; WARN with the messages otherwise."""
    if result is None or result == [] or result == ():
        return model.OK, []
    if isinstance(result, (list, tuple)):
        return model.WARN, [text(message) for message in result]
    return model.WARN, [text(result)]
