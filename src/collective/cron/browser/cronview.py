# -*- coding: utf-8 -*-
"""A cron's page: ``@@cron-settings/<uid>`` (2.x: ``cron_view?uid=``).

Shows its settings, its queue state and its logs (newest first). Its
actions have the URLs and fields of collective.cron 2.x (POST, with
``uid``):

- ``@@cron-settings/cron_action``: ``cron_action`` is ``run-cron`` (queue
  a run now) or ``delete-cron``; the page's buttons ``form.button.run`` and
  ``form.button.delete`` choose it too;
- ``@@cron-settings/cron_deletelog``: ``alllogs_to_delete`` deletes every
  log, else ``logs_to_delete`` the logs at these positions (0: the newest).
  The page adds ``logs_state``: if the logs changed since it was shown,
  nothing is deleted.

The page shows the ``SHOWN_LOGS`` newest logs ("Displaying 10/24 last
logs", worded as 2.x); the older ones are folded below them, one click
away, with their positions in the full list.
"""
import hashlib
import json

from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.component import getMultiAdapter
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse

from collective.cron import _
from collective.cron.browser.base import CronBrowserView
from collective.cron.browser.base import deleted_text
from collective.cron.browser.base import form_list
from collective.cron.browser.base import queue_state
from collective.cron.browser.base import status_class
from collective.cron.interfaces import ICronManager
from collective.cron.interfaces import IQueue

#: the page's buttons -> the 2.x ``cron_action`` they stand for
BUTTONS = (('form.button.run', 'run-cron'),
           ('form.button.delete', 'delete-cron'))


#: how many logs the page shows unfolded (2.x showed 10)
SHOWN_LOGS = 10


def logs_state(logs):
    """A digest of a list of logs (changes when any log changes)."""
    data = json.dumps([log.dump() for log in logs], sort_keys=True)
    return hashlib.sha1(data).hexdigest()


def positions(values, count):
    """The valid log positions among form values (others are ignored)."""
    found = set()
    for value in values:
        if value.isdigit() and int(value) < count:
            found.add(int(value))
    return found


@implementer(IPublishTraverse)
class CronView(CronBrowserView):
    """One cron; ``uid`` is set by the dashboard's traversal."""

    index = ViewPageTemplateFile('templates/cron.pt')
    endpoints = {'cron_action': 'cron_action',
                 'cron_deletelog': 'cron_deletelog'}

    missing_name = 'cron-view'

    @property
    def url(self):
        return self.cron_url(self.cron)

    @property
    def page_url(self):
        return self.url

    def publishTraverse(self, request, name):
        if name != 'edit' or self.endpoint is not None:
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
    def logs_state(self):
        return logs_state(self.cron.logs)

    @property
    def logs(self):
        return [{'position': position, 'date': log.sdate,
                 'status': log.sstatus, 'status_class': status_class(
                     log.status), 'messages': log.messages}
                for position, log in enumerate(self.cron.logs)]

    @property
    def log_groups(self):
        """``shown``: the newest logs; ``older``: the folded rest."""
        logs = self.logs
        return {'shown': logs[:SHOWN_LOGS], 'older': logs[SHOWN_LOGS:],
                'total': len(logs)}

    def chosen_action(self):
        for button, action in BUTTONS:
            if button in self.request.form:
                return action
        return self.request.form.get('cron_action')

    def cron_action(self):
        action = self.chosen_action()
        if action == 'run-cron':
            return self.run()
        if action == 'delete-cron':
            return self.delete()
        self.message(_(u'Nothing to do: choose to run or to delete the '
                       u'cron.'), u'warning')
        return self.url

    def run(self):
        cron = self.cron
        manager = getMultiAdapter((self.context, cron), ICronManager)
        if not manager.register_job(force=True):
            self.message(_(u'Cron ${name} was not queued: it or the '
                           u'crontab is deactivated.',
                           mapping={u'name': cron.name}), u'warning')
        else:
            self.message(_(u'Cron ${uid}/${name} was queued',
                           mapping={u'uid': cron.uid, u'name': cron.name}))
        return self.url

    def delete(self):
        cron = self.cron
        del self.crontab.crons[cron.uid]
        self.crontab.save()
        self.message(deleted_text(cron))
        return self.dashboard_url

    def cron_deletelog(self):
        if self.request.form.get('alllogs_to_delete'):
            return self.delete_all_logs()
        return self.delete_logs()

    def delete_logs(self):
        cron = self.cron
        selected = positions(form_list(self.request, 'logs_to_delete'),
                             len(cron.logs))
        if not selected:
            self.message(_(u'Select the logs to delete.'), u'warning')
        elif self.request.form.get('logs_state', self.logs_state) != \
                self.logs_state:
            self.message(_(u'The logs changed since the page was shown: '
                           u'nothing was deleted, select them again.'),
                         u'warning')
        else:
            cron.logs[:] = [log for position, log in enumerate(cron.logs)
                            if position not in selected]
            cron.save()
            self.message(_(u'Selected logs have been deleted (${count}).',
                           mapping={u'count': len(selected)}))
        return self.url

    def delete_all_logs(self):
        cron = self.cron
        del cron.logs[:]
        cron.save()
        self.message(_(u'All logs have been deleted.'))
        return self.url
