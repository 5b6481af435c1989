# -*- coding: utf-8 -*-
"""2.x's clock scaffolding of collective.cron.testing (testingbase), driven
on the backend's fake clock: Timed, setUpDatetime / tearDownDatetime and
COLLECTIVE_CRON_SIMPLE; and Browser.new's Authorization header."""
import base64
import datetime
import unittest

from collective.cron import testing
from collective.cron import testingbase


def local(*args):
    """A naive local time (2.x's clock speaks local time)."""
    return datetime.datetime(*args)


class TestTimedLayer(unittest.TestCase):

    def test_timed_layer_moves_the_backend_clock(self):
        timed = testing.Timed(name='TestTimed')
        timed.setUp()
        try:
            self.assertEqual(datetime.datetime.now(),
                             local(2012, 10, 9, 12, 0))
            timed.testSetUp()
            self.assertEqual(datetime.datetime.now(), local(2008, 1, 1, 1, 0))
        finally:
            timed.tearDown()

    def test_nested_setup_keeps_the_clock_until_the_outer_teardown(self):
        started = not testing.time_machine_running()
        testing.setUpDatetime()
        try:
            testing.setUpDatetime()
            testing.tearDownDatetime()
            self.assertTrue(testing.time_machine_running())
            self.assertEqual(datetime.datetime.now(),
                             local(2012, 10, 9, 12, 0))
        finally:
            testing.tearDownDatetime()
        self.assertEqual(testing.time_machine_running(), not started)

    def test_simple_layer_is_on_the_timed_layer(self):
        bases = testing.COLLECTIVE_CRON_SIMPLE.__bases__
        self.assertEqual(len(bases), 1)
        self.assertIsInstance(bases[0], testing.Timed)


class TestBasicAuthorization(unittest.TestCase):

    def test_header_value(self):
        value = testingbase.basic_authorization('admin', 'secret')
        self.assertIsInstance(value, str)
        scheme, token = value.split(' ')
        self.assertEqual(scheme, 'Basic')
        self.assertEqual(base64.b64decode(token), b'admin:secret')
