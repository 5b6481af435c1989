# -*- coding: utf-8 -*-
"""The stack works: plone.app.async jobs run in the test layer, on time."""
import datetime
import unittest

import transaction
import zc.async.interfaces
from plone.app.async.interfaces import IAsyncService
from zope.component import getUtility

from collective.cron import testing


def write_marker(context, value):
    context.cron_smoke_marker = value
    return value


class TestStack(unittest.TestCase):

    layer = testing.COLLECTIVE_CRON_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer['portal']

    def test_job_runs_and_result_is_observed(self):
        job = getUtility(IAsyncService).queueJob(
            write_marker, self.portal, u'ran')
        transaction.commit()
        self.assertEqual(testing.wait_for_result(job), u'ran')
        self.assertEqual(self.portal.cron_smoke_marker, u'ran')

    def test_future_job_waits_for_the_clock(self):
        begin = testing.DEFAULT_NOW + datetime.timedelta(hours=1)
        job = getUtility(IAsyncService).queueJobWithDelay(
            None, begin, write_marker, self.portal, u'later')
        transaction.commit()
        testing.wait_for(lambda: testing.queue_is_idle(self.layer['asyncDB']))
        # several polls of the dispatcher go by: the job is not due yet.
        # zc.async keeps the last 400 polls, keyed by the (frozen) clock:
        # once 400 are kept, a new poll is dropped at once. The history is
        # cleared so that the next polls are counted, however long the
        # layer has run.
        polls = self.dispatcher().polls
        polls.clear()
        testing.wait_for(lambda: len(polls) >= 3, 10, 'three polls')
        transaction.begin()
        self.assertEqual(job.status, zc.async.interfaces.PENDING)
        testing.set_now(begin + datetime.timedelta(seconds=1))
        self.assertEqual(testing.wait_for_result(job), u'later')

    def dispatcher(self):
        import zc.async.dispatcher
        return zc.async.dispatcher.get(self.layer['dispatcherUUID'])
