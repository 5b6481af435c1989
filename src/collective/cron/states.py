# -*- coding: utf-8 -*-
"""The states of a cron's job, the same for every job backend.

``IQueue.state(uid)`` and ``IQueue.status(uid)`` give one of these (or
None when the cron has no job); each backend translates its own job
statuses into them. collective.cron 2.x's face of the queue
(``get_job_status``...) still gives the backend's own statuses.

A pending job is stale when the cron's ``signature`` changed since it was
queued; each backend keeps the signature beside its job.
"""
import json

#: the job waits for its time (or for a worker to claim it)
PENDING = 'pending'
#: a worker runs the job
RUNNING = 'running'
#: the job ran (whatever its outcome: the cron's log tells)
COMPLETED = 'completed'

STATES = (PENDING, RUNNING, COMPLETED)


def signature(cron):
    """What a queued job depends on: a change means the job is stale. The
    time zone counts only when the cron has one (its own or the
    crontab's), so that jobs queued before zones existed stay current."""
    settings = [cron.name, cron.periodicity, cron.user, cron.environ,
                cron.activated]
    zone = getattr(cron, 'zone', None)
    if zone is not None:
        settings.append(zone)
    return json.dumps(settings, sort_keys=True)


class StateQueries(object):
    """IQueue's questions about a cron's job that its state answers, the
    same for every backend: the backend's queue gives ``state(cron_uid)``
    ((state or None, when the pending job begins or None))."""

    def status(self, cron_uid):
        return self.state(cron_uid)[0]

    def is_present(self, cron_uid):
        return self.status(cron_uid) in (PENDING, RUNNING)

    def is_pending(self, cron_uid):
        return self.status(cron_uid) == PENDING

    def is_running(self, cron_uid):
        return self.status(cron_uid) == RUNNING

    def is_finished(self, cron_uid):
        return self.status(cron_uid) == COMPLETED

    def begins(self, cron_uid):
        """When the cron's pending job begins (aware UTC), or None."""
        return self.state(cron_uid)[1]
