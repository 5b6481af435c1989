# -*- coding: utf-8 -*-
"""The parts of the test layers that are the same for every job backend.

Each backend's testing module (collective.cron.testing is the one of this
Python) builds its layers on these and exports them under collective.cron
2.x's names. What differs between the backends is given by them:

- the fake clock: the backend's ``set_now``, ``start_time_machine`` and
  ``stop_time_machine``, which its testing module gives to ``CLOCK``;
- the job store: ``CronFunctionalTesting``'s hooks ``setUpDatabase``,
  ``queue_is_idle`` and ``clear_queue``.

This module imports no backend (tests/test_seam.py).
"""
import base64
import collections
import datetime
import time

import pytz
import six
import transaction
from plone.app.testing import FunctionalTesting as PloneFunctionalTesting
from plone.app.testing import IntegrationTesting as PloneIntegrationTesting
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.testing import Layer
from plone.testing import zope as zope_testing

from collective.cron import states

#: Every test starts at this (UTC) time.
DEFAULT_NOW = datetime.datetime(2008, 1, 1, 0, 0, 0, tzinfo=pytz.UTC)
#: how often the test workers look at the queue (at most), in seconds
POLL_INTERVAL = 0.1
#: 2.x: the user agent of Browser.new
GENTOO_FF_UA = ('Mozilla/5.0 (X11; U; Linux i686; en-US; rv:1.9.1.3) '
                'Gecko/20090912 Gentoo Shiretoko/3.5.3')
#: the per-test resources of LayerMixin
RESOURCES = ('cron', 'crontab', 'crontab_manager', 'cron_manager',
             'cron_queue', 'crontab_marker', 'async', 'queue', 'cron_utils')
#: the layer running the current test (Browser.new opens its app)
_layer = None
#: the functions of the backend's fake clock (see FakeClock)
ClockFunctions = collections.namedtuple('ClockFunctions',
                                        'set_now start stop')


def wait_for(predicate, seconds=10, what='condition'):
    """Poll ``predicate`` until it is true; raise AssertionError on timeout."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(POLL_INTERVAL / 2)
    raise AssertionError('timed out after %ss waiting for %s'
                         % (seconds, what))


def wait_for_result(job, seconds=10, finished=states.COMPLETED):
    """Wait for a committed job to complete (its ``status`` is
    ``finished``, the backend's) and return its result (what the job
    wrapper returned). The caller's transaction is renewed so the result
    is visible."""
    def completed():
        transaction.begin()
        return job.status == finished
    wait_for(completed, seconds, 'job %r' % (job,))
    return job.result


class FakeClock(object):
    """The fake clock of the process, as 2.x's tests drive it.

    The backend's testing module gives it its functions when imported
    (``use``): ``set_now(dt)`` moves the clock (for every thread),
    ``start()`` freezes it (False when it already was frozen) and
    ``stop()`` gives the real time back. A process tests one backend, and
    the clock is the whole process's, hence one FakeClock (CLOCK)."""

    def __init__(self):
        self.functions = None
        self.starts = []

    def use(self, set_now, start, stop):
        self.functions = ClockFunctions(set_now, start, stop)

    def backend(self):
        """The backend's ClockFunctions."""
        if self.functions is None:
            raise RuntimeError('collective.cron: no fake clock: import the '
                               'testing module of the job backend '
                               '(collective.cron.testing)')
        return self.functions

    def set_now(self, dt):
        self.backend().set_now(dt)

    def setUpDatetime(self):
        """2.x: start the fake clock (unless it runs) at 2012-10-09 12:00
        local time."""
        self.starts.append(self.backend().start())
        self.set_now(datetime.datetime(2012, 10, 9, 12, 0))

    def tearDownDatetime(self):
        """2.x: stop the fake clock if the matching setUpDatetime started
        it."""
        if self.starts and self.starts.pop():
            self.backend().stop()


CLOCK = FakeClock()
setUpDatetime = CLOCK.setUpDatetime
tearDownDatetime = CLOCK.tearDownDatetime


class Timed(Layer):
    """2.x: the clock layer; each test starts at 2008-01-01 01:00 local
    time."""

    defaultBases = ()

    def setUp(self):
        setUpDatetime()

    def testSetUp(self):
        CLOCK.set_now(datetime.datetime(2008, 1, 1, 1, 0))

    def tearDown(self):
        tearDownDatetime()


class SimpleLayer(Layer):
    """2.x: tests that need the clock only."""

    defaultBases = (Timed(name='CollectiveCron:Timed'),)


class LayerMixin(object):
    """2.x's per-test resources: a cron u'testcron' ('*/1 * * * *',
    activated) in a crontab made in memory (not saved), its managers, the
    site's IQueue (``cron_queue``), its marker, the backend's service
    (``async``) and queue (``queue``), as 2.x named them, and CCRONUtils."""

    def setUpResources(self):
        global _layer
        from collective.cron.ccronutils import CCRONUtils
        from collective.cron.crontab import Cron
        from collective.cron.crontab import Crontab
        from collective.cron.cronmanager import CronManager
        from collective.cron.crontabmanager import CrontabManager
        portal = self['portal']
        self['cron'] = Cron(name=u'testcron', activated=True,
                            periodicity=u'*/1 * * * *')
        self['crontab'] = Crontab.load([self['cron']])
        self['crontab_manager'] = CrontabManager(portal, self['crontab'])
        self['cron_manager'] = CronManager(portal, self['cron'])
        self['cron_queue'] = self['crontab_manager'].queue
        self['crontab_marker'] = self['cron_queue'].marker
        self['async'] = self['cron_queue'].service
        self['queue'] = self['cron_queue'].queue
        self['cron_utils'] = CCRONUtils(portal, self['cron'])
        _layer = self

    def tearDownResources(self):
        global _layer
        _layer = None
        for key in RESOURCES:
            if key in self._resources:
                del self[key]


class CronIntegrationTesting(LayerMixin, PloneIntegrationTesting):
    """Integration tests: the clock starts at DEFAULT_NOW in every test."""

    def testSetUp(self):
        CLOCK.set_now(DEFAULT_NOW)
        super(CronIntegrationTesting, self).testSetUp()
        self.setUpResources()

    def testTearDown(self):
        self.tearDownResources()
        super(CronIntegrationTesting, self).testTearDown()


#: 2.x's name of the integration layer class
IntegrationTesting = CronIntegrationTesting


#: seconds a test's last jobs may take to finish after it: generous, as a
#: failure here stops the whole test run (seen once at 30 s, with three
#: suites running on the 2 cores)
IDLE_BOUND = 120


class CronFunctionalTesting(LayerMixin, PloneFunctionalTesting):
    """Functional tests: a main database of their own per test; after
    each test, once no job runs, the job store is emptied. The hooks
    ``setUpDatabase``, ``queue_is_idle`` and ``clear_queue`` are the
    backend's."""

    def testSetUp(self):
        CLOCK.set_now(DEFAULT_NOW)
        self.setUpDatabase()
        self.setUpResources()

    def setUpDatabase(self):
        """Stack the test's main database (plone.app.testing's)."""
        super(CronFunctionalTesting, self).testSetUp()

    def testTearDown(self):
        self.tearDownResources()
        transaction.abort()
        wait_for(self.queue_is_idle, IDLE_BOUND, 'running jobs to finish')
        self.clear_queue()
        super(CronFunctionalTesting, self).testTearDown()

    def queue_is_idle(self):
        """True when no job runs."""
        raise NotImplementedError

    def clear_queue(self):
        """Empty the job store (the sites' marks are kept)."""
        raise NotImplementedError


def standard_layers(fixture, functional, module):
    """The test layers of every backend, on ``fixture`` (its
    CollectiveCronFixture layer): integration, functional (``functional``
    is its CronFunctionalTesting) and the functional layer plus a real
    WSGI server (``layer['host']``, ``layer['port']``, for tests that
    speak HTTP: the REST API). ``module`` is the name of the backend's
    testing module, the layers' module."""
    return (
        CronIntegrationTesting(bases=(fixture,), module=module,
                               name='CollectiveCron:Integration'),
        functional(bases=(fixture,), module=module,
                   name='CollectiveCron:Functional'),
        functional(bases=(fixture, zope_testing.WSGI_SERVER_FIXTURE),
                   module=module, name='CollectiveCron:Server'),
    )


def basic_authorization(user, password):
    """The value of an HTTP Basic Authorization header (a native str)."""
    credentials = six.ensure_binary('%s:%s' % (user, password))
    return 'Basic %s' % six.ensure_str(base64.b64encode(credentials))


class Browser(zope_testing.Browser):
    """plone.testing's test browser with 2.x's ``new`` shortcut."""

    def __init__(self, app, url=None, headers=None):
        super(Browser, self).__init__(app)
        for name, value in headers or ():
            self.addHeader(name, value)
        if url is not None:
            self.open(url)

    @classmethod
    def new(cls, url, user=None, passwd=None, headers=None, login=False):
        """A browser on ``url`` in the current test's app; logged in (as
        the site owner unless ``user`` is given) with ``login`` or a
        ``user``."""
        headers = list(headers or ())
        if user or login:
            headers.append(('Authorization', basic_authorization(
                user or SITE_OWNER_NAME, passwd or SITE_OWNER_PASSWORD)))
        headers.append(('User-Agent', GENTOO_FF_UA))
        return cls(_layer['app'], url, headers=headers)
