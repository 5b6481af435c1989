# -*- coding: utf-8 -*-
"""What the reliability suite reads of the zc.async backend (Python 2):
the queue's dispatchers, a cron's zc.async job, the job running now."""
import zc.async.interfaces
from plone.app.async.interfaces import IAsyncDatabase
from zc.async.threadlocal import local
from zope.component import queryUtility

from collective.cron.utils import now

MINUTE_FORMAT = '%Y-%m-%d %H:%M'


def iso(value):
    return value.isoformat() if value is not None else None


def oid_hex(obj):
    oid = getattr(obj, '_p_oid', None)
    return oid.encode('hex') if oid else None


def due_minute(job):
    """The minute the job was due. A job zc.async re-queued after an
    interruption has a new begin_after: its first start is used instead."""
    if job is None:
        return now().strftime(MINUTE_FORMAT)
    policy = job._retry_policy
    data = getattr(policy, 'data', None) or {}
    if data.get('interruptions') and data.get('first_active'):
        return data['first_active'].strftime(MINUTE_FORMAT)
    return job.begin_after.strftime(MINUTE_FORMAT)


def current_run(site):
    """(due minute, job oid) of the job running in this thread."""
    job = local.getJob()
    return due_minute(job), oid_hex(job)


def dispatcher_info(agents):
    return {
        'activated': iso(agents.activated),
        'dead': agents.dead,
        'last_ping': iso(agents.last_ping.value),
        'jobs_in_agents': sum(len(agent) for agent in agents.values()),
    }


def the_queue(app):
    database = queryUtility(IAsyncDatabase)
    if database is None:
        return None
    connection = app._p_jar.get_connection(database.database_name)
    queues = connection.root().get(zc.async.interfaces.KEY) or {}
    return queues.get('')


def queue_state(app):
    """The zc.async queue as the suite needs it."""
    queue = the_queue(app)
    data = {'queue': queue is not None}
    if queue is not None:
        data.update(
            quotas=list(queue.quotas.keys()), jobs=len(queue),
            dispatchers=dict((str(uuid), dispatcher_info(agents))
                             for uuid, agents in queue.dispatchers.items()))
    return data


class JobReader(object):
    """The cron jobs of a site's IQueue, as the state view shows them."""

    def __init__(self, queue):
        self.queue = queue

    def info(self, uid):
        job = self.queue.cron_job(uid)
        if job is None:
            return None
        result = job.result
        return {'status': job.status, 'begins': iso(job.begin_after),
                'result': repr(result) if result is not None else None,
                'oid': oid_hex(job)}
