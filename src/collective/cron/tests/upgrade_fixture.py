# -*- coding: utf-8 -*-
"""A test layer on the database of a site that ran collective.cron 2.7.

``data/cron27-site`` holds the two FileStorages of that site (``Data.fs``
mounted at ``/``, ``async.fs`` the zc.async database), gzipped, and the
``MANIFEST.json`` that lists what they contain. The layer unpacks them once
into a temporary directory and opens them read-only; every test gets its
own pair of DemoStorages over them, so a test may commit and the next one
starts again from the site as 2.7 left it. Nothing outside the temporary
directory is written.

The clock is zc.async's time machine (``collective.cron.testing.set_now``),
frozen at ``FIXTURE_NOW``: after the fixture was written and before any job
that 2.7 queued is due. A test that wants jobs to run starts a dispatcher
with ``start_dispatcher()`` (the fixture's own dispatcher is deactivated).
"""
import datetime
import gzip
import hashlib
import io
import json
import os
from zodbpickle import pickletools_2 as pickletools
import shutil
import tempfile
import uuid

import pytz
import transaction
import zc.async.dispatcher
import zc.async.interfaces
import zc.async.subscribers
import zc.async.testing
import Zope2
from plone.app.async.interfaces import IAsyncDatabase
from plone.app.testing import PLONE_FIXTURE
from plone.testing import Layer
from plone.testing import zca
from plone.testing.zope import addRequestContainer
from Products.CMFCore.interfaces import ISiteRoot
from ZODB import DB
from ZODB.DemoStorage import DemoStorage
from ZODB.FileStorage import FileStorage
from ZODB._compat import PersistentUnpickler
from ZODB.utils import z64
from zope import component
from zope.component.hooks import setSite
from zope.configuration import xmlconfig
from zope.globalrequest import setRequest
from zope.processlifetime import DatabaseOpened

from collective.cron.interfaces import ICron
from collective.cron.interfaces import IJobRunner
from collective.cron.testing import POLL_INTERVAL
from collective.cron.testing import apply_patches
from collective.cron.testing import async_root
from collective.cron.testing import queue_is_idle
from collective.cron.testing import set_now
from collective.cron.testing import start_time_machine
from collective.cron.testing import stop_time_machine
from collective.cron.testing import wait_for
from collective.cron.tests import runners

DATA = os.path.join(os.path.dirname(__file__), 'data', 'cron27-site')
STORAGES = (('main', 'Data.fs'), ('async', 'async.fs'))
SITE_ID = 'Plone'
#: the every-minute cron of the fixture; the layer gives it a runner
EVERY_MINUTE = u'portal_catalog/getId'
#: after the fixture was written (06:18:03 UTC), before its next job (06:19)
FIXTURE_NOW = datetime.datetime(2026, 11, 24, 6, 18, 30, tzinfo=pytz.UTC)


def manifest():
    """MANIFEST.json of the fixture: the facts tests compare with."""
    with open(os.path.join(DATA, 'MANIFEST.json')) as handle:
        return json.load(handle)


def unpack(directory):
    """Gunzip the storages into ``directory``; check them against the
    manifest's checksums. Returns name -> path."""
    expected = manifest()['files']
    paths = {}
    for name, filename in STORAGES:
        path = paths[name] = os.path.join(directory, filename)
        digest = hashlib.sha256()
        source = gzip.open(os.path.join(DATA, filename + '.gz'), 'rb')
        with open(path, 'wb') as target:
            for chunk in iter(lambda: source.read(1 << 16), ''):
                digest.update(chunk)
                target.write(chunk)
        source.close()
        if digest.hexdigest() != expected[filename]['sha256']:
            raise AssertionError('%s does not match MANIFEST.json' % filename)
    return paths


def open_databases(storages):
    """The 'main' and 'async' databases, each a DemoStorage over the
    fixture's read-only FileStorage; returns (main, async)."""
    databases = {}
    for name, base in storages.items():
        demo = DemoStorage(name='cron27-%s' % name, base=base,
                           close_base_on_close=False)
        DB(demo, database_name=name, databases=databases)
    return databases['main'], databases['async']


def pickle_globals(data):
    """The 'module name' globals a database record refers to (a record is
    two pickles: its class, then its state)."""
    stream = io.BytesIO(data)
    names = set()
    while stream.tell() < len(data):
        for opcode, argument, _ in pickletools.genops(stream):
            if opcode.name == 'GLOBAL':
                names.add(argument)
    return names


def references(data):
    """(database name or None, oid) of each strong reference a record
    makes, references to other databases included (``get_refs`` of ZODB
    leaves those out)."""
    refs = []
    unpickler = PersistentUnpickler(None, refs.append, io.BytesIO(data))
    unpickler.noload()
    unpickler.noload()
    for ref in refs:
        if isinstance(ref, tuple):
            yield None, ref[0]
        elif isinstance(ref, str):
            yield None, ref
        elif ref[0] in ('m', 'n'):
            yield ref[1][0], ref[1][1]


def reachable_records(db):
    """(database name, oid) -> data of every record reachable from the
    roots of ``db`` and of the databases it knows, as last committed."""
    databases = db.databases
    records = {}
    todo = [(name, z64) for name in databases]
    while todo:
        name, oid = todo.pop()
        if (name, oid) in records:
            continue
        data = records[name, oid] = databases[name].storage.load(oid, '')[0]
        for database, ref in references(data):
            todo.append((database or name, ref))
    return records


def reachable_globals(db):
    """'module name' -> how many reachable records (see
    ``reachable_records``) refer to it; only the names of collective.cron
    and of ``ordereddict`` are counted."""
    counts = {}
    for data in reachable_records(db).values():
        if 'collective.cron' not in data and 'ordereddict' not in data:
            continue
        for name in pickle_globals(data):
            if name.startswith(('collective.cron', 'ordereddict')):
                counts[name] = counts.get(name, 0) + 1
    return counts


def agent_ready(async_db, dispatcher_uuid):
    """True when the dispatcher is active with its 'main' agent."""
    connection, queues = async_root(async_db)
    try:
        transaction.begin()
        agents = queues[''].dispatchers.get(dispatcher_uuid)
        return agents is not None and agents.activated and 'main' in agents
    finally:
        transaction.abort()
        connection.close()


class Cron27SiteLayer(Layer):
    """Plone with collective.cron 3 on the database collective.cron 2.7
    wrote; resources ``app``, ``portal``, ``request``, ``zodbDB`` and
    ``asyncDB`` per test."""

    defaultBases = (PLONE_FIXTURE,)

    def setUp(self):
        apply_patches()
        start_time_machine()
        self.directory = tempfile.mkdtemp(prefix='cron27-site-')
        self.storages = dict(
            (name, FileStorage(path, read_only=True))
            for name, path in unpack(self.directory).items())
        self['configurationContext'] = zca.stackConfigurationContext(
            self.get('configurationContext'), name='Cron27Site')
        zca.pushGlobalRegistry()
        self.load_zcml(self['configurationContext'])

    def tearDown(self):
        zca.popGlobalRegistry()
        del self['configurationContext']
        for storage in self.storages.values():
            storage.close()
        shutil.rmtree(self.directory)
        stop_time_machine()

    @staticmethod
    def load_zcml(context):
        import collective.cron
        import collective.cron.tests
        xmlconfig.file('configure.zcml', collective.cron, context=context)
        xmlconfig.file('testing.zcml', collective.cron.tests, context=context)
        component.provideAdapter(
            runners.RecordingRunner,
            (ISiteRoot, ICron), IJobRunner,
            name=EVERY_MINUTE)

    def testSetUp(self):
        set_now(FIXTURE_NOW)
        runners.clear()
        zca.pushGlobalRegistry()
        self['zodbDB'], self['asyncDB'] = open_databases(self.storages)
        component.provideUtility(self['asyncDB'], IAsyncDatabase)
        self.open_app()

    def open_app(self):
        environ = {'SERVER_NAME': self['host'],
                   'SERVER_PORT': str(self['port'])}
        app = addRequestContainer(Zope2.app(), environ=environ)
        request = app.REQUEST
        request['PARENTS'] = [app]
        setRequest(request)
        transaction.begin()
        self['app'] = app
        self['request'] = request
        self['portal'] = app[SITE_ID]
        setSite(self['portal'])

    def testTearDown(self):
        transaction.abort()
        self.stop_dispatcher()
        setSite(None)
        setRequest(None)
        app = self['app']
        app.REQUEST.close()
        app._p_jar.close()
        for key in ('app', 'request', 'portal'):
            del self[key]
        self['zodbDB'].close()
        self['asyncDB'].close()
        del self['zodbDB']
        del self['asyncDB']
        zca.popGlobalRegistry()

    def start_dispatcher(self):
        """Start a zc.async dispatcher on this test's async database; wait
        until its agent polls the queue."""
        async_db = self['asyncDB']
        dispatcher_uuid = self['cron27DispatcherUUID'] = uuid.uuid1()
        component.provideHandler(zc.async.subscribers.agent_installer,
                                 [zc.async.interfaces.IDispatcherActivated])
        zc.async.subscribers.ThreadedDispatcherInstaller(
            poll_interval=POLL_INTERVAL, uuid=dispatcher_uuid)(
                DatabaseOpened(async_db))
        wait_for(lambda: agent_ready(async_db, dispatcher_uuid), 20,
                 'the zc.async dispatcher to activate')

    def stop_dispatcher(self):
        if 'cron27DispatcherUUID' not in self:
            return
        dispatcher_uuid = self['cron27DispatcherUUID']
        del self['cron27DispatcherUUID']
        wait_for(lambda: queue_is_idle(self['asyncDB']), 30,
                 'running jobs to finish')
        dispatcher = zc.async.dispatcher.get(dispatcher_uuid)
        if dispatcher is not None:
            zc.async.testing.tear_down_dispatcher(dispatcher)
            zc.async.dispatcher.pop(dispatcher_uuid)


CRON27_SITE_FIXTURE = Cron27SiteLayer(name='CollectiveCron:Cron27Site')
