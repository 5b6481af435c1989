# -*- coding: utf-8 -*-
"""Restart recovery: marked sites get their lost jobs back."""
import logging

import transaction
from plone.app.async.interfaces import IQueueReady
from plone.app.async.subscribers import QueueReady
from Products.CMFPlone.factory import addPloneSite
from zope.component.hooks import setSite
from zope.event import notify

from collective.cron.crontab import Cron
from collective.cron.crontab import Crontab
from collective.cron.interfaces import ICrontabMarker
from collective.cron.interfaces import IQueue
from collective.cron.tests import runners
from collective.cron.tests.base import QueueTestCase
from collective.cron.zcasync.marker import mark_path
from collective.cron.zcasync.marker import marked_paths


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

    def test_every_site_is_marked_and_queued(self):
        uids, off = self.sites_and_uids()
        self.assertEqual(self.pending(uids), {
            'plone': [True, True], 'second': [True, True, True]})
        self.assertEqual(marked_paths(IQueue(self.portal).queue),
                         ['/plone', '/second'])
        self.assertTrue(ICrontabMarker(self.second).marked)
        self.assertFalse(IQueue(self.second).is_present(off[0]))

    def test_lost_jobs_come_back_at_restart(self):
        uids, off = self.sites_and_uids()
        queue = IQueue(self.portal).queue
        for job in list(queue):
            queue.remove(job)
        mark_path(queue, '/deleted-site')
        transaction.commit()
        self.assertEqual(len(self.pending_jobs()), 0)
        notify(QueueReady(queue))
        # notified outside the dispatcher's thread: done when notify returns
        self.assertEqual(len(self.pending_jobs()), 5)
        self.assertEqual(self.pending(uids), {
            'plone': [True, True], 'second': [True, True, True]})
        self.assertFalse(IQueue(self.second).is_present(off[0]))
        transaction.begin()
        self.assertEqual(marked_paths(IQueue(self.portal).queue),
                         ['/plone', '/second'])
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
        self.assertTrue(IQueueReady.implementedBy(QueueReady))
