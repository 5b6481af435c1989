# -*- coding: utf-8 -*-
"""The Huey job backend (Python 3): the only package of collective.cron that
imports huey or redis.

The main ZODB is the truth, Huey is the timer and the transport. Each site's
cron jobs are records in the site's annotations (records.py), so they are
transactional and shared by ZEO clients; a committed record schedules a Huey
task at its due time (scheduling.py, in an after-commit hook). The task
carries the site path, the cron uid, the user id and the record's task id;
run by a consumer thread of a worker process (consumer.py), it opens its own
ZODB connection (database.py), claims the record if it is still the cron's
current job and runs the job wrapper (tasks.py).

The site's IQueue is queue.py, the marked sites marker.py, the IJobBackend
utility backend.py, the configuration settings.py, Zope start and stop
startup.py, the test layers testing.py; huey.zcml registers them.
"""
