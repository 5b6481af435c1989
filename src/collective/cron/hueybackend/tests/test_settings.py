# -*- coding: utf-8 -*-
"""The Huey backend's settings: zope.conf first, then the environment,
then the defaults; bad values name the key and the value."""
import os
import tempfile
import unittest

from huey import RedisHuey
from huey import SqliteHuey

from collective.cron.hueybackend import settings
from collective.cron.hueybackend.store import make_huey


class TestSettings(unittest.TestCase):

    def setUp(self):
        self.saved = dict((name, os.environ.pop(name, None))
                          for name in settings.ENVIRONMENT.values())

    def tearDown(self):
        for name, value in self.saved.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value

    def test_defaults(self):
        self.assertEqual(settings.storage({}), 'sqlite')
        self.assertEqual(os.path.basename(settings.huey_file({})),
                         'cron-huey.db')
        self.assertEqual(settings.redis_url({}), 'redis://localhost:6379/0')
        self.assertTrue(settings.worker({}))
        self.assertEqual(settings.workers({}), 4)
        self.assertEqual(settings.dead_after({}), 300)

    def test_the_environment_when_zope_conf_says_nothing(self):
        os.environ['COLLECTIVE_CRON_HUEY_STORAGE'] = 'Redis'
        os.environ['COLLECTIVE_CRON_REDIS_URL'] = 'redis://cache:6380/2'
        os.environ['COLLECTIVE_CRON_WORKER'] = 'off'
        os.environ['COLLECTIVE_CRON_HUEY_WORKERS'] = '7'
        os.environ['COLLECTIVE_CRON_WORKER_DEAD_AFTER'] = '120'
        self.assertEqual(settings.storage({}), 'redis')
        self.assertEqual(settings.redis_url({}), 'redis://cache:6380/2')
        self.assertFalse(settings.worker({}))
        self.assertEqual(settings.workers({}), 7)
        self.assertEqual(settings.dead_after({}), 120)
        self.assertEqual(settings.dead_after({'worker-dead-after': '60'}),
                         60)

    def test_zope_conf_first(self):
        os.environ['COLLECTIVE_CRON_WORKER'] = 'off'
        os.environ['COLLECTIVE_CRON_HUEY_FILE'] = '/nowhere/at/all.db'
        folder = tempfile.mkdtemp()
        path = os.path.join(folder, 'tasks.db')
        config = {'worker': 'on', 'huey-file': path}
        self.assertTrue(settings.worker(config))
        self.assertEqual(settings.huey_file(config), path)

    def test_bad_values_name_the_key_and_the_value(self):
        cases = [
            (settings.storage, {'huey-storage': 'mysql'}, 'huey-storage',
             "'mysql'"),
            (settings.worker, {'worker': 'maybe'}, 'worker', "'maybe'"),
            (settings.workers, {'huey-workers': 'two'}, 'huey-workers',
             "'two'"),
            (settings.workers, {'huey-workers': '0'}, 'huey-workers', "'0'"),
            (settings.redis_url, {'redis-url': 'localhost:6379'},
             'redis-url', "'localhost:6379'"),
            (settings.huey_file, {'huey-file': '/no/such/dir/x.db'},
             'huey-file', "'/no/such/dir/x.db'"),
            (settings.dead_after, {'worker-dead-after': '5m'},
             'worker-dead-after', "'5m'"),
            (settings.dead_after, {'worker-dead-after': '9'},
             'worker-dead-after', "'9'"),
        ]
        for read, config, key, value in cases:
            with self.assertRaises(ValueError) as raised:
                read(config)
            self.assertIn(key, str(raised.exception))
            self.assertIn(value, str(raised.exception))

    def test_the_store_follows_the_settings(self):
        folder = tempfile.mkdtemp()
        path = os.path.join(folder, 'tasks.db')
        sqlite = make_huey({'huey-file': path})
        self.assertIsInstance(sqlite, SqliteHuey)
        self.assertEqual(sqlite.storage.filename, path)
        self.assertFalse(sqlite.results)
        redis = make_huey({'huey-storage': 'redis',
                           'redis-url': 'redis://cache:6380/2'})
        self.assertIsInstance(redis, RedisHuey)
        self.assertEqual(
            redis.storage.pool.connection_kwargs['host'], 'cache')
        self.assertEqual(redis.storage.pool.connection_kwargs['db'], 2)

    def test_a_bad_bound_says_what_it_must_be(self):
        os.environ['COLLECTIVE_CRON_WORKER_DEAD_AFTER'] = 'soon'
        with self.assertRaises(ValueError) as raised:
            settings.dead_after({})
        self.assertEqual(
            str(raised.exception),
            "collective.cron worker-dead-after "
            "(COLLECTIVE_CRON_WORKER_DEAD_AFTER): not a whole number of "
            "seconds: 'soon'")
        with self.assertRaises(ValueError) as raised:
            settings.dead_after({'worker-dead-after': '-1'})
        self.assertIn('must be >= 10 (seconds)', str(raised.exception))
