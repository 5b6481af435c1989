# -*- coding: utf-8 -*-
"""The worker set-up: poll interval, UUID lock, stale activation release."""
import os
import shutil
import tempfile
import unittest
import uuid

import transaction
import zc.async.interfaces
import zc.async.queue
import zc.async.subscribers
from App.config import getConfiguration
from ZODB import DB
from ZODB.MappingStorage import MappingStorage
from zope.processlifetime import DatabaseOpened

from collective.cron.zcasync import worker


class TestPollInterval(unittest.TestCase):

    def test_default_is_two_seconds(self):
        self.assertEqual(worker.poll_interval({}), 2.0)

    def test_configured_value(self):
        self.assertEqual(worker.poll_interval({'poll-interval': '0.5'}), 0.5)

    def test_bad_values_name_the_setting(self):
        for bad in ('soon', '0', '-1'):
            with self.assertRaises(ValueError) as raised:
                worker.poll_interval({'poll-interval': bad})
            self.assertIn('poll-interval', str(raised.exception))
            self.assertIn(bad, str(raised.exception))


class TestAgent(unittest.TestCase):

    def setUp(self):
        self.config = getConfiguration()
        self.saved = getattr(self.config, 'product_config', None)

    def tearDown(self):
        self.config.product_config = self.saved

    def configure(self, **settings):
        self.config.product_config = {'collective.cron': settings}

    def test_agent_size_setting(self):
        self.assertEqual(worker.agent_size({}), 20)
        self.assertEqual(worker.agent_size({'agent-size': '4'}), 4)
        for bad in ('many', '0', '2.5'):
            with self.assertRaises(ValueError) as raised:
                worker.agent_size({'agent-size': bad})
            self.assertIn('agent-size', str(raised.exception))
            self.assertIn(bad, str(raised.exception))

    def test_installer_creates_then_resizes_the_agent(self):
        queue = zc.async.queue.Queue()
        queue.dispatchers.register(uuid.uuid1())
        dispatcher = list(queue.dispatchers.values())[0]
        event = zc.async.interfaces.DispatcherActivated(dispatcher)
        self.configure(**{'agent-size': '7'})
        worker.agent_installer(event)
        agent = dispatcher['main']
        self.assertEqual(agent.size, 7)
        self.configure(**{'agent-size': '12'})
        worker.agent_installer(event)
        self.assertIs(dispatcher['main'], agent)
        self.assertEqual(agent.size, 12)


class TestUUIDLock(unittest.TestCase):

    def setUp(self):
        self.folder = tempfile.mkdtemp()
        self.path = os.path.join(self.folder, 'uuid.txt')

    def tearDown(self):
        while worker._LOCKS:
            worker._LOCKS.pop().close()
        shutil.rmtree(self.folder)

    def test_a_second_holder_is_refused(self):
        worker.lock_uuid(self.path)
        with self.assertRaises(worker.UUIDInUse) as raised:
            worker.lock_uuid(self.path)
        self.assertIn(self.path, str(raised.exception))

    def test_lock_is_free_again_once_released(self):
        worker.lock_uuid(self.path).close()
        worker._LOCKS.pop()
        self.assertTrue(worker.lock_uuid(self.path))


class TestStaleActivation(unittest.TestCase):

    def setUp(self):
        self.db = DB(MappingStorage())
        zc.async.subscribers.queue_installer(DatabaseOpened(self.db))
        self.uuid = uuid.uuid1()

    def tearDown(self):
        transaction.abort()
        self.db.close()

    def agents(self, connection):
        queue = connection.root()[zc.async.interfaces.KEY]['']
        return queue.dispatchers[self.uuid]

    def activate_as_a_dead_process_would(self):
        connection = self.db.open()
        queue = connection.root()[zc.async.interfaces.KEY]['']
        queue.dispatchers.register(self.uuid)
        queue.dispatchers[self.uuid].activate()
        transaction.commit()
        connection.close()

    def test_release_deactivates_our_uuid(self):
        self.activate_as_a_dead_process_would()
        self.assertEqual(worker.release_stale_activation(self.db, self.uuid),
                         [''])
        connection = self.db.open()
        self.assertFalse(self.agents(connection).activated)
        connection.close()

    def test_nothing_to_release(self):
        self.assertEqual(worker.release_stale_activation(self.db, self.uuid),
                         [])
        other = uuid.uuid1()
        self.activate_as_a_dead_process_would()
        self.assertEqual(worker.release_stale_activation(self.db, other), [])
