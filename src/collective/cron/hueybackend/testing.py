# -*- coding: utf-8 -*-
"""Test layers for collective.cron on the Huey backend (Python 3).

The fixture is a Plone site with collective.cron installed, a real Huey
task store (SqliteHuey in a temporary file) and a real consumer (threads,
polling at most every MAX_DELAY s; Huey's scheduler looks at the ETAs
every second). The clock is faked (collective.cron.hueybackend.clock):
``datetime.datetime.now()`` is frozen for every thread, the consumer's
included, and moved with ``set_now``.

- COLLECTIVE_CRON_INTEGRATION_TESTING: per-test transaction, rolled back.
  Jobs can be queued but never run (Huey hears of committed jobs only).
- COLLECTIVE_CRON_FUNCTIONAL_TESTING: per-test main database (a DemoStorage
  stacked on the fixture's), which the tasks open; commit to let the
  consumer run due jobs. After each test the task store is emptied.
- COLLECTIVE_CRON_SERVER_TESTING: the functional layer and a WSGI server.
- COLLECTIVE_CRON_SIMPLE: only the clock (2.x's Timed layer).

The names are those of the zc.async backend's testing module where they
are backend-neutral (collective.cron.testing is this module on Python 3).
``layer['huey']`` is the task store.
"""
import base64
import contextlib
import datetime
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time

import pytz
import transaction
from dateutil.tz import tzlocal
from huey import RedisHuey
from huey import SqliteHuey
from huey import signals as huey_signals
from plone.app.testing import FunctionalTesting as PloneFunctionalTesting
from plone.app.testing import IntegrationTesting as PloneIntegrationTesting
from plone.app.testing import PLONE_FIXTURE
from plone.app.testing import PloneSandboxLayer
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.app.testing import applyProfile
from plone.app.testing import setRoles
from plone.testing import Layer
from plone.testing import zope as zope_testing

from collective.cron.hueybackend import clock
from collective.cron.hueybackend import consumer
from collective.cron.hueybackend import database
from collective.cron.hueybackend import startup
from collective.cron.hueybackend import store
from collective.cron.hueybackend.marker import marked_paths
from collective.cron.hueybackend.records import JOBS_KEY
from collective.cron.utils import to_tz

#: Every test starts at this (UTC) time.
DEFAULT_NOW = datetime.datetime(2008, 1, 1, 0, 0, 0, tzinfo=pytz.UTC)
#: the consumer's longest wait between two looks at the queue in tests
POLL_INTERVAL = 0.1
#: worker threads of the test consumer
WORKERS = 2
#: 2.x: the user agent of Browser.new
GENTOO_FF_UA = ('Mozilla/5.0 (X11; U; Linux i686; en-US; rv:1.9.1.3) '
                'Gecko/20090912 Gentoo Shiretoko/3.5.3')
#: the layer running the current test (Browser.new opens its app)
_layer = None


def set_now(dt):
    """Move the process clock (all threads) to ``dt``; a naive datetime is
    local time (as 2.x's set_now)."""
    clock.set_now(to_tz(dt, tzlocal()))


def time_machine_running():
    return clock.installed()


def start_time_machine():
    """Freeze the clock at DEFAULT_NOW for the whole process; False when
    it was already frozen (only the clock is set then)."""
    started = clock.install()
    set_now(DEFAULT_NOW)
    return started


def stop_time_machine():
    clock.uninstall()


_clock_starts = []


def setUpDatetime():
    """2.x: start the fake clock (unless it runs) at 2012-10-09 12:00
    local time."""
    _clock_starts.append(start_time_machine())
    set_now(datetime.datetime(2012, 10, 9, 12, 0))


def tearDownDatetime():
    """2.x: stop the fake clock if the matching setUpDatetime started
    it."""
    if _clock_starts and _clock_starts.pop():
        stop_time_machine()


class Timed(Layer):
    """2.x: the clock layer; each test starts at 2008-01-01 01:00 local
    time."""

    defaultBases = ()

    def setUp(self):
        setUpDatetime()

    def testSetUp(self):
        set_now(datetime.datetime(2008, 1, 1, 1, 0))

    def tearDown(self):
        tearDownDatetime()


def real_now():
    """The real time, whatever the fake clock says."""
    return clock.real_now()


class TaskCounter(object):
    """How many cron tasks the consumer is executing (Huey's signals)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.executing = set()

    def __call__(self, signal, task, *args, **kwargs):
        with self.lock:
            if signal == huey_signals.SIGNAL_EXECUTING:
                self.executing.add(task.id)
            else:
                self.executing.discard(task.id)

    def busy(self):
        with self.lock:
            return bool(self.executing)


_counter = TaskCounter()


def queue_is_idle(huey=None):
    """True when no task is due in the queue and none is executing (the
    argument, for the zc.async backend's database, is not needed)."""
    huey = store.get_huey()
    return not _counter.busy() and huey.pending_count() == 0


def wait_for(predicate, seconds=10, what='condition'):
    """Poll ``predicate`` until it is true; raise AssertionError on timeout."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(POLL_INTERVAL / 2)
    raise AssertionError('timed out after %ss waiting for %s'
                         % (seconds, what))


def set_agent_sizes(queue, sizes):
    """Stop this process's consumer (``sizes`` None: no job is taken, as
    when no worker runs) or start it again with ``sizes`` worker threads;
    return the previous number (pass it back to restore it). The name and
    arguments are the zc.async backend's (its agents' sizes); ``queue`` is
    not needed."""
    previous = consumer.running_consumer()
    running = previous.workers if previous is not None else None
    startup.stop()
    if sizes:
        startup.start_worker(store.get_huey(), sizes, POLL_INTERVAL)
    return running


def wait_for_result(job, seconds=10):
    """Wait for a committed job (a CronJob) to complete; return the
    cron's state then. The caller's transaction is renewed."""
    def completed():
        transaction.begin()
        return job.state == 'completed'
    wait_for(completed, seconds, 'job %r' % (job,))
    return job.state


def clear_queue(huey=None, marks=None, db=None):
    """Empty the task store; with ``db``, forget the job records of every
    marked site of that database (its marks are kept). The store is
    emptied twice: a worker may hold a task it moves to the schedule."""
    store.get_huey().flush()
    time.sleep(POLL_INTERVAL)
    store.get_huey().flush()
    if db is None:
        return
    connection = db.open()
    try:
        transaction.begin()
        root = connection.root()
        app = root['Application']
        for path in marked_paths(root):
            site = app.unrestrictedTraverse(path, None)
            annotations = getattr(site, '__annotations__', None)
            if annotations is not None and JOBS_KEY in annotations:
                del annotations[JOBS_KEY]
        transaction.commit()
    finally:
        transaction.abort()
        connection.close()


def new_store(folder):
    """A SQLite task store in ``folder``, its tasks counted."""
    huey = SqliteHuey('collective.cron.tests', results=False,
                      filename=os.path.join(folder, 'huey.db'))
    huey.signal()(_counter)
    return huey


class CollectiveCronFixture(PloneSandboxLayer):
    """Plone + collective.cron + a real Huey store and consumer."""

    defaultBases = (PLONE_FIXTURE,)

    def setUp(self):
        self.started_clock = start_time_machine()
        self.folder = tempfile.mkdtemp(prefix='collective.cron-huey-')
        self['huey'] = new_store(self.folder)
        #: the zc.async layers' name of their job store, for the tests that
        #: hand it to queue_is_idle (which does not need it here)
        self['asyncDB'] = self['huey']
        store.set_huey(self['huey'])
        super(CollectiveCronFixture, self).setUp()
        database.set_db(self['zodbDB'])
        startup.start_worker(self['huey'], WORKERS, POLL_INTERVAL)

    def tearDown(self):
        startup.stop()
        database.set_db(None)
        transaction.abort()
        super(CollectiveCronFixture, self).tearDown()
        store.set_huey(None)
        del self['huey']
        del self['asyncDB']
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.started_clock:
            stop_time_machine()

    def setUpZope(self, app, configurationContext):
        import collective.cron
        import collective.cron.tests
        self.loadZCML('configure.zcml', package=collective.cron)
        self.loadZCML('testing.zcml', package=collective.cron.tests)

    def setUpPloneSite(self, portal):
        applyProfile(portal, 'collective.cron:default')
        setRoles(portal, TEST_USER_ID, ['Manager'])


COLLECTIVE_CRON_FIXTURE = CollectiveCronFixture()


def free_port():
    with contextlib.closing(socket.socket()) as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


class RedisServer(Layer):
    """A redis-server of its own (Debian's ``redis-server``), on a free
    port, with nothing saved to disk; ``layer['redisURL']``."""

    defaultBases = ()

    def setUp(self):
        executable = shutil.which('redis-server')
        if executable is None:
            raise RuntimeError('the Redis tests need redis-server '
                               '(apt-get install redis-server)')
        self.folder = tempfile.mkdtemp(prefix='collective.cron-redis-')
        port = free_port()
        self.process = subprocess.Popen(
            [executable, '--port', str(port), '--bind', '127.0.0.1',
             '--save', '', '--appendonly', 'no', '--dir', self.folder],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self['redisURL'] = 'redis://127.0.0.1:%d/0' % port
        wait_for(lambda: self.answers(port), 10, 'redis-server to answer')

    @staticmethod
    def answers(port):
        try:
            with contextlib.closing(socket.create_connection(
                    ('127.0.0.1', port), 0.2)):
                return True
        except OSError:
            return False

    def tearDown(self):
        self.process.terminate()
        self.process.wait(10)
        shutil.rmtree(self.folder, ignore_errors=True)
        del self['redisURL']


REDIS_SERVER = RedisServer(name='CollectiveCron:RedisServer')


class RedisStore(Layer):
    """The fixture with a RedisHuey task store instead of SQLite (its
    consumer restarted on it)."""

    defaultBases = (COLLECTIVE_CRON_FIXTURE, REDIS_SERVER)

    def setUp(self):
        startup.stop()
        self.sqlite = store.get_huey()
        self['huey'] = self['asyncDB'] = new_redis_store(self['redisURL'])
        store.set_huey(self['huey'])
        startup.start_worker(self['huey'], WORKERS, POLL_INTERVAL)

    def tearDown(self):
        startup.stop()
        self['huey'].flush()
        store.set_huey(self.sqlite)
        startup.start_worker(self.sqlite, WORKERS, POLL_INTERVAL)
        del self['huey']
        del self['asyncDB']


def new_redis_store(url):
    """A Redis task store at ``url``, its tasks counted."""
    huey = RedisHuey('collective.cron.tests', results=False, url=url)
    huey.signal()(_counter)
    return huey


COLLECTIVE_CRON_REDIS_FIXTURE = RedisStore(name='CollectiveCron:Redis')


#: the per-test resources of LayerMixin
RESOURCES = ('cron', 'crontab', 'crontab_manager', 'cron_manager',
             'cron_queue', 'crontab_marker', 'async', 'queue', 'cron_utils')


class LayerMixin(object):
    """2.x's per-test resources: a cron u'testcron' ('*/1 * * * *',
    activated) in a crontab made in memory (not saved), its managers, the
    site's IQueue (``cron_queue``), its marker, the task store (``async``
    and ``queue``, 2.x's service and queue) and CCRONUtils."""

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
        set_now(DEFAULT_NOW)
        super(CronIntegrationTesting, self).testSetUp()
        self.setUpResources()

    def testTearDown(self):
        self.tearDownResources()
        super(CronIntegrationTesting, self).testTearDown()


class CronFunctionalTesting(LayerMixin, PloneFunctionalTesting):
    """Functional tests: own main DB per test, which the tasks open."""

    def testSetUp(self):
        set_now(DEFAULT_NOW)
        super(CronFunctionalTesting, self).testSetUp()
        database.set_db(self['zodbDB'])
        self.setUpResources()

    def testTearDown(self):
        self.tearDownResources()
        transaction.abort()
        wait_for(queue_is_idle, 30, 'running tasks to finish')
        clear_queue()
        super(CronFunctionalTesting, self).testTearDown()
        database.set_db(self['zodbDB'])


#: 2.x's names of the test layer classes
IntegrationTesting = CronIntegrationTesting
FunctionalTesting = CronFunctionalTesting


class SimpleLayer(Layer):
    """2.x: tests that need the clock only."""

    defaultBases = (Timed(name='CollectiveCron:Timed'),)


COLLECTIVE_CRON_SIMPLE = SimpleLayer(name='CollectiveCron:Simple')


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
            credentials = '%s:%s' % (user or SITE_OWNER_NAME,
                                     passwd or SITE_OWNER_PASSWORD)
            token = base64.b64encode(credentials.encode('utf-8'))
            headers.append(('Authorization',
                            'Basic %s' % token.decode('ascii')))
        headers.append(('User-Agent', GENTOO_FF_UA))
        return cls(_layer['app'], url, headers=headers)


COLLECTIVE_CRON_INTEGRATION_TESTING = CronIntegrationTesting(
    bases=(COLLECTIVE_CRON_FIXTURE,), name='CollectiveCron:Integration')
COLLECTIVE_CRON_FUNCTIONAL_TESTING = CronFunctionalTesting(
    bases=(COLLECTIVE_CRON_FIXTURE,), name='CollectiveCron:Functional')
#: the functional layer on a Redis task store (a redis-server of its own)
COLLECTIVE_CRON_REDIS_FUNCTIONAL_TESTING = CronFunctionalTesting(
    bases=(COLLECTIVE_CRON_REDIS_FIXTURE,),
    name='CollectiveCron:RedisFunctional')

#: the functional layer plus a real WSGI server (``layer['host']``,
#: ``layer['port']``), for tests that speak HTTP (the REST API)
COLLECTIVE_CRON_SERVER_TESTING = CronFunctionalTesting(
    bases=(COLLECTIVE_CRON_FIXTURE, zope_testing.WSGI_SERVER_FIXTURE),
    name='CollectiveCron:Server')
