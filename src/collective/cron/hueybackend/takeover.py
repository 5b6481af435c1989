# -*- coding: utf-8 -*-
"""Taking back the jobs of a dead worker (zc.async's dead dispatchers).

Heartbeats: each worker's scheduler notes, on each poll (about every
second), the real epoch seconds in Huey's key-value store under its worker
name (``heartbeat_key``), beside the workers' last poll.

A worker is dead when its heartbeat has not changed for ``dead_after``
seconds (settings.dead_after), measured on the clock of the worker that
watches it (the machines' clocks need not agree; a store that was flushed
and written again shows a change), or has been missing all that time (a
worker that never wrote one). A store that cannot be read judges nobody.

Every ``dead_after / 10`` seconds (at least every second) a worker looks,
in a thread of its own, at the marked sites for the running jobs of dead
workers claimed more than ``dead_after`` seconds ago:

- a cron's current job is given back as restart recovery gives back the
  jobs of this worker's dead run: pending again, its task scheduled at its
  due time (at once). The job wrapper's notes tell what the dead run did
  (its runner's work committed: only the log is saved; its running mark is
  the job's own: not refused as "previous run still running");
- a job that is no longer its cron's current one (a re-synchronisation
  queued the cron's next run meanwhile) cannot run again: its running mark
  is removed and it is noted INTERRUPTED, so that the cron's next runs are
  not refused for RUNNING_BOUND.

A job of a live worker is never taken back: its heartbeat moves, however
long the job runs.
"""
import logging
import threading
import time

import transaction

from collective.cron import states
from collective.cron.hueybackend.database import get_db
from collective.cron.hueybackend.marker import marked_paths
from collective.cron.hueybackend.records import INTERRUPTED
from collective.cron.hueybackend.records import site_jobs
from collective.cron.hueybackend.scheduling import schedule_now
from collective.cron.hueybackend.scheduling import task_args
from collective.cron.hueybackend.tasks import retried

logger = logging.getLogger('collective.cron')
#: the key of a worker's heartbeat in Huey's key-value store
HEARTBEAT_KEY = 'collective.cron.heartbeat:%s'
#: looks for dead workers' jobs per dead_after
LOOKS = 10


def heartbeat_key(name):
    return HEARTBEAT_KEY % (name,)


def beat(huey, name):
    """Note that the worker ``name`` is alive, now."""
    huey.put(heartbeat_key(name), time.time())


def last_beat(huey, name):
    """The last heartbeat of the worker ``name`` (epoch seconds), or None
    when it never wrote one."""
    return huey.get(heartbeat_key(name), peek=True)


class Liveness(object):
    """What a worker saw of the others' heartbeats: worker name -> (the
    heartbeat read, when it was first read: monotonic seconds)."""

    def __init__(self, huey, dead_after, clock=time.monotonic):
        self.huey = huey
        self.dead_after = dead_after
        self.clock = clock
        self.seen = {}

    def dead(self, name):
        """True when ``name``'s heartbeat has stood still (or been
        missing) for dead_after seconds; the store's errors are raised."""
        value = last_beat(self.huey, name)
        current = self.clock()
        seen = self.seen.get(name)
        if seen is None or seen[0] != value:
            self.seen[name] = (value, current)
            return False
        return current - seen[1] >= self.dead_after

    def keep_only(self, names):
        """Forget the workers not in ``names`` (they hold no job now)."""
        for name in set(self.seen) - set(names):
            del self.seen[name]


def held_by_dead(job, liveness):
    """True for a running job claimed more than dead_after seconds ago by
    a dead worker."""
    if job.state != states.RUNNING:
        return False
    # the heartbeat is read first: watched from now on, whenever claimed
    dead = liveness.dead(str(job.worker))
    return dead and time.time() - (job.claimed or 0) >= liveness.dead_after


def holders(jobs):
    """The names of the workers holding running jobs of a SiteJobs."""
    held = list(jobs.jobs.values()) + [mark[0] for mark in
                                       jobs.running.values()]
    return set(str(job.worker) for job in held
               if job.state == states.RUNNING)


def take_back_in(app, path, liveness):
    """In the site at ``path``: give back the current jobs of dead
    workers, release the others (see the module) and commit; return
    ([(job given back, its dead worker)], [(job released, its dead
    worker)], the workers holding running jobs)."""
    site = app.unrestrictedTraverse(path, None)
    jobs = site_jobs(site) if site is not None else None
    if jobs is None:
        transaction.abort()
        return [], [], set()
    held = holders(jobs)
    given = [(job, job.worker) for job in jobs.jobs.values()
             if held_by_dead(job, liveness)]
    released = []
    for uid, (job, since) in list(jobs.running.items()):
        if jobs.jobs.get(uid) is not job and held_by_dead(job, liveness):
            del jobs.running[uid]
            released.append((job, job.worker))
    for job, worker in given:
        job.state = states.PENDING
    for job, worker in released:
        job.state = INTERRUPTED
    if given or released:
        transaction.commit()
    else:
        transaction.abort()
    return given, released, held


def take_back_site(app, path, liveness):
    """take_back_in with its conflicts retried, then the tasks of the jobs
    given back scheduled; return (given back, released, holders)."""
    given, released, held = retried(
        lambda: take_back_in(app, path, liveness),
        'taking back the jobs of dead workers in ' + path)
    for job, worker in given:
        schedule_now(task_args(job), job.due, job.task_id)
        log(path, job, worker, 'given back: it runs again at once')
    for job, worker in released:
        log(path, job, worker, 'no longer its cron\'s current job: its '
            'running mark is removed')
    return given, released, held


def log(path, job, worker, what):
    logger.info('collective.cron: %s: the job of cron %s (%s) held by dead '
                'worker %s was taken back (%s)', path,
                job.cron_data.get('name'), job.uid, worker, what)


def take_back_all(liveness):
    """Take back the dead workers' jobs in every marked site (see the
    module); return the jobs given back and released."""
    connection = get_db().open()
    taken = []
    held = set()
    try:
        transaction.begin()
        root = connection.root()
        app = root['Application']
        for path in marked_paths(root):
            given, released, holding = take_back_site(app, path, liveness)
            taken.extend(job for job, worker in given + released)
            held |= holding
    finally:
        transaction.abort()
        connection.close()
    liveness.keep_only(held)
    return taken


class Watch(object):
    """A worker's heartbeat and its looks for the dead workers' jobs, both
    driven by its scheduler's polls (``poll``); a look runs in a thread of
    its own (one at a time), so the scheduler is never held up."""

    def __init__(self, huey, name, dead_after):
        self.huey = huey
        self.name = name
        self.liveness = Liveness(huey, dead_after)
        self.interval = max(1.0, dead_after / float(LOOKS))
        self.next_look = time.monotonic()
        self.thread = None
        #: looks done (tests wait for them)
        self.looks = 0

    def beat(self):
        beat(self.huey, self.name)

    def poll(self):
        """Start a look when one is due and none is running; return its
        thread (None: none started)."""
        if time.monotonic() < self.next_look or self.busy():
            return None
        self.next_look = time.monotonic() + self.interval
        self.thread = threading.Thread(target=self.look,
                                       name='collective.cron takeover')
        self.thread.daemon = True
        self.thread.start()
        return self.thread

    def busy(self):
        return self.thread is not None and self.thread.is_alive()

    def look(self):
        try:
            take_back_all(self.liveness)
        except Exception:
            logger.exception('collective.cron: the look for the jobs of '
                             'dead workers failed')
        finally:
            self.looks += 1

    def stop(self, timeout=10):
        """Wait for a look under way (Zope closes the database next)."""
        thread = self.thread
        if thread is not None:
            thread.join(timeout)
