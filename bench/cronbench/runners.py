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

from zc.async import local as async_local

from collective.cron.crontab import Runner

NOOP = u'cronbench-noop'
STAMP = u'cronbench-stamp'
_lock = threading.Lock()
LAST_CALL = {}


def due_time():
    """When the running zc.async job was due (seconds since the epoch)."""
    job = async_local.getJob()
    due = getattr(job, 'begin_after', None)
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
                           'due': due_time(),
                           'environ': self.cron.environ})
        path = os.environ.get('CRONBENCH_STAMPS')
        if not path:
            return u'CRONBENCH_STAMPS is not set'
        with _lock:
            with open(path, 'a') as handle:
                handle.write(line + '\n')
        return None
