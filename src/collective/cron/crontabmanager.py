# -*- coding: utf-8 -*-
"""The crontab manager: keeps a site's queue in step with its crontab."""
from Products.CMFCore.interfaces import ISiteRoot
from zope.component import adapter
from zope.component import getMultiAdapter
from zope.component.hooks import getSite
from zope.event import notify
from zope.interface import implementer

from collective.cron.crontab import Crontab
from collective.cron.events import CrontabSynchronisationEvent
from collective.cron.interfaces import ICronManager
from collective.cron.interfaces import ICrontab
from collective.cron.interfaces import ICrontabManager
from collective.cron.interfaces import IModifiedCrontabEvent
from collective.cron.interfaces import IQueue
from collective.cron.interfaces import ICrontabSynchronisationEvent


@implementer(ICrontabManager)
@adapter(ISiteRoot, ICrontab)
class CrontabManager(object):
    """Synchronises ``context``'s queue with ``crontab``."""

    def __init__(self, context, crontab):
        self.context = context
        self.crontab = crontab

    def cron_manager(self, cron):
        return getMultiAdapter((self.context, cron), ICronManager)

    def remove_orphans(self):
        """Remove the jobs of crons that are no longer in the crontab."""
        queue = IQueue(self.context)
        for uid in queue.cron_uids():
            if uid not in self.crontab.crons:
                queue.remove_jobs(uid)

    def synchronize_crontab_with_queue(self):
        self.remove_orphans()
        for cron in self.crontab.crons.values():
            self.cron_manager(cron).register_or_remove()

    def synchronize_cron(self, uid):
        """Register or remove one cron's job (removed if it is gone)."""
        cron = self.crontab.crons.get(uid)
        if cron is None:
            IQueue(self.context).remove_jobs(uid)
        else:
            self.cron_manager(cron).register_or_remove()


@adapter(IModifiedCrontabEvent)
def crontab_modified(event):
    """A saved crontab asks for its site's synchronisation."""
    site = getSite()
    if site is None:
        return
    notify(CrontabSynchronisationEvent(site, cron=event.cron,
                                       crontab=event.object))


@adapter(ICrontabSynchronisationEvent)
def synchronise(event):
    crontab = event.crontab
    if crontab is None:
        crontab = Crontab.load()
    if not crontab.crons and not IQueue(event.object).configured:
        return
    manager = getMultiAdapter((event.object, crontab), ICrontabManager)
    if event.cron is not None:
        manager.synchronize_cron(event.cron.uid)
    else:
        manager.synchronize_crontab_with_queue()
