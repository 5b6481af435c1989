# -*- coding: utf-8 -*-
"""Job runners used by the tests. Each records its runs in RUNS."""
import threading

from AccessControl.SecurityManagement import getSecurityManager
from zope.globalrequest import getRequest

from collective.cron.crontab import Runner

#: the names the runners below are registered under (tests/testing.zcml)
RECORD = u'collective.cron.tests.record'
WARN = u'collective.cron.tests.warn'
MESSAGE = u'collective.cron.tests.message'
FAIL = u'collective.cron.tests.fail'

RUNS = []
_lock = threading.Lock()


def record(runner, **extra):
    request = getattr(runner.context, 'REQUEST', None)
    entry = dict(name=runner.cron.name, uid=runner.cron.uid,
                 environ=dict(runner.cron.environ),
                 user=getSecurityManager().getUser().getId(),
                 site='/'.join(runner.context.getPhysicalPath()),
                 has_request=request is not None and request is getRequest(),
                 url=runner.context.absolute_url(),
                 **extra)
    with _lock:
        RUNS.append(entry)
    return entry


def runs(name=None):
    with _lock:
        return [run for run in RUNS if name is None or run['name'] == name]


def clear():
    with _lock:
        del RUNS[:]


class RecordingRunner(Runner):
    """Records the run; OK."""

    def run(self):
        record(self)


class WarningRunner(Runner):
    """Returns messages: WARN."""

    def run(self):
        record(self)
        return [u'first <b>warning</b>', u'second \xe9']


class MessageRunner(Runner):
    """Returns one message: WARN."""

    def run(self):
        record(self)
        return u'just one'


class FailingRunner(Runner):
    """Changes the site then raises: FAILURE (the change is rolled back)."""

    def run(self):
        record(self)
        self.context.failing_runner_was_here = True
        raise ValueError(u'broken <i>on purpose</i>')


class OddRunner(Runner):
    """Returns a number: WARN with its text."""

    def run(self):
        record(self)
        return 42


class LocalRunner(Runner):
    """Registered in a site's own component registry by a test."""

    def run(self):
        record(self)
        return u'local'
