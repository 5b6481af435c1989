# -*- coding: utf-8 -*-
"""The Huey consumer of a worker process: threads inside Zope.

Huey's Consumer installs signal handlers in ``start()``, which fails off the
main thread (after its threads started) and would take Zope's signals:
``ZopeConsumer`` leaves signals alone (Huey has no public switch for it,
so its ``_set_signal_handlers`` hook is overridden). Its scheduler notes
each poll in Huey's key-value store (IQueue.last_poll) and drives the
worker's takeover.Watch: its heartbeat and its looks for the jobs of dead
workers.
"""
import datetime
import logging
import threading

import pytz
from huey.consumer import Consumer
from huey.consumer import Scheduler

from collective.cron.hueybackend import settings
from collective.cron.hueybackend.queue import POLL_KEY
from collective.cron.hueybackend.takeover import Watch

logger = logging.getLogger('collective.cron')
#: the longest wait of an idle worker between two looks at the queue (s)
MAX_DELAY = 1.0
#: how long stop() waits for running tasks (s)
SHUTDOWN_TIMEOUT = 30
_consumers = []
_lock = threading.Lock()


class PollingScheduler(Scheduler):
    """Huey's scheduler, noting when it polls (and the worker's heartbeat:
    see takeover.py)."""

    #: the worker's takeover.Watch (set by ZopeConsumer)
    watch = None

    def loop(self, now=None):
        try:
            self.huey.put(POLL_KEY, datetime.datetime.now(pytz.UTC))
            if self.watch is not None:
                self.watch.beat()
        except Exception:
            self._logger.exception('collective.cron: cannot note the poll')
        if self.watch is not None:
            self.watch.poll()
        return super(PollingScheduler, self).loop(now)


class ZopeConsumer(Consumer):
    """A thread consumer that leaves the process's signals alone."""

    scheduler_class = PollingScheduler

    def __init__(self, huey, watch=None, **options):
        #: set first: Consumer.__init__ makes the scheduler
        self.watch = watch
        super(ZopeConsumer, self).__init__(huey, **options)

    def _create_scheduler(self):
        """Huey's hook for making the scheduler: ours gets the watch."""
        scheduler = super(ZopeConsumer, self)._create_scheduler()
        scheduler.watch = self.watch
        return scheduler

    def _set_signal_handlers(self):
        """Zope owns the signals (see the module)."""


def start(huey, workers, max_delay=MAX_DELAY, dead_after=None):
    """Start this process's consumer (one at a time); return it. A worker
    is dead after ``dead_after`` seconds without heartbeat (None: as the
    settings say)."""
    if dead_after is None:
        dead_after = settings.dead_after()
    watch = Watch(huey, settings.worker_name(), dead_after)
    with _lock:
        if _consumers:
            return _consumers[0]
        consumer = ZopeConsumer(
            huey, watch=watch, workers=workers, worker_type='thread',
            periodic=False,
            max_delay=max_delay, check_worker_health=False,
            shutdown_timeout=SHUTDOWN_TIMEOUT)
        consumer.start()
        _consumers.append(consumer)
    logger.info('collective.cron: Huey consumer started (%s worker '
                'threads)', workers)
    return consumer


def stop():
    """Stop this process's consumer, waiting for its running tasks (up to
    SHUTDOWN_TIMEOUT); True when one was running."""
    with _lock:
        if not _consumers:
            return False
        consumer = _consumers.pop()
    consumer.stop(graceful=True)
    consumer.watch.stop()
    logger.info('collective.cron: Huey consumer stopped')
    return True


def running_consumer():
    """This process's consumer, or None."""
    return _consumers[0] if _consumers else None
