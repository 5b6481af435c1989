# -*- coding: utf-8 -*-
"""Job runners of the benchmarks.

- NoopRunner ('cronbench-noop'): does nothing, but notes how long its own
  call took, so the wrapper's overhead is the rest (P3).
- StampRunner ('cronbench-stamp'): appends the real time it started and
  its cron's uid to the file named by $CRONBENCH_STAMPS (P4, in a real
  instance, one line of JSON per run).
"""
import calendar
import json
import os
import threading
import time

from collective.cron.crontab import Runner
from collective.cron.interfaces import IQueue

NOOP = u'cronbench-noop'
STAMP = u'cronbench-stamp'
_lock = threading.Lock()
LAST_CALL = {}


def due_time(site):
    """When the job running in this thread was due (seconds since the
    epoch), as the site's job backend tells it; None outside a job."""
    due = IQueue(site).running_due()
    if due is None:
        return None
    return calendar.timegm(due.utctimetuple()) + due.microsecond / 1e6


class NoopRunner(Runner):
    """Does nothing; LAST_CALL['seconds'] is how long that took."""

    def run(self):
        start = time.time()
        LAST_CALL['seconds'] = time.time() - start


class StampRunner(Runner):
    """Notes when it started (real time, seconds since the epoch)."""

    def run(self):
        started = time.time()
        line = json.dumps({'uid': self.cron.uid, 'started': started,
                           'due': due_time(self.context),
                           'environ': self.cron.environ})
        path = os.environ.get('CRONBENCH_STAMPS')
        if not path:
            return u'CRONBENCH_STAMPS is not set'
        with _lock:
            with open(path, 'a') as handle:
                handle.write(line + '\n')
        return None
