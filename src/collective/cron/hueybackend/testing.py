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
import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time

import transaction
from dateutil.tz import tzlocal
from huey import RedisHuey
from huey import SqliteHuey
from huey import signals as huey_signals
from plone.app.testing import PLONE_FIXTURE
from plone.app.testing import PloneSandboxLayer
from plone.app.testing import TEST_USER_ID
from plone.app.testing import applyProfile
from plone.app.testing import setRoles
from plone.testing import Layer
from plone.testing import zope as zope_testing

from collective.cron import testingbase
from collective.cron.hueybackend import clock
from collective.cron.hueybackend import consumer
from collective.cron.hueybackend import database
from collective.cron.hueybackend import startup
from collective.cron.hueybackend import store
from collective.cron.hueybackend.marker import database_root
from collective.cron.hueybackend.marker import mark_path
from collective.cron.hueybackend.marker import marked_paths
from collective.cron.hueybackend.queue import POLL_KEY
from collective.cron.hueybackend.records import JOBS_KEY
from collective.cron.hueybackend.running import RUNNING_BOUND  # noqa: F401
from collective.cron.testingbase import DEFAULT_NOW
from collective.cron.testingbase import GENTOO_FF_UA  # noqa: F401 (2.x API)
from collective.cron.testingbase import POLL_INTERVAL
from collective.cron.testingbase import RESOURCES  # noqa: F401 (API)
from collective.cron.testingbase import Browser  # noqa: F401 (2.x API)
from collective.cron.testingbase import CronIntegrationTesting  # noqa: F401
from collective.cron.testingbase import IntegrationTesting  # noqa: F401
from collective.cron.testingbase import LayerMixin  # noqa: F401 (2.x API)
from collective.cron.testingbase import SimpleLayer
from collective.cron.testingbase import Timed  # noqa: F401 (2.x API)
from collective.cron.testingbase import setUpDatetime  # noqa: F401
from collective.cron.testingbase import tearDownDatetime  # noqa: F401
from collective.cron.testingbase import wait_for
from collective.cron.testingbase import wait_for_result  # noqa: F401 (API)
from collective.cron.utils import to_tz

#: worker threads of the test consumer
WORKERS = 2


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


testingbase.CLOCK.use(set_now, start_time_machine, stop_time_machine)
COLLECTIVE_CRON_SIMPLE = SimpleLayer(name='CollectiveCron:Simple')


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


def set_agent_sizes(queue, sizes):
    """Restart this process's consumer with ``sizes`` worker threads, or
    with none when ``sizes`` is None: its scheduler still polls (as
    IQueue.last_poll shows) and moves due tasks to the queue, but no task
    is taken, as when no worker runs; return the previous number (pass it
    back to restore it). The name, arguments and meaning are the zc.async
    backend's (its agents' sizes, its dispatcher polling); ``queue`` is
    not needed."""
    previous = consumer.running_consumer()
    running = previous.workers if previous is not None else None
    startup.stop()
    startup.start_worker(store.get_huey(), sizes or 0, POLL_INTERVAL)
    return running


def clear_queue(huey=None, marks=None, db=None):
    """Empty the task store; with ``db``, forget the job records of every
    marked site of that database (its marks are kept). The store is
    emptied twice: a worker may hold a task it moves to the schedule. The
    workers' last poll is kept: they still run (else the next test could
    find them silent until their next poll)."""
    huey = store.get_huey()
    last_poll = huey.get(POLL_KEY, peek=True)
    huey.flush()
    time.sleep(POLL_INTERVAL)
    huey.flush()
    if last_poll is not None:
        huey.put_if_empty(POLL_KEY, last_poll)
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


def lose_jobs(layer):
    """The job store of ``layer`` (a functional layer) is lost: every job
    (task and record) is gone, the site marks are kept."""
    clear_queue(db=layer['zodbDB'])


def queue_ready(portal=None):
    """What a worker does when its queue is ready at Zope start (restart
    recovery: the marked sites are re-synchronised); returns once it is
    done. ``portal`` (the zc.async backend's argument) is not needed."""
    startup.queue_ready(wait=True)


def mark_site_path(portal, path):
    """Mark ``path`` as a site using cron (commit to keep it)."""
    mark_path(database_root(portal), path)


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


class CronFunctionalTesting(testingbase.CronFunctionalTesting):
    """Functional tests: own main DB per test, which the tasks open."""

    def setUpDatabase(self):
        super(CronFunctionalTesting, self).setUpDatabase()
        database.set_db(self['zodbDB'])

    def testTearDown(self):
        super(CronFunctionalTesting, self).testTearDown()
        database.set_db(self['zodbDB'])

    def queue_is_idle(self):
        return queue_is_idle()

    def clear_queue(self):
        clear_queue()


#: 2.x's name of the functional layer class
FunctionalTesting = CronFunctionalTesting

(COLLECTIVE_CRON_INTEGRATION_TESTING, COLLECTIVE_CRON_FUNCTIONAL_TESTING,
 COLLECTIVE_CRON_SERVER_TESTING) = testingbase.standard_layers(
    COLLECTIVE_CRON_FIXTURE, CronFunctionalTesting, __name__)


#: the functional layer on a Redis task store (a redis-server of its own)
COLLECTIVE_CRON_REDIS_FUNCTIONAL_TESTING = CronFunctionalTesting(
    bases=(COLLECTIVE_CRON_REDIS_FIXTURE,),
    name='CollectiveCron:RedisFunctional')
