# -*- coding: utf-8 -*-
"""``@@cronbench-queue?count=20``: replace the crontab of the benchmark
instance's site by ``count`` stamping crons that run every minute (0: no
cron at all); answer the time each cron's job is due, as JSON."""
import json

from plone.protect.interfaces import IDisableCSRFProtection
from Products.Five.browser import BrowserView
from zope.interface import alsoProvides

from collective.cron.crontab import Cron
from collective.cron.crontab import Crontab
from collective.cron.interfaces import IQueue
from cronbench.runners import STAMP

EVERY_MINUTE = u'* * * * *'


class QueueStampCrons(BrowserView):

    def __call__(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        count = int(self.request.form.get('count', 20))
        crontab = Crontab.load()
        for cron in list(crontab.crons.values()):
            cron.crontab = None
        for index in range(count):
            Cron(name=STAMP, periodicity=EVERY_MINUTE, activated=True,
                 crontab=crontab, environ={u'index': index})
        crontab.activated = True
        crontab.save()
        queue = IQueue(self.context)
        self.request.response.setHeader('Content-Type', 'application/json')
        return json.dumps(dict(
            (uid, str(queue.begins(uid))) for uid in crontab.crons))
