# -*- coding: utf-8 -*-
"""Job runners that record every run, for the reliability suite.

Each run is counted in an OOBTree on the site (``RUNS_ATTRIBUTE``), keyed
``'<cron uid>|<due minute>'``, so a duplicate run shows as a count above 1.
The value is ``(count, started, finished, worker pid, job oid)``. It is
written in the job's transaction: a run that is rolled back (conflict,
crash) is not counted. The start and the end of each run are also appended
to the file named by the CRONREL_EVENTS environment variable, outside the
ZODB, so the suite sees a run that is still going on (or that a kill -9
interrupted) and whether two runs of a cron overlapped.
"""
import datetime
import json
import os
import time

from BTrees.OOBTree import OOBTree

from collective.cron.crontab import Runner

from cronrel.backend import current_run

RUNS_ATTRIBUTE = '_cronrel_runs'


def runs_of(site):
    """The runs tree of ``site`` (made on first use)."""
    tree = getattr(site, RUNS_ATTRIBUTE, None)
    if tree is None:
        tree = OOBTree()
        setattr(site, RUNS_ATTRIBUTE, tree)
    return tree


def log_event(**fields):
    path = os.environ.get('CRONREL_EVENTS')
    if not path:
        return
    fields.update(pid=os.getpid(), time=time.time())
    with open(path, 'a') as handle:
        handle.write(json.dumps(fields, sort_keys=True) + '\n')


class RecordRunner(Runner):
    """Counts the run in the site's runs tree."""

    def run(self):
        due, oid = current_run(self.context)
        key = '%s|%s' % (self.cron.uid, due)
        started = time.time()
        log_event(event='start', uid=self.cron.uid, key=key,
                  name=self.cron.name)
        self.work()
        log_event(event='end', uid=self.cron.uid, key=key,
                  name=self.cron.name)
        tree = runs_of(self.context)
        count = tree.get(key, (0,))[0] + 1
        tree[key] = (count, started, time.time(), os.getpid(), oid)

    def work(self):
        """What the run does between its start and its record."""


class SleepRunner(RecordRunner):
    """Sleeps ``environ['sleep']`` seconds in the middle of its run."""

    def work(self):
        time.sleep(float(self.cron.environ.get('sleep', 10)))


class RaisingRunner(Runner):
    """Always fails."""

    def run(self):
        raise RuntimeError(u'rel-raise failed on purpose \xe9')


class Opaque(object):
    """An object whose text is its repr."""

    def __repr__(self):
        return '<Opaque object>'


def generator():
    yield u'from a generator'


ODD_RESULTS = {
    'dict': lambda: {'a': 1, u'b': [2, 3]},
    'int': lambda: 42,
    'float': lambda: 1.5,
    'bool': lambda: False,
    'bytes': lambda: b'caf\xe9 \xff not utf-8',
    'object': Opaque,
    'generator': generator,
    'mixed-list': lambda: [None, 1, b'\xff', {'x': 1}, Opaque()],
    'huge': lambda: u'x' * 100000,
    'datetime': lambda: datetime.datetime(2020, 1, 1),
}


class OddRunner(Runner):
    """Returns a value of an unusual type (``environ['kind']``)."""

    def run(self):
        return ODD_RESULTS[self.cron.environ.get('kind', 'object')]()
