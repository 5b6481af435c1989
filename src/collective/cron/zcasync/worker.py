# -*- coding: utf-8 -*-
"""The zc.async worker set-up of a Zope process (``worker.zcml``).

It does what plone.app.async's ``multi_db_worker.zcml`` does, plus:

- the dispatcher's poll interval is configurable (``poll-interval`` in the
  ``<product-config collective.cron>`` section of zope.conf; default 2 s);
- the process locks its ``ZC_ASYNC_UUID`` file, so two processes never run
  one dispatcher identity; holding that lock proves that an activation left
  in the queue under our UUID belongs to a dead incarnation of this very
  process (kill -9, unclean stop), so it is deactivated at once instead of
  blocking the new dispatcher until zc.async judges it dead (5 minutes).
  Deactivating puts the jobs the dead process held back in the queue.
"""
import fcntl
import logging
import os
import signal

import transaction
import zc.async.agent
import zc.async.instanceuuid
import zc.async.interfaces
import zc.async.subscribers
from App.config import getConfiguration
from Signals.SignalHandler import SignalHandler
from plone.app.async.config import InitMultiDBInstance
from plone.app.async.interfaces import IAsyncDatabase
from zope.component import getUtility
from zope.processlifetime import DatabaseOpened

from collective.cron.zcasync.compat import apply_patches

logger = logging.getLogger('collective.cron')
DEFAULT_POLL_INTERVAL = 2.0
DEFAULT_AGENT_SIZE = 20
_LOCKS = []


class UUIDInUse(RuntimeError):
    """Another live process holds this dispatcher UUID."""


def product_config():
    config = getattr(getConfiguration(), 'product_config', None) or {}
    return config.get('collective.cron') or {}


def setting(config, key, default, convert, minimum):
    """A number from product-config ``collective.cron``; a clear error
    naming the key and the value when it is not a number >= minimum."""
    config = product_config() if config is None else config
    value = config.get(key, default)
    try:
        number = convert(value)
    except (TypeError, ValueError):
        raise ValueError('collective.cron %s: not a number: %r' % (key, value))
    if number < minimum:
        raise ValueError('collective.cron %s: must be >= %s: %r'
                         % (key, minimum, value))
    return number


def poll_interval(config=None):
    """Seconds between two polls of the queue by the dispatcher."""
    return setting(config, 'poll-interval', DEFAULT_POLL_INTERVAL, float,
                   0.01)


def agent_size(config=None):
    """How many jobs this worker runs at once."""
    return setting(config, 'agent-size', DEFAULT_AGENT_SIZE, int, 1)


class AgentInstaller(object):
    """Installs (or resizes) the worker's agent when its dispatcher
    activates: zc.async's own installer keeps a size of 3 forever, so 20
    crons due in the same minute would start 3 per poll."""

    name = 'main'

    def __call__(self, event):
        dispatcher = event.object
        size = agent_size()
        agent = dispatcher.get(self.name)
        if agent is None:
            dispatcher[self.name] = zc.async.agent.Agent(size=size)
        elif agent.size != size:
            agent.size = size
        logger.info('zc.async agent %r runs up to %s jobs at once',
                    self.name, size)


agent_installer = AgentInstaller()


def uuid_path():
    return os.environ.get('ZC_ASYNC_UUID') or os.path.join(
        os.getcwd(), 'uuid.txt')


def lock_uuid(path):
    """Hold an exclusive lock on ``path + '.lock'`` for the process life."""
    handle = open(path + '.lock', 'a')
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except IOError:
        handle.close()
        raise UUIDInUse(
            'zc.async dispatcher UUID file %s is used by another running '
            'process: give each Zope process its own ZC_ASYNC_UUID' % path)
    _LOCKS.append(handle)
    return handle


def release_stale_activation(db, uuid):
    """Deactivate ``uuid`` in every queue where it is still activated.

    Only call this while holding the UUID's lock. Returns the queue names.
    """
    manager = transaction.TransactionManager()
    connection = db.open(transaction_manager=manager)
    released = []
    try:
        manager.begin()
        queues = connection.root().get(zc.async.interfaces.KEY) or {}
        for name, queue in queues.items():
            agents = queue.dispatchers.get(uuid)
            if agents is not None and agents.activated:
                agents.deactivate()
                released.append(name)
        manager.commit()
    finally:
        manager.abort()
        connection.close()
    for name in released:
        logger.warning('released the activation a previous run of this '
                       'process (dispatcher %s) left in queue %r', uuid, name)
    return released


def exit_on_signal():
    """A handler for Zope's Signals registry: leave the process.

    Importing plone.app.async registers Zope's Signals handlers for SIGINT
    and SIGTERM, which log the signal and carry on: without this, Ctrl-C
    does not stop a WSGI process. In a worker, zc.async's own handler has
    already stopped the dispatcher (deactivating it in the queue) before the
    signal reaches the registry.
    """
    logger.info('stopping on signal')
    raise SystemExit(0)


class CronInstance(InitMultiDBInstance):
    """plone.app.async IInitAsync utility: this process only queues jobs."""

    stop_signals = (signal.SIGINT, signal.SIGTERM)

    def init(self):
        apply_patches()
        super(CronInstance, self).init()
        for signum in self.stop_signals:
            SignalHandler.registerHandler(signum, exit_on_signal)


class CronWorker(CronInstance):
    """plone.app.async IInitAsync utility: this process runs jobs."""

    stop_signals = (signal.SIGINT,)

    def init(self):
        super(CronWorker, self).init()
        db = getUtility(IAsyncDatabase)
        uuid = zc.async.instanceuuid.UUID
        lock_uuid(uuid_path())
        event = DatabaseOpened(db)
        zc.async.subscribers.queue_installer(event)
        release_stale_activation(db, uuid)
        interval = poll_interval()
        zc.async.subscribers.ThreadedDispatcherInstaller(
            poll_interval=interval)(event)
        logger.info('zc.async dispatcher %s started (poll interval %ss)',
                    uuid, interval)
