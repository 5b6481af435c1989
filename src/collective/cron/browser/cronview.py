# -*- coding: utf-8 -*-
"""A cron's page: ``@@cron-settings/<uid>``.

Shows its settings, its queue state and its logs (newest first); POST its
buttons to run it now, delete it, or delete some or all of its logs.
"""
import hashlib
import json

from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.component import getMultiAdapter
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse

from collective.cron import _
from collective.cron.browser.base import CronBrowserView
from collective.cron.browser.base import form_list
from collective.cron.browser.base import queue_state
from collective.cron.browser.base import status_class
from collective.cron.interfaces import ICronManager
from collective.cron.interfaces import IQueue


def log_key(log):
    """A stable id of a log (its content's digest)."""
    data = json.dumps(log.dump(), sort_keys=True)
    return hashlib.sha1(data).hexdigest()[:16]


@implementer(IPublishTraverse)
class CronView(CronBrowserView):
    """One cron; ``uid`` is set by the dashboard's traversal."""

    index = ViewPageTemplateFile('templates/cron.pt')
    actions = (
        ('form.button.run', 'run'),
        ('form.button.delete', 'delete'),
        ('form.button.delete_logs', 'delete_logs'),
        ('form.button.delete_all_logs', 'delete_all_logs'),
    )

    missing_name = 'cron-view'

    @property
    def url(self):
        return self.cron_url(self.cron)

    def publishTraverse(self, request, name):
        if name != 'edit':
            self.not_found(name)
        view = self.subview('cron-edit')
        view.form_instance.uid = self.cron.uid
        return view

    def check(self):
        super(CronView, self).check()
        self.find_cron()

    @property
    def environ(self):
        return json.dumps(self.cron.environ, indent=2, sort_keys=True)

    @property
    def queue(self):
        return queue_state(IQueue(self.context), self.cron)

    @property
    def logs(self):
        return [{'key': log_key(log), 'date': log.sdate,
                 'status': log.sstatus, 'status_class': status_class(
                     log.status), 'messages': log.messages}
                for log in self.cron.logs]

    def run(self):
        cron = self.cron
        manager = getMultiAdapter((self.context, cron), ICronManager)
        if manager.register_job(force=True) is None:
            self.message(_(u'Cron ${name} was not queued: it or the '
                           u'crontab is deactivated.',
                           mapping={u'name': cron.name}), u'warning')
        else:
            self.message(_(u'Cron ${name} was queued',
                           mapping={u'name': cron.name}))
        return self.url

    def delete(self):
        cron = self.cron
        del self.crontab.crons[cron.uid]
        self.crontab.save()
        self.message(_(u'Cron ${name} was deleted',
                       mapping={u'name': cron.name}))
        return self.dashboard_url

    def delete_logs(self):
        keys = set(form_list(self.request, 'logs'))
        if not keys:
            self.message(_(u'Select the logs to delete.'), u'warning')
            return self.url
        cron = self.cron
        kept = [log for log in cron.logs if log_key(log) not in keys]
        deleted = len(cron.logs) - len(kept)
        cron.logs[:] = kept
        cron.save()
        self.message(_(u'${count} log(s) deleted.',
                       mapping={u'count': deleted}))
        return self.url

    def delete_all_logs(self):
        cron = self.cron
        del cron.logs[:]
        cron.save()
        self.message(_(u'All logs deleted.'))
        return self.url
