# -*- coding: utf-8 -*-
"""The Cron Dashboard: the crontab's switch and the table of its crons.

URLs (site root):

- ``@@cron-settings``: this page; POST its buttons to switch the crontab
  on or off, or to delete the selected crons;
- ``@@cron-settings/add``: the add form;
- ``@@cron-settings/<uid>``: a cron's page (``.../<uid>/edit`` its form).
"""
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse

from collective.cron import _
from collective.cron.browser.base import CronBrowserView
from collective.cron.browser.base import cron_url
from collective.cron.browser.base import form_list
from collective.cron.browser.base import queue_state
from collective.cron.browser.base import status_class
from collective.cron.interfaces import IQueue


@implementer(IPublishTraverse)
class CronDashboard(CronBrowserView):
    """``@@cron-settings``."""

    index = ViewPageTemplateFile('templates/dashboard.pt')
    actions = (
        ('form.button.activate', 'activate'),
        ('form.button.deactivate', 'deactivate'),
        ('form.button.delete', 'delete'),
    )

    def publishTraverse(self, request, name):
        if name == 'add':
            return self.subview('cron-add')
        if name not in self.crontab.crons:
            self.not_found(name)
        view = self.subview('cron-view')
        view.uid = name
        return view

    @property
    def rows(self):
        queue = IQueue(self.context)
        base = self.dashboard_url
        return [self.row(cron, queue, base)
                for cron in self.crontab.crons.values()]

    def row(self, cron, queue, base):
        last = cron.last
        return {
            'uid': cron.uid,
            'name': cron.name,
            'url': cron_url(self.context, cron, base),
            'activated': cron.activated,
            'user': cron.user or u'',
            'periodicity': cron.periodicity,
            'queue': queue_state(queue, cron),
            'last_date': last.sdate if last is not None else u'',
            'last_status': last.sstatus if last is not None else None,
            'status_class': status_class(cron.last_status),
            'row_class': u'cron-row ' + status_class(cron.last_status,
                                                     u'cron-row'),
        }

    def activate(self):
        return self.switch(True, _(u'The crontab was activated.'))

    def deactivate(self):
        return self.switch(False, _(u'The crontab was deactivated: no cron '
                                    u'runs until it is activated again.'))

    def switch(self, activated, text):
        crontab = self.crontab
        crontab.activated = activated
        crontab.save()
        self.message(text)
        return self.dashboard_url

    def delete(self):
        uids = set(form_list(self.request, 'uids')) & set(self.crontab.crons)
        if not uids:
            self.message(_(u'Select the crons to delete.'), u'warning')
            return self.dashboard_url
        for uid in uids:
            del self.crontab.crons[uid]
        self.crontab.save()
        self.message(_(u'${count} cron(s) deleted.',
                       mapping={u'count': len(uids)}))
        return self.dashboard_url
