# -*- coding: utf-8 -*-
"""What the reliability suite reads of the Huey backend (Python 3): this
process's consumer and settings, a cron's job record and whether its task
is in Huey's store, the job running now. Through collective.cron's
hueybackend only (no import of huey or redis here)."""
import binascii

import pytz

from collective.cron.hueybackend import consumer
from collective.cron.hueybackend import settings
from collective.cron.hueybackend.queue import POLL_KEY
from collective.cron.hueybackend.running import running_job
from collective.cron.hueybackend.startup import stored_task_ids
from collective.cron.hueybackend.store import get_huey
from collective.cron.interfaces import IQueue
from collective.cron.utils import now

MINUTE_FORMAT = '%Y-%m-%d %H:%M'


def iso(value):
    return value.isoformat() if value is not None else None


def oid_hex(obj):
    oid = getattr(obj, '_p_oid', None)
    return binascii.hexlify(oid).decode('ascii') if oid else None


def current_run(site):
    """(due minute, job oid) of the job running in this thread: the due
    time of its record (a run given back after a crash keeps it); a forced
    run ("run now") counts at the minute it runs."""
    due = (IQueue(site).running_due() or now()).astimezone(pytz.UTC)
    return due.strftime(MINUTE_FORMAT), oid_hex(running_job(site))


def queue_state(app):
    """This process's Huey consumer and the task store."""
    huey = get_huey()
    poll = huey.get(POLL_KEY, peek=True)
    return {'queue': True, 'backend': 'huey',
            'worker': settings.worker(), 'worker_name': settings.worker_name(),
            'storage': settings.storage(),
            'consumer': consumer.running_consumer() is not None,
            'last_poll': iso(poll), 'tasks_queued': huey.pending_count(),
            'tasks_scheduled': huey.scheduled_count()}


class JobReader(object):
    """The cron jobs of a site's IQueue, as the state view shows them;
    ``task_stored``: the job's task is in Huey's store (queued or
    scheduled)."""

    def __init__(self, queue):
        self.queue = queue
        self.stored = stored_task_ids()

    def info(self, uid):
        job = self.queue.cron_job(uid)
        if job is None:
            return None
        return {'status': job.status, 'begins': iso(job.due),
                'result': None, 'oid': oid_hex(job),
                'task_stored': job.task_id in self.stored,
                'worker': job.worker}
