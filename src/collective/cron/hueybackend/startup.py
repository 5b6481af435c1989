# -*- coding: utf-8 -*-
"""Zope start and stop of the Huey backend.

When Zope has opened its database (IDatabaseOpenedWithRoot) the tasks get
it (database.py); in a process with the worker role (settings.worker) the
Huey consumer starts, is stopped at exit (``stop``, also registered with
atexit), and restart recovery runs in a thread of its own:

1. in every marked site, a pending job whose task the task store lost (a
   wiped SQLite file, a flushed Redis) is scheduled again, and a job that a
   dead run of this very worker (same worker name) had claimed is given
   back (pending again, scheduled now: the job wrapper's notes tell what it
   already did);
2. every marked site is re-synchronised (collective.cron.restart), which
   queues every activated cron that has no current job.

While it runs, the worker also takes back the jobs of other workers that
died for good (takeover.py).
"""
import atexit
import logging
import threading
import time

import transaction
from Testing.makerequest import makerequest
from ZODB.POSException import ConflictError
from zope.component.hooks import setSite

from collective.cron import restart
from collective.cron import states
from collective.cron.hueybackend import consumer
from collective.cron.hueybackend import settings
from collective.cron.hueybackend.database import database_opened
from collective.cron.hueybackend.database import get_db
from collective.cron.hueybackend.marker import database_root
from collective.cron.hueybackend.marker import marked_paths
from collective.cron.hueybackend.records import site_jobs
from collective.cron.hueybackend.scheduling import schedule_now
from collective.cron.hueybackend.scheduling import task_args
from collective.cron.hueybackend.store import get_huey

logger = logging.getLogger('collective.cron')
#: when this process started its worker (real epoch seconds)
_started = []


def zope_started(event):
    """IDatabaseOpenedWithRoot: keep the database; in a worker, start the
    consumer and restart recovery."""
    database_opened(event)
    if not settings.worker():
        logger.info('collective.cron: this process queues jobs, it runs '
                    'none (worker off)')
        return None
    start_worker(get_huey(), settings.workers())
    return queue_ready(wait=False)


def start_worker(huey, workers, max_delay=consumer.MAX_DELAY,
                 dead_after=None):
    """Start the consumer (see consumer.start); its scheduler also takes
    back the jobs of dead workers (takeover.py)."""
    _started[:] = [time.time()]
    started = consumer.start(huey, workers, max_delay, dead_after)
    atexit.register(stop)
    return started


def stop():
    """Stop this process's consumer (Zope shutdown, atexit, tests)."""
    return consumer.stop()


def started_at():
    return _started[0] if _started else time.time()


def queue_ready(wait=True):
    """Restart recovery (see the module) in a thread of its own; with
    ``wait``, return once it is done. Returns the thread."""
    restart.record_activation()
    thread = threading.Thread(target=recover_all,
                              name='collective.cron restart')
    thread.daemon = True
    thread.start()
    if wait:
        thread.join(restart.JOIN_SECONDS)
    return thread


def recover_all():
    connection = get_db().open()
    try:
        app = makerequest(connection.root()['Application'])
        transaction.begin()
        for path in marked_paths(database_root(app)):
            recover_site(app, path)
        restart.resync_marked_sites(app)
    except Exception:
        logger.exception('collective.cron: restart recovery failed')
    finally:
        transaction.abort()
        setSite(None)
        connection.close()


def stored_task_ids():
    """The ids of the tasks in the task store (queued or scheduled)."""
    huey = get_huey()
    return set(task.id for task in huey.pending() + huey.scheduled())


def recover_site(app, path):
    """Step 1 of the module's recovery for the site at ``path``."""
    for attempt in range(1, restart.ATTEMPTS + 1):
        transaction.begin()
        site = app.unrestrictedTraverse(path, None)
        jobs = site_jobs(site) if site is not None else None
        if jobs is None:
            return
        try:
            given_back(jobs)
            lost = lost_tasks(jobs)
            transaction.commit()
        except ConflictError:
            transaction.abort()
            continue
        for job in lost:
            schedule_now(task_args(job), job.due, job.task_id)
        if lost:
            logger.info('collective.cron: %s: %s lost task(s) scheduled '
                        'again', path, len(lost))
        return


def given_back(jobs):
    """Make pending again the jobs that a dead run of this worker held
    (their tasks left the store when it took them); return them."""
    name = settings.worker_name()
    found = []
    for job in jobs.jobs.values():
        if (job.state == states.RUNNING and job.worker == name
                and (job.claimed or 0) < started_at()):
            job.state = states.PENDING
            found.append(job)
    return found


def lost_tasks(jobs):
    """The pending jobs whose task is not in the task store."""
    pending = [job for job in jobs.jobs.values()
               if job.state == states.PENDING]
    if not pending:
        return []
    stored = stored_task_ids()
    return [job for job in pending if job.task_id not in stored]
