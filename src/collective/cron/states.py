# -*- coding: utf-8 -*-
"""The states of a cron's job, the same for every job backend.

``IQueue.state(uid)`` and ``IQueue.status(uid)`` give one of these (or
None when the cron has no job); each backend translates its own job
statuses into them. collective.cron 2.x's face of the queue
(``get_job_status``...) still gives the backend's own statuses.
"""

#: the job waits for its time (or for a worker to claim it)
PENDING = 'pending'
#: a worker runs the job
RUNNING = 'running'
#: the job ran (whatever its outcome: the cron's log tells)
COMPLETED = 'completed'

STATES = (PENDING, RUNNING, COMPLETED)
