# -*- coding: utf-8 -*-
"""The cron jobs of a site, kept in the main ZODB (the site's annotations).

    IAnnotations(site)[JOBS_KEY] = SiteJobs
        .jobs[cron uid] = CronJob      # the cron's current (last) job
        .running[cron uid] = (CronJob, since)   # runs marked as running

A CronJob is the truth about one run: its due time, the settings it was
queued for (signature), its Huey task id, its state (collective.cron.states)
and what the job wrapper notes while it runs. Huey only carries the task id
to a worker at the due time: the worker runs the task only while its record
is the cron's current pending job (see tasks.claim).
"""
import calendar
import time
import uuid

from BTrees.OOBTree import OOBTree
from persistent import Persistent
from persistent.mapping import PersistentMapping
from zope.annotation.interfaces import IAnnotations

from collective.cron import states
from collective.cron.states import signature

JOBS_KEY = 'collective.cron.huey'
#: a job that was removed before it ran (it never runs)
REMOVED = 'removed'
#: a run whose worker died, taken back after its cron had a newer job (it
#: never runs again: see takeover.py)
INTERRUPTED = 'interrupted'


def site_path(site):
    return '/'.join(site.getPhysicalPath())


def task_id(path, uid, due, token):
    """The Huey task id of a job: its site, cron, due time (epoch seconds)
    and the job's own token (a job removed and queued again for the same
    time gets a new id, so revoking the first never revokes the second)."""
    return 'collective.cron:%s:%s:%d:%s' % (path, uid, due_stamp(due),
                                           token)


def due_stamp(due):
    """The epoch seconds of an aware datetime."""
    return calendar.timegm(due.utctimetuple())


class CronJob(Persistent):
    """One queued run of a cron."""

    state = states.PENDING
    forced = False
    claimed = None
    worker = None
    #: what the job wrapper returned (2.x's runJob tuple: status, messages,
    #: cron uid, site path), once completed (None: it failed)
    result = None

    def __init__(self, path, cron, due, user_id, forced=False):
        self.path = path
        self.uid = cron.uid
        self.cron_data = cron.dump()
        self.signature = signature(cron)
        self.due = due
        self.user_id = user_id
        self.forced = forced
        self.token = uuid.uuid4().hex[:12]
        self.task_id = task_id(path, cron.uid, due, self.token)
        #: real epoch seconds (the test clock does not move them)
        self.queued = time.time()
        self.notes = PersistentMapping()

    def __repr__(self):
        return '<CronJob %s of %s at %s (%s)>' % (
            self.uid, self.path, self.due.isoformat(), self.state)

    # -- 2.x's names (a zc.async job's attributes)
    @property
    def begin_after(self):
        return self.due

    @property
    def status(self):
        return self.state

    @property
    def annotations(self):
        return self.notes

    @property
    def cron(self):
        """The cron as it was queued (its settings and logs then)."""
        from collective.cron.crontab import Cron
        return Cron.load(dict(self.cron_data))


class SiteJobs(Persistent):
    """The cron jobs of one site."""

    def __init__(self):
        self.jobs = OOBTree()
        self.running = OOBTree()


def site_jobs(site, create=False):
    """The SiteJobs of ``site`` (None when it has none and not
    ``create``)."""
    annotations = IAnnotations(site)
    found = annotations.get(JOBS_KEY)
    if found is None and create:
        found = annotations[JOBS_KEY] = SiteJobs()
    return found
