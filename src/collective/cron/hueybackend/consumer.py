# -*- coding: utf-8 -*-
"""The Huey consumer of a worker process: threads inside Zope.

Huey's Consumer installs signal handlers in ``start()``, which fails off the
main thread (after its threads started) and would take Zope's signals:
``ZopeConsumer`` leaves signals alone (Huey has no public switch for it,
so its ``_set_signal_handlers`` hook is overridden). Its scheduler notes
each poll in Huey's key-value store (IQueue.last_poll).
"""
import datetime
import logging
import threading

import pytz
from huey.consumer import Consumer
from huey.consumer import Scheduler

from collective.cron.hueybackend.queue import POLL_KEY

logger = logging.getLogger('collective.cron')
#: the longest wait of an idle worker between two looks at the queue (s)
MAX_DELAY = 1.0
#: how long stop() waits for running tasks (s)
SHUTDOWN_TIMEOUT = 30
_consumers = []
_lock = threading.Lock()


class PollingScheduler(Scheduler):
    """Huey's scheduler, noting when it polls."""

    def loop(self, now=None):
        try:
            self.huey.put(POLL_KEY, datetime.datetime.now(pytz.UTC))
        except Exception:
            self._logger.exception('collective.cron: cannot note the poll')
        return super(PollingScheduler, self).loop(now)


class ZopeConsumer(Consumer):
    """A thread consumer that leaves the process's signals alone."""

    scheduler_class = PollingScheduler

    def _set_signal_handlers(self):
        """Zope owns the signals (see the module)."""


def start(huey, workers, max_delay=MAX_DELAY):
    """Start this process's consumer (one at a time); return it."""
    with _lock:
        if _consumers:
            return _consumers[0]
        consumer = ZopeConsumer(
            huey, workers=workers, worker_type='thread', periodic=False,
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
    logger.info('collective.cron: Huey consumer stopped')
    return True


def running_consumer():
    """This process's consumer, or None."""
    return _consumers[0] if _consumers else None
