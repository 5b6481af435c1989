# -*- coding: utf-8 -*-
"""The test fixture's site over FileStorages, with a dispatcher of its own.

Used by the storage-growth benchmark (P6): file sizes after a pack are the
honest measure. The main database is a DemoStorage whose changes go to a
FileStorage (its base is the test fixture, in memory); the async database
is a plain FileStorage. While started, ``Zope2.app()`` (hence every job)
opens these databases, and IAsyncDatabase is the new async database.
"""
import os
import shutil
import tempfile
import time
import uuid

import transaction
import zc.async.dispatcher
import zc.async.subscribers
import zc.async.testing
from plone.app.async.interfaces import IAsyncDatabase
from plone.testing.zope import addRequestContainer
from ZODB import DB
from ZODB.DemoStorage import DemoStorage
from ZODB.FileStorage import FileStorage
from ZODB.serialize import referencesf
from zope.component import getUtility
from zope.component import provideUtility
from zope.component.hooks import setSite
from zope.processlifetime import DatabaseOpened

from collective.cron.testing import ASYNC_DB_NAME
from collective.cron.testing import CollectiveCronFixture
from collective.cron.testing import queue_is_idle
from collective.cron.testing import wait_for


class FileStorageSite(object):
    """Start / stop the FileStorage databases, their dispatcher, the site."""

    def __init__(self, layer, poll_interval=0.05, site_id='plone'):
        self.layer = layer
        self.poll_interval = poll_interval
        self.site_id = site_id
        self.folder = None
        self.portal = None

    def path(self, name):
        return os.path.join(self.folder, name)

    def start(self):
        self.folder = tempfile.mkdtemp(prefix='cronbench-')
        databases = {}
        self.async_db = DB(FileStorage(self.path('async.fs')),
                           database_name=ASYNC_DB_NAME, databases=databases)
        self.changes = FileStorage(self.path('main.fs'))
        storage = DemoStorage(name='cronbench',
                              base=self.layer['zodbDB'].storage,
                              changes=self.changes)
        self.main_db = DB(storage, database_name='main', databases=databases)
        self.previous = (self.layer['zodbDB'], getUtility(IAsyncDatabase))
        self.layer['zodbDB'] = self.main_db
        provideUtility(self.async_db, IAsyncDatabase)
        self.start_dispatcher()
        self.open_site()
        return self.portal

    def start_dispatcher(self):
        event = DatabaseOpened(self.async_db)
        zc.async.subscribers.queue_installer(event)
        self.uuid = uuid.uuid1()
        zc.async.subscribers.ThreadedDispatcherInstaller(
            poll_interval=self.poll_interval, uuid=self.uuid)(event)
        wait_for(lambda: CollectiveCronFixture.has_default_quota(
            self.async_db), 20, 'the benchmark dispatcher to activate')

    def open_site(self):
        transaction.abort()
        self.connection = self.main_db.open()
        app = addRequestContainer(self.connection.root()['Application'])
        self.portal = app[self.site_id]
        setSite(self.portal)

    def idle(self, seconds=60):
        wait_for(lambda: queue_is_idle(self.async_db), seconds,
                 'the benchmark queue to be idle')

    def packed_sizes(self):
        """(main, async) bytes after packing both FileStorages now.

        The main database's changes are packed without garbage collection
        (their references lead into the base storage).
        """
        transaction.abort()
        self.idle()
        moment = time.time()
        self.changes.pack(moment, referencesf, gc=False)
        self.async_db.pack(moment)
        return (os.path.getsize(self.path('main.fs')),
                os.path.getsize(self.path('async.fs')))

    def stop(self):
        transaction.abort()
        self.stop_dispatcher()
        if self.portal is not None:
            self.connection.close()
        previous_db, previous_async = self.previous
        self.layer['zodbDB'] = previous_db
        provideUtility(previous_async, IAsyncDatabase)
        setSite(self.layer['portal'])
        self.main_db.close()
        self.async_db.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def stop_dispatcher(self):
        dispatcher = zc.async.dispatcher.get(self.uuid)
        if dispatcher is not None:
            zc.async.testing.tear_down_dispatcher(dispatcher)
            zc.async.dispatcher.pop(self.uuid)
