# -*- coding: utf-8 -*-
"""Regression tests of the zc.async fixes in collective.cron.compat.

Each test fails when its fix is removed from compat.apply_patches.
"""
import cPickle
import unittest

import transaction
import zc.async.interfaces
import zc.twist
import Zope2
from plone.app.async.interfaces import IAsyncService
from zope.component import getUtility

from collective.cron import testing


def fail(context):
    raise TypeError('this job fails on purpose')


def succeed(context, value):
    return value


def make_failure():
    try:
        fail(None)
    except TypeError:
        return zc.twist.Failure()


class TestFailurePickling(unittest.TestCase):

    def test_failure_survives_a_pickle_round_trip(self):
        testing.apply_patches()
        failure = cPickle.loads(cPickle.dumps(make_failure(), 2))
        self.assertTrue(isinstance(failure, zc.twist.Failure))
        self.assertTrue(failure.check(TypeError))
        self.assertIn('this job fails on purpose', failure.getErrorMessage())


class TestJobsOnThisStack(unittest.TestCase):

    layer = testing.COLLECTIVE_CRON_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer['portal']
        self.service = getUtility(IAsyncService)

    def test_zpublisher_transactions_manager_is_set(self):
        self.assertIs(Zope2.zpublisher_transactions_manager,
                      transaction.manager)

    def test_a_job_through_plone_app_async_completes(self):
        job = self.service.queueJob(succeed, self.portal, u'done')
        transaction.commit()
        self.assertEqual(testing.wait_for_result(job), u'done')

    def test_failed_job_is_readable_and_does_not_block_the_queue(self):
        failing = self.service.queueJob(fail, self.portal)
        transaction.commit()
        testing.wait_for_result(failing)
        self.assertTrue(self.stored_result(failing).check(TypeError))
        after = self.service.queueJob(succeed, self.portal, u'next')
        transaction.commit()
        self.assertEqual(testing.wait_for_result(after), u'next')

    def stored_result(self, job):
        """The job's result as loaded from the database by a new connection."""
        connection = self.layer['asyncDB'].open(
            transaction_manager=transaction.TransactionManager())
        try:
            return connection.get(job._p_oid).result
        finally:
            connection.close()
