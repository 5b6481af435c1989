# -*- coding: utf-8 -*-
"""Test layers for collective.cron and for add-ons that use it.

The fixture is a Plone site with collective.cron installed, a second
'async' database beside the main one, and a real zc.async queue, threaded
dispatcher and agent polling it every 0.1 s. The clock is zc.async's time
machine: ``datetime.datetime.now()`` is frozen (for every thread, the
dispatcher's included) and moved with ``set_now``.

- COLLECTIVE_CRON_INTEGRATION_TESTING: per-test transaction, rolled back.
  Jobs can be queued but never run (the dispatcher only sees commits).
- COLLECTIVE_CRON_FUNCTIONAL_TESTING: per-test main database (a DemoStorage
  stacked on the fixture's) sharing the fixture's async database; commit to
  let the dispatcher run due jobs. After each test the queue is emptied.
- COLLECTIVE_CRON_SIMPLE: only the clock (2.x's Timed layer).

Both test layers give each test collective.cron 2.x's resources (see
LayerMixin): ``cron``, ``crontab``, ``crontab_manager``, ``cron_manager``,
``cron_queue``, ``crontab_marker``, ``async``, ``queue``, ``cron_utils``.
2.x's names are kept: set_now (a naive datetime is local time),
setUpDatetime, tearDownDatetime, Timed, LayerMixin, IntegrationTesting,
FunctionalTesting, Browser, GENTOO_FF_UA.
"""
import copy_reg
import datetime
import uuid

import pytz
import transaction
from dateutil.tz import tzlocal
import zc.async.dispatcher
import zc.async.interfaces
import zc.async.subscribers
import zc.async.testing
from plone.app.async import subscribers as async_subscribers
from plone.app.async.interfaces import IAsyncDatabase
from plone.app.async.interfaces import IQueueReady
from plone.app.async.interfaces import QueueReady
from plone.app.testing import PLONE_FIXTURE
from plone.app.testing import PloneSandboxLayer
from plone.app.testing import TEST_USER_ID
from plone.app.testing import applyProfile
from plone.app.testing import setRoles
from plone.testing import zodb
from plone.testing import zope as zope_testing
from ZODB import DB
from ZODB.DemoStorage import DemoStorage
from zope import component
from zope.event import notify
from zope.processlifetime import DatabaseOpened

from collective.cron import testingbase
from collective.cron.interfaces import IQueue
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
from collective.cron.utils import to_tz
from collective.cron.zcasync.compat import apply_patches  # noqa: F401 (API)
from collective.cron.zcasync.marker import mark_path
from collective.cron.zcasync.marker import marked_paths
from collective.cron.zcasync.queue import RUNNING_BOUND  # noqa: F401 (API)

ASYNC_DB_NAME = 'async'


def set_now(dt):
    """Move the process clock (all threads) to ``dt``; a naive datetime is
    local time (as zc.async's set_now that 2.x used). The clock keeps it in
    the local zone, so that ``datetime.datetime.now()`` is the local time,
    as on a real server, and ``datetime.datetime.now(tz)`` the same
    instant in ``tz``."""
    zc.async.testing.set_now(to_tz(dt, tzlocal()))


def _reduce_real_datetime(value):
    return (zc.async.testing.argh, value.__reduce__()[1])


def _time_machine_add(self, other):
    """zc.async's ``_datetime.__add__`` without its NotImplemented bug (so
    that ``datetime + relativedelta``, used by croniter, works)."""
    result = zc.async.testing.old_datetime.__add__(self, other)
    if result is NotImplemented:
        return result
    return zc.async.testing._datetime(*result.__reduce__()[1])


def time_machine_running():
    return datetime.datetime is not zc.async.testing.old_datetime


def start_time_machine():
    """Freeze the clock at DEFAULT_NOW for the whole process; False when
    it was already frozen (only the clock is set then).

    zc.async's time machine replaces ``datetime.datetime``; a datetime made
    with the original class (e.g. by a module that imported it earlier)
    would then no longer pickle, so it is pickled as the time machine's.
    """
    if time_machine_running():
        set_now(DEFAULT_NOW)
        return False
    zc.async.testing._datetime.__add__ = _time_machine_add
    zc.async.testing.setUpDatetime()
    copy_reg.pickle(zc.async.testing.old_datetime, _reduce_real_datetime)
    set_now(DEFAULT_NOW)
    return True


def stop_time_machine():
    copy_reg.dispatch_table.pop(zc.async.testing.old_datetime, None)
    zc.async.testing.tearDownDatetime()


testingbase.CLOCK.use(set_now, start_time_machine, stop_time_machine)
COLLECTIVE_CRON_SIMPLE = SimpleLayer(name='CollectiveCron:Simple')


def real_now():
    """The real time, whatever the time machine says."""
    return zc.async.testing.old_datetime.now(pytz.UTC)


def multi_database(base_db, name, async_db=None):
    """A main DB stacked on ``base_db`` that also opens the 'async' DB."""
    databases = {}
    if async_db is None:
        async_db = DB(DemoStorage(name=ASYNC_DB_NAME),
                      database_name=ASYNC_DB_NAME, databases=databases)
    else:
        databases[ASYNC_DB_NAME] = async_db
    storage = DemoStorage(name=name, base=base_db.storage)
    return DB(storage, database_name='main', databases=databases)


class stacked_with_async(object):
    """While active, plone.testing stacks databases that see ``async_db``."""

    def __init__(self, async_db=None):
        self.async_db = async_db

    def __enter__(self):
        self.original = zodb.stackDemoStorage
        zodb.stackDemoStorage = self.stack

    def __exit__(self, *exc_info):
        zodb.stackDemoStorage = self.original

    def stack(self, db=None, name=None):
        return multi_database(db, name, self.async_db)


def async_root(async_db):
    """Open the async database; return (connection, queues)."""
    connection = async_db.open()
    return connection, connection.root()[zc.async.interfaces.KEY]


def queue_is_idle(async_db):
    """True when no agent of any dispatcher holds a job."""
    connection, queues = async_root(async_db)
    try:
        transaction.begin()
        for queue in queues.values():
            for agents in queue.dispatchers.values():
                if any(len(agent) for agent in agents.values()):
                    return False
        return True
    finally:
        transaction.abort()
        connection.close()


def set_agent_sizes(queue, sizes):
    """Set the size of every agent of the zc.async ``queue`` (0 when
    ``sizes`` is None: the dispatchers poll but take no job, as when no
    worker runs), commit, wait until the dispatchers' thread pools follow;
    return the previous sizes (pass them back to restore them)."""
    transaction.begin()
    previous = {}
    for uuid_, agents in queue.dispatchers.items():
        for name, agent in agents.items():
            previous[(uuid_, name)] = agent.size
            agent.size = 0 if sizes is None else sizes[(uuid_, name)]
    transaction.commit()

    def followed():
        for uuid_, name in previous:
            dispatcher = zc.async.dispatcher.get(uuid_)
            pools = dispatcher.queues.get('', {}) if dispatcher else {}
            wanted = 0 if sizes is None else sizes[(uuid_, name)]
            if name in pools and pools[name].getSize() != wanted:
                return False
        return True
    wait_for(followed, 10, 'the dispatchers to follow the agent sizes')
    return previous


def wait_for_result(job, seconds=10):
    """Wait for a committed job to complete and return its result.

    The caller's transaction is renewed so the result is visible.
    """
    return testingbase.wait_for_result(job, seconds,
                                       zc.async.interfaces.COMPLETED)


def clear_queue(async_db, marks=()):
    """Remove every job and annotation from the async queues; the default
    queue keeps the site marks ``marks`` (the fixture's)."""
    connection, queues = async_root(async_db)
    try:
        transaction.begin()
        for queue in queues.values():
            for job in list(queue):
                queue.remove(job)
            for agents in queue.dispatchers.values():
                for agent in agents.values():
                    agent.completed.clear()
            if getattr(queue, '__annotations__', None) is not None:
                del queue.__annotations__
        for path in marks:
            mark_path(queues[''], path)
        transaction.commit()
    finally:
        connection.close()


def lose_jobs(layer):
    """The job store of ``layer`` (a functional layer) is lost: every job
    is gone, the committed site marks are kept."""
    clear_queue(layer['asyncDB'], fixture_marks(layer['asyncDB']))


def queue_ready(portal):
    """What a worker does when its queue is ready at Zope start (the
    marked sites are re-synchronised): plone.app.async's event, notified
    in this thread, so done when this returns."""
    notify(QueueReady(IQueue(portal).queue))


def mark_site_path(portal, path):
    """Mark ``path`` as a site using cron (commit to keep it)."""
    mark_path(IQueue(portal).queue, path)


def fixture_marks(async_db):
    """The sites marked in the default queue (read in a new connection)."""
    connection, queues = async_root(async_db)
    try:
        transaction.begin()
        return marked_paths(queues[''])
    finally:
        transaction.abort()
        connection.close()


class CollectiveCronFixture(PloneSandboxLayer):
    """Plone + collective.cron + a real zc.async queue and dispatcher."""

    defaultBases = (PLONE_FIXTURE,)

    def setUp(self):
        apply_patches()
        self.started_clock = start_time_machine()
        with stacked_with_async():
            super(CollectiveCronFixture, self).setUp()
        self['fixtureMarks'] = fixture_marks(self['asyncDB'])
        self.start_dispatcher()

    def tearDown(self):
        self.stop_dispatcher()
        transaction.abort()
        super(CollectiveCronFixture, self).tearDown()
        if self.started_clock:
            stop_time_machine()

    def setUpZope(self, app, configurationContext):
        import collective.cron
        import collective.cron.tests
        self.loadZCML('configure.zcml', package=collective.cron)
        self.loadZCML('testing.zcml', package=collective.cron.tests)
        zope_testing.installProduct(app, 'collective.cron')
        self.install_queue()

    def install_queue(self):
        """The async database and its queue exist before the site does."""
        async_db = self['zodbDB'].databases[ASYNC_DB_NAME]
        self['asyncDB'] = async_db
        component.provideUtility(async_db, IAsyncDatabase)
        zc.async.subscribers.queue_installer(DatabaseOpened(async_db))

    def setUpPloneSite(self, portal):
        applyProfile(portal, 'collective.cron:default')
        setRoles(portal, TEST_USER_ID, ['Manager'])

    def start_dispatcher(self):
        """Start a dispatcher, wait for the 'default' quota."""
        async_db = self['asyncDB']
        self['dispatcherUUID'] = uuid.uuid1()
        component.provideHandler(zc.async.subscribers.agent_installer,
                                 [zc.async.interfaces.IDispatcherActivated])
        component.provideHandler(async_subscribers.notifyQueueReady,
                                 [zc.async.interfaces.IDispatcherActivated])
        component.provideHandler(async_subscribers.configureQueue,
                                 [IQueueReady])
        zc.async.subscribers.ThreadedDispatcherInstaller(
            poll_interval=POLL_INTERVAL, uuid=self['dispatcherUUID'])(
                DatabaseOpened(async_db))
        wait_for(lambda: self.has_default_quota(async_db), 20,
                 'the zc.async dispatcher to activate')

    @staticmethod
    def has_default_quota(async_db):
        connection, queues = async_root(async_db)
        try:
            transaction.begin()
            return 'default' in queues[''].quotas
        finally:
            transaction.abort()
            connection.close()

    def stop_dispatcher(self):
        dispatcher = zc.async.dispatcher.get(self['dispatcherUUID'])
        if dispatcher is not None:
            zc.async.testing.tear_down_dispatcher(dispatcher)
            zc.async.dispatcher.pop(self['dispatcherUUID'])
        del self['asyncDB']


COLLECTIVE_CRON_FIXTURE = CollectiveCronFixture()


class CronFunctionalTesting(testingbase.CronFunctionalTesting):
    """Functional tests: own main DB per test, the fixture's async DB."""

    def setUpDatabase(self):
        with stacked_with_async(self['asyncDB']):
            super(CronFunctionalTesting, self).setUpDatabase()

    def queue_is_idle(self):
        return queue_is_idle(self['asyncDB'])

    def clear_queue(self):
        clear_queue(self['asyncDB'], self['fixtureMarks'])


#: 2.x's name of the functional layer class
FunctionalTesting = CronFunctionalTesting

(COLLECTIVE_CRON_INTEGRATION_TESTING, COLLECTIVE_CRON_FUNCTIONAL_TESTING,
 COLLECTIVE_CRON_SERVER_TESTING) = testingbase.standard_layers(
    COLLECTIVE_CRON_FIXTURE, CronFunctionalTesting, __name__)
