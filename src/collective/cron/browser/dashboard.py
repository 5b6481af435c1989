# -*- coding: utf-8 -*-
"""The Cron Dashboard: the crontab's switch and the table of its crons.

URLs (site root), those of collective.cron 2.x:

- ``@@cron-settings``: this page;
- ``@@cron-settings/crontab_toggle``: POST ``activated`` (``1`` or ``0``)
  to switch the crontab on or off;
- ``@@cron-settings/process_multiple``: POST ``uids_to_delete`` to delete
  crons;
- ``@@cron-settings/add``: the add form;
- ``@@cron-settings/<uid>`` or ``@@cron-settings/cron_view?uid=<uid>``: a
  cron's page, and its actions ``cron_action`` and ``cron_deletelog``
  (see ``cronview``);
- ``@@cron-settings/<uid>/edit`` or ``@@cron-settings/cron_edit?uid=<uid>``:
  its edit form.
"""
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse

from collective.cron import _
from collective.cron.browser.base import CronBrowserView
from collective.cron.browser.base import cron_url
from collective.cron.browser.base import deleted_text
from collective.cron.browser.base import form_list
from collective.cron.browser.base import queue_state
from collective.cron.browser.base import status_class
from collective.cron.interfaces import IQueue

#: 2.x URL names of a cron's page and actions (the uid is a form field)
CRON_ENDPOINTS = {'cron_view': None, 'cron_action': 'cron_action',
                  'cron_deletelog': 'cron_deletelog'}


@implementer(IPublishTraverse)
class CronDashboard(CronBrowserView):
    """``@@cron-settings``."""

    index = ViewPageTemplateFile('templates/dashboard.pt')
    endpoints = {'crontab_toggle': 'toggle',
                 'process_multiple': 'delete'}

    def publishTraverse(self, request, name):
        if self.endpoint is not None:
            self.not_found(name)
        if name == 'add':
            return self.subview('cron-add')
        if name in self.endpoints:
            return self.endpoint_view('cron-settings', name)
        if name == 'cron_edit':
            return self.edit_view(request.form.get('uid'))
        if name in CRON_ENDPOINTS:
            return self.cron_view(request.form.get('uid'),
                                  CRON_ENDPOINTS[name])
        return self.cron_view(name)

    def known_uid(self, uid):
        if not isinstance(uid, basestring) or uid not in self.crontab.crons:
            self.not_found(uid if isinstance(uid, basestring) else 'uid')
        return uid

    def cron_view(self, uid, endpoint=None):
        view = self.endpoint_view('cron-view', endpoint)
        view.uid = self.known_uid(uid)
        return view

    def edit_view(self, uid):
        view = self.subview('cron-edit')
        view.form_instance.uid = self.known_uid(uid)
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

    def toggle(self):
        """``activated``: ``1`` activates the crontab, ``0`` deactivates
        it (as in 2.x, nothing happens without it)."""
        value = self.request.form.get('activated')
        if value not in ('0', '1'):
            self.message(_(u'Nothing to do: choose to activate or to '
                           u'deactivate the crontab.'), u'warning')
            return self.dashboard_url
        if value == '1':
            return self.switch(True, _(u'The crontab was activated.'))
        return self.switch(False, _(u'The crontab was deactivated: no cron '
                                    u'runs until it is activated again.'))

    def switch(self, activated, text):
        crontab = self.crontab
        crontab.activated = activated
        crontab.save()
        self.message(text)
        return self.dashboard_url

    def delete(self):
        """Delete the crons of ``uids_to_delete``, one message each."""
        selected = set(form_list(self.request, 'uids_to_delete'))
        crons = [cron for uid, cron in self.crontab.crons.items()
                 if uid in selected]
        if not crons:
            self.message(_(u'Select the crons to delete.'), u'warning')
            return self.dashboard_url
        for cron in crons:
            del self.crontab.crons[cron.uid]
        self.crontab.save()
        for cron in crons:
            self.message(deleted_text(cron))
        return self.dashboard_url
