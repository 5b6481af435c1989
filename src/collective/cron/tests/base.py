# -*- coding: utf-8 -*-
"""Helpers for tests that run cron jobs through the real queue."""
import datetime
import unittest

import pytz
import transaction
from zope.component import getMultiAdapter

from collective.cron.crontab import Cron
from collective.cron.crontab import Crontab
from collective.cron.interfaces import ICronManager
from collective.cron.interfaces import IQueue
from collective.cron.testing import COLLECTIVE_CRON_FUNCTIONAL_TESTING
from collective.cron.testing import wait_for
from collective.cron.tests import runners


def utc(*args):
    return datetime.datetime(*args, tzinfo=pytz.UTC)


class QueueTestCase(unittest.TestCase):
    """A site, its crontab and its queue; jobs really run."""

    layer = COLLECTIVE_CRON_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer['portal']
        runners.clear()

    @property
    def queue(self):
        return IQueue(self.portal)

    def add(self, name=runners.RECORD, periodicity=u'*/5 * * * *',
            activated=True, **kwargs):
        """Add and save an activated cron, commit; return its uid."""
        crontab = Crontab.load()
        cron = Cron(name=name, periodicity=periodicity, activated=activated,
                    crontab=crontab, **kwargs)
        crontab.save()
        transaction.commit()
        return cron.uid

    def cron(self, uid):
        """The cron as last committed (None if deleted)."""
        transaction.begin()
        return Crontab.load().crons.get(uid)

    def change(self, uid, **settings):
        cron = self.cron(uid)
        for key, value in settings.items():
            setattr(cron, key, value)
        cron.save()
        transaction.commit()
        return cron

    def force(self, uid):
        cron = self.cron(uid)
        getMultiAdapter((self.portal, cron), ICronManager).register_job(
            force=True)
        transaction.commit()

    def wait_logs(self, uid, count, seconds=15):
        try:
            wait_for(lambda: len(self.cron(uid).logs) >= count, seconds,
                     '%s logs of cron %s' % (count, uid))
        except AssertionError as exc:
            raise AssertionError('%s; its job: %s'
                                 % (exc, self.job_state(uid)))
        return self.cron(uid).logs

    def job_state(self, uid):
        """The state of the cron's job (IQueue.state), for messages."""
        transaction.begin()
        job = self.queue.cron_job(uid)
        if job is None:
            return 'none'
        return '%s begins %s: %r' % (self.queue.state(uid) + (job,))

    def wait_queued_after(self, uid, begins, seconds=15):
        """Wait until the cron's pending job begins at ``begins``."""
        def queued():
            transaction.begin()
            return self.queue.begins(uid) == begins
        wait_for(queued, seconds, 'cron %s queued at %s' % (uid, begins))

    def pending_jobs(self):
        """The jobs waiting in the queue (IQueue.jobs)."""
        transaction.begin()
        return list(self.queue.jobs)
