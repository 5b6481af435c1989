# -*- coding: utf-8 -*-
"""Restart recovery: marked sites get their lost jobs back (on each
backend, through IQueue and the testing helpers)."""
import logging

import transaction
from Products.CMFPlone.factory import addPloneSite
from zope.component import getUtility
from zope.component.hooks import setSite

from collective.cron.crontab import Cron
from collective.cron.crontab import Crontab
from collective.cron.interfaces import ICrontabMarker
from collective.cron.interfaces import IJobBackend
from collective.cron.interfaces import IQueue
from collective.cron.testing import lose_jobs
from collective.cron.testing import mark_site_path
from collective.cron.testing import queue_ready
from collective.cron.tests import runners
from collective.cron.tests.base import QueueTestCase


class Capture(logging.Handler):

    def __init__(self):
        logging.Handler.__init__(self, logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def add_crons(site, names, activated=True):
    setSite(site)
    crontab = Crontab.load()
    crons = [Cron(name=name, periodicity=u'*/5 * * * *',
                  activated=activated, crontab=crontab) for name in names]
    crontab.save()
    return [cron.uid for cron in crons]


class TestRestart(QueueTestCase):

    def setUp(self):
        super(TestRestart, self).setUp()
        self.app = self.layer['app']
        addPloneSite(self.app, 'second', setup_content=False,
                     extension_ids=('collective.cron:default',))
        self.second = self.app.second
        self.handler = Capture()
        logging.getLogger('collective.cron').addHandler(self.handler)

    def tearDown(self):
        logging.getLogger('collective.cron').removeHandler(self.handler)
        setSite(self.portal)

    def sites_and_uids(self):
        uids = {
            self.portal: add_crons(self.portal,
                                   [runners.RECORD, runners.WARN]),
            self.second: add_crons(self.second,
                                   [runners.RECORD, runners.FAIL, u'x']),
        }
        off = add_crons(self.second, [runners.RECORD], activated=False)
        setSite(self.portal)
        transaction.commit()
        return uids, off

    def pending(self, uids):
        transaction.begin()
        return dict((site.getId(), [IQueue(site).is_pending(uid)
                                    for uid in site_uids])
                    for site, site_uids in uids.items())

    def queued(self):
        """How many jobs the two sites have in the queue."""
        transaction.begin()
        return sum(len(IQueue(site).cron_uids())
                   for site in (self.portal, self.second))

    def marked_paths(self):
        transaction.begin()
        return getUtility(IJobBackend).marked_paths(self.app)

    def test_every_site_is_marked_and_queued(self):
        uids, off = self.sites_and_uids()
        self.assertEqual(self.pending(uids), {
            'plone': [True, True], 'second': [True, True, True]})
        self.assertEqual(self.marked_paths(), ['/plone', '/second'])
        self.assertTrue(ICrontabMarker(self.second).marked)
        self.assertFalse(IQueue(self.second).is_present(off[0]))

    def test_lost_jobs_come_back_at_restart(self):
        uids, off = self.sites_and_uids()
        mark_site_path(self.portal, '/deleted-site')
        transaction.commit()
        lose_jobs(self.layer)
        self.assertEqual(self.queued(), 0)
        queue_ready(self.portal)
        self.assertEqual(self.queued(), 5)
        self.assertEqual(self.pending(uids), {
            'plone': [True, True], 'second': [True, True, True]})
        self.assertFalse(IQueue(self.second).is_present(off[0]))
        self.assertEqual(self.marked_paths(), ['/plone', '/second'])
        self.assertTrue(any('/deleted-site' in message
                            for message in self.handler.messages))

    def test_sites_keep_their_own_crons(self):
        uids, off = self.sites_and_uids()
        setSite(self.second)
        crontab = Crontab.load()
        crontab.crons.clear()
        crontab.save()
        transaction.commit()
        self.assertEqual(self.pending(uids), {
            'plone': [True, True], 'second': [False, False, False]})
