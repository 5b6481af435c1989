# -*- coding: utf-8 -*-
"""The crontab manager: keeps a site's queue in step with its crontab.

A synchronisation of the whole crontab removes the jobs of crons that are
gone (from the queue's index, then the site's legacy jobs -- queued outside
the index, e.g. by collective.cron 2.x -- found in one pass over the
queue), then registers or removes each cron's job through its cron manager.
Saving one cron synchronises that cron only, without looking at the queue.

The subscribers keep their 2.x names too: do_syncronize_on_mod,
do_synchronize (and restart.server_restart).
"""
from Products.CMFCore.interfaces import ISiteRoot
from zope.component import adapter
from zope.component import getMultiAdapter
from zope.component.hooks import getSite
from zope.event import notify
from zope.interface import implementer

from collective.cron import states
from collective.cron.crontab import Crontab
from collective.cron.cronmanager import AsyncManager
from collective.cron.events import CrontabSynchronisationEvent
from collective.cron.interfaces import ICronManager
from collective.cron.interfaces import ICrontab
from collective.cron.interfaces import ICrontabManager
from collective.cron.interfaces import ICrontabSynchronisationEvent
from collective.cron.interfaces import IModifiedCrontabEvent
from collective.cron.interfaces import IQueue


@implementer(ICrontabManager)
@adapter(ISiteRoot, ICrontab)
class CrontabManager(AsyncManager):
    """Synchronises ``context``'s queue with ``crontab``."""

    def __init__(self, context, crontab):
        super(CrontabManager, self).__init__(context)
        self.crontab = crontab

    def cron_manager(self, cron):
        return getMultiAdapter((self.context, cron), ICronManager)

    def is_job_to_be_removed(self, job_infos):
        """True for the job infos of a cron job of this site whose cron is
        not in the crontab (2.x)."""
        try:
            same_site = job_infos['context'] == self.context
        except (KeyError, TypeError):
            return False
        uid = getattr(self.queue.cron_of(job_infos), 'uid', None)
        return bool(same_site and uid is not None
                    and uid not in self.crontab.crons)

    def remove_orphans(self):
        """Remove the jobs of crons that are no longer in the crontab, and
        the site's legacy jobs; return the job infos of the pending jobs
        removed for crons that are gone."""
        queue = self.queue
        deleted = []
        for uid in queue.cron_uids():
            if uid not in self.crontab.crons:
                job = queue.cron_job(uid)
                if queue.status(uid) == states.PENDING:
                    deleted.append(self.deleted_infos(job))
                queue.remove_cron_jobs(uid)
        for job in queue.legacy_jobs():
            infos = self.deleted_infos(job)
            if self.is_job_to_be_removed(infos):
                deleted.append(infos)
            queue.remove(job)
        return deleted

    def deleted_infos(self, job):
        """The job infos of a removed job, as 2.x reported them."""
        infos = self.queue.get_job_infos_from_job(job)
        infos['begin_after'] = None
        return infos

    def synchronize_crontab_with_queue(self):
        """Remove the orphans, register or remove every cron's job;
        return {'jobs': [{'activated', 'cron'}, ...], 'deleted': [job
        infos of removed jobs]}."""
        deleted = self.remove_orphans()
        jobs = []
        for cron in self.crontab.crons.values():
            activated, _ = self.cron_manager(cron).register_or_remove()
            jobs.append({'activated': activated, 'cron': cron})
        return {'jobs': jobs, 'deleted': deleted}

    def synchronize_cron(self, uid):
        """Register or remove one cron's job (removed if it is gone)."""
        cron = self.crontab.crons.get(uid)
        if cron is None:
            self.queue.remove_cron_jobs(uid)
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
    """Synchronise the site's queue; return [the crontab manager's result]
    ([] when there is nothing to do: no cron and no queue)."""
    crontab = event.crontab
    if crontab is None:
        crontab = Crontab.load()
    if not crontab.crons and not IQueue(event.object).configured:
        return []
    manager = getMultiAdapter((event.object, crontab), ICrontabManager)
    cron = getattr(event, 'cron', None)
    if cron is not None:
        manager.synchronize_cron(cron.uid)
        return []
    return [manager.synchronize_crontab_with_queue()]


#: 2.x names of the subscribers (the same functions)
do_syncronize_on_mod = crontab_modified
do_synchronize = synchronise
