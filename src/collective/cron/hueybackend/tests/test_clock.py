# -*- coding: utf-8 -*-
"""The faked clock of the tests: every thread sees it, Huey's time follows
it, and datetimes of either class pickle while it is installed."""
import datetime
import pickle
import threading
import unittest

import pytz
from huey.utils import normalize_time
from huey.utils import utcnow
from zodbpickle import pickle as zodb_pickle

from collective.cron.hueybackend import clock


class TestClock(unittest.TestCase):

    def setUp(self):
        self.installed_here = clock.install()
        self.saved = clock._frozen[0]
        clock.set_now(datetime.datetime(2008, 1, 1, 0, 5, tzinfo=pytz.UTC))

    def tearDown(self):
        clock._frozen[0] = self.saved
        if self.installed_here:
            clock.uninstall()

    def test_frozen_for_every_thread(self):
        seen = []
        thread = threading.Thread(
            target=lambda: seen.append(datetime.datetime.now(pytz.UTC)))
        thread.start()
        thread.join()
        self.assertEqual(seen, [datetime.datetime(2008, 1, 1, 0, 5,
                                                  tzinfo=pytz.UTC)])
        self.assertEqual(datetime.datetime.utcnow(),
                         datetime.datetime(2008, 1, 1, 0, 5))
        paris = datetime.datetime.now(pytz.timezone('Europe/Paris'))
        self.assertEqual((paris.hour, paris.minute), (1, 5))

    def test_naive_now_is_local_time(self):
        local = datetime.datetime.now()
        stamp = clock.REAL(2008, 1, 1, 0, 5,
                           tzinfo=datetime.timezone.utc).timestamp()
        self.assertEqual(local, clock.REAL.fromtimestamp(stamp))

    def test_set_now_moves_it(self):
        clock.set_now(datetime.datetime(2009, 6, 1, 12, 0, tzinfo=pytz.UTC))
        self.assertEqual(datetime.datetime.now(pytz.UTC),
                         datetime.datetime(2009, 6, 1, 12, 0,
                                           tzinfo=pytz.UTC))
        with self.assertRaises(ValueError):
            clock.set_now(datetime.datetime(2009, 6, 1))

    def test_huey_reads_it(self):
        self.assertEqual(utcnow(), datetime.datetime(2008, 1, 1, 0, 5))
        eta = normalize_time(delay=60)
        self.assertEqual(eta, datetime.datetime(2008, 1, 1, 0, 6))

    def test_real_datetimes_are_datetimes(self):
        real = clock.REAL(2020, 2, 3, 4, 5)
        self.assertIsInstance(real, datetime.datetime)
        self.assertTrue(issubclass(clock.REAL, datetime.datetime))

    def test_both_classes_pickle(self):
        values = [clock.REAL(2020, 2, 3, 4, 5, tzinfo=pytz.UTC),
                  datetime.datetime.now(pytz.UTC)]
        for dumps, loads in ((pickle.dumps, pickle.loads),
                             (zodb_pickle.dumps, zodb_pickle.loads)):
            self.assertEqual([loads(dumps(value)) for value in values],
                             values)

    def test_the_real_clock_comes_back(self):
        if not self.installed_here:
            return self.assertTrue(clock.installed())
        stored = pickle.dumps(datetime.datetime.now(pytz.UTC))
        clock.uninstall()
        try:
            self.assertIs(datetime.datetime, clock.REAL)
            self.assertGreater(datetime.datetime.now().year, 2020)
            loaded = pickle.loads(stored)
            self.assertIs(type(loaded), clock.REAL)
        finally:
            clock.install()
