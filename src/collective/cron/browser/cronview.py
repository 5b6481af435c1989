# -*- coding: utf-8 -*-
"""A cron's page: ``@@cron-settings/<uid>`` (2.x: ``cron_view?uid=``).

Shows its next run and its last run (status, start, end, duration, in the
site's time zone), its settings and its logs (newest first), and the
actions add-ons register in the viewlet manager
``collective.cron.cronactions`` (see ``actions``). While the cron's job
runs or is due (after *Run now*), the page's script (``cronpage.js``)
polls ``@@cron-status`` and shows the result when the run ends.

Its actions have the URLs and fields of collective.cron 2.x (POST, with
``uid``):

- ``@@cron-settings/cron_action``: ``cron_action`` is ``run-cron`` (queue
  a run now) or ``delete-cron``; the page's buttons ``form.button.run`` and
  ``form.button.delete`` choose it too;
- ``@@cron-settings/cron_deletelog``: ``alllogs_to_delete`` deletes every
  log, else ``logs_to_delete`` the logs at these positions (0: the newest).
  The page adds ``logs_state``: if the logs changed since it was shown,
  nothing is deleted.

The page's destructive buttons (``form.button.delete``,
``form.button.deletelogs``) show a confirmation page first (see
``base``); 2.x's fields (``cron_action=delete-cron``, the buttons
``logdelete`` and ``logdeletetop``, still in the page but hidden) act at
once and get 2.x's messages, the page's buttons messages naming the cron.

The page shows the ``SHOWN_LOGS`` newest logs ("Displaying 10/24 last
logs", worded as 2.x) in its history table (start, end, duration, status,
messages); the older ones are folded below them, one click away, with
their positions in the full list. Above the table, a chart of every kept
run (``history_chart``, from the module ``history``: one bar per run, its
height the run's duration, its colour its status; an inline SVG, rendered
by the server).
"""
import hashlib
import json

from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from six.moves.urllib.parse import quote
from zope.component import getMultiAdapter
from zope.i18n import translate
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse

from collective.cron import _
from collective.cron.browser.base import CONFIRMED
from collective.cron.browser.base import Confirmation
from collective.cron.browser.base import CronBrowserView
from collective.cron.browser.base import SiteTime
from collective.cron.browser.base import deleted_text
from collective.cron.browser.base import form_list
from collective.cron.browser.base import new_ui
from collective.cron.browser.base import queue_state
from collective.cron.browser.base import queued_text
from collective.cron.browser.base import status_class
from collective.cron.browser import history
from collective.cron.browser.dashboard import duration_text
from collective.cron.browser.status import is_busy
from collective.cron.crontab import FAILURE
from collective.cron.crontab import NOTRUN
from collective.cron.crontab import OK
from collective.cron.crontab import STATUS_TITLES
from collective.cron.crontab import WARN
from collective.cron.interfaces import ICronManager
from collective.cron.interfaces import IQueue
from collective.cron.schedule import describe
from collective.cron.schedule import next_runs
from collective.cron.schedule import request_language

#: the page's buttons -> the 2.x ``cron_action`` they stand for
BUTTONS = (('form.button.run', 'run-cron'),
           ('form.button.delete', 'delete-cron'))
#: the page's button deleting the selected (or all) logs
DELETE_LOGS = 'form.button.deletelogs'
#: the page's buttons that ask for confirmation first
ASKING = ('form.button.delete', DELETE_LOGS)

#: how many next runs the page shows
NEXT_RUNS = 5
#: how many logs the page shows unfolded (2.x showed 10)
SHOWN_LOGS = 10
#: the order of the statuses in the history's summary
SUMMARY_STATUSES = (OK, WARN, FAILURE, NOTRUN)


def logs_state(logs):
    """A digest of a list of logs (changes when any log changes)."""
    data = json.dumps([log.dump() for log in logs], sort_keys=True)
    return hashlib.sha1(data.encode('ascii')).hexdigest()


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
    confirmations = {'cron_action': 'confirm_action',
                     'cron_deletelog': 'confirm_deletelog'}

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
        view.form_instance.uid = self.uid
        return view

    def check(self):
        super(CronView, self).check()
        self.find_cron()

    # -- what the page shows ------------------------------------------------

    @property
    def site_time(self):
        site_time = self.__dict__.get('_site_time')
        if site_time is None:
            site_time = self._site_time = SiteTime(self.context)
        return site_time

    @property
    def schedule(self):
        """The periodicity in words, in the page's language."""
        return describe(self.cron.periodicity,
                        request_language(self.request))

    @property
    def next_runs(self):
        """The next runs (NEXT_RUNS) as text, in the site's zone."""
        return [self.site_time.show(run)
                for run in next_runs(self.cron, NEXT_RUNS)]

    @property
    def environ(self):
        return json.dumps(self.cron.environ, indent=2, sort_keys=True)

    @property
    def cron_queue(self):
        queue = self.__dict__.get('_cron_queue')
        if queue is None:
            queue = self._cron_queue = IQueue(self.context)
        return queue

    @property
    def queue(self):
        return queue_state(self.cron_queue, self.cron, self.site_time.show)

    @property
    def busy(self):
        """True while the cron's job runs or is due (after *Run now*): the
        page's script follows it (``cronpage.js``)."""
        return is_busy(self.cron_queue, self.cron.uid)

    @property
    def status_url(self):
        return '%s/@@cron-status?uid=%s' % (self.context.absolute_url(),
                                            quote(self.cron.uid, safe=''))

    @property
    def last_run(self):
        """The newest log's status, start, end and duration (None without
        logs; no start for logs written before starts were recorded)."""
        log = self.cron.last
        if log is None:
            return None
        show = self.site_time.show
        return {'status': log.sstatus,
                'status_class': status_class(log.status),
                'start': show(log.start),
                'end': show(log.date), 'duration': duration_text(log)}

    @property
    def logs_state(self):
        return logs_state(self.cron.logs)

    @property
    def logs(self):
        """The rows of the history table, newest first: ``date`` is the
        end (``start`` and ``duration`` are empty for 2.x's logs)."""
        show = self.site_time.show
        return [{'position': position, 'date': show(log.date),
                 'start': show(log.start), 'duration': duration_text(log),
                 'status': log.sstatus, 'status_class': status_class(
                     log.status), 'messages': log.messages}
                for position, log in enumerate(self.cron.logs)]

    def translated(self, message):
        return translate(message, context=self.request)

    @property
    def history_chart(self):
        """The chart of the kept runs (see ``history``): its size, bars
        (texts and SVG coordinates), axis label and summary; None without
        logs."""
        logs = self.cron.logs
        if not logs:
            return None
        top = history.longest(logs)
        number = history.number
        return {'width': number(history.WIDTH),
                'height': number(history.HEIGHT),
                'left': number(history.MARGIN),
                'right': number(history.WIDTH - history.MARGIN),
                'top': number(history.TOP),
                'label_y': number(history.TOP - 5),
                'baseline': number(history.BASELINE),
                'axis': duration_text(top),
                'summary': self.history_summary(logs, top),
                'bars': [self.history_bar(bar)
                         for bar in history.bars(logs)],
                'legend': [{'class': u'cron-swatch ' + status_class(
                                status, u'cron-swatch'),
                            'title': self.translated(STATUS_TITLES[status])}
                           for status in SUMMARY_STATUSES]}

    def history_summary(self, logs, top):
        """"Runs kept: 24 (20 OK, 3 FAILURE, 1 NOTRUN); longest: 12 s"."""
        statuses = u', '.join(
            u'%d %s' % (count, self.translated(STATUS_TITLES[status]))
            for status, count in history.counts(logs, SUMMARY_STATUSES))
        mapping = {u'count': len(logs), u'statuses': statuses,
                   u'longest': duration_text(top)}
        if top is None:
            return self.translated(_(
                u'Runs kept: ${count} (${statuses}); no duration recorded',
                mapping=mapping))
        return self.translated(_(
            u'Runs kept: ${count} (${statuses}); longest: ${longest}',
            mapping=mapping))

    def history_bar(self, bar):
        """A Bar as the template draws it: classes, title, coordinates."""
        log = bar.log
        mapping = {u'date': self.site_time.show(log.date),
                   u'status': self.translated(log.sstatus),
                   u'duration': duration_text(log)}
        if bar.marker:
            title = _(u'${date}: ${status}, duration unknown',
                      mapping=mapping)
        else:
            title = _(u'${date}: ${status}, ${duration}', mapping=mapping)
        css = status_class(log.status, u'cron-bar')
        number = history.number
        return {'marker': bar.marker, 'title': self.translated(title),
                'class': u'cron-bar %s%s' % (
                    css, u' cron-bar-marker' if bar.marker else u''),
                'x': number(bar.x), 'y': number(bar.y),
                'width': number(bar.width), 'height': number(bar.height),
                'cx': number(bar.cx), 'cy': number(bar.cy),
                'r': number(bar.r)}

    @property
    def log_groups(self):
        """``shown``: the newest logs; ``older``: the folded rest."""
        logs = self.logs
        return {'shown': logs[:SHOWN_LOGS], 'older': logs[SHOWN_LOGS:],
                'total': len(logs)}

    # -- confirmations ------------------------------------------------------

    def new_ui(self):
        """True for the page's buttons (their messages name the cron),
        False for 2.x's fields (2.x's messages)."""
        form = self.request.form
        return new_ui(self.request) or any(
            name in form for name in (DELETE_LOGS,) + tuple(
                button for button, action in BUTTONS))

    def asks_confirmation(self):
        form = self.request.form
        if CONFIRMED in form:
            return False
        return super(CronView, self).asks_confirmation() or any(
            name in form for name in ASKING)

    def confirm_action(self):
        if self.chosen_action() != 'delete-cron':
            return None
        return Confirmation(
            _(u'Delete the cron "${name}"?',
              mapping={u'name': self.cron.name}),
            button=_(u'Delete'),
            details=_(u'Its settings, its logs and its queued job are '
                      u'deleted; this cannot be undone.'))

    def confirm_deletelog(self):
        cron = self.cron
        mapping = {u'name': cron.name, u'count': len(cron.logs)}
        if self.request.form.get('alllogs_to_delete'):
            if not cron.logs:
                return None
            return Confirmation(
                _(u'Delete all ${count} logs of "${name}"?', mapping=mapping),
                button=_(u'Delete the logs'))
        selected = self.selected_logs()
        if not selected or not self.logs_unchanged():
            return None
        logs = self.logs
        mapping[u'count'] = len(selected)
        return Confirmation(
            _(u'Delete ${count} log(s) of "${name}"?', mapping=mapping),
            [u'%s %s' % (logs[position]['date'], logs[position]['status'])
             for position in sorted(selected)],
            _(u'Delete the logs'))

    # -- actions ------------------------------------------------------------

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
        if manager.register_job(force=True):
            self.message(queued_text(cron, self.new_ui()))
        elif self.new_ui():
            self.message(_(u'"${name}" was not queued: it or the crontab '
                           u'is deactivated.', mapping={u'name': cron.name}),
                         u'warning')
        else:
            self.message(_(u'Cron ${name} was not queued: it or the '
                           u'crontab is deactivated.',
                           mapping={u'name': cron.name}), u'warning')
        return self.url

    def delete(self):
        cron = self.cron
        del self.crontab.crons[cron.uid]
        self.crontab.save()
        self.message(deleted_text(cron, self.new_ui()))
        return self.dashboard_url

    def cron_deletelog(self):
        if self.request.form.get('alllogs_to_delete'):
            return self.delete_all_logs()
        return self.delete_logs()

    def selected_logs(self):
        return positions(form_list(self.request, 'logs_to_delete'),
                         len(self.cron.logs))

    def logs_unchanged(self):
        """False when the logs changed since the page was shown."""
        return self.request.form.get('logs_state', self.logs_state) == \
            self.logs_state

    def delete_logs(self):
        cron = self.cron
        selected = self.selected_logs()
        if not selected:
            self.message(_(u'Select the logs to delete.'), u'warning')
        elif not self.logs_unchanged():
            self.message(_(u'The logs changed since the page was shown: '
                           u'nothing was deleted, select them again.'),
                         u'warning')
        else:
            cron.logs[:] = [log for position, log in enumerate(cron.logs)
                            if position not in selected]
            cron.save()
            self.logs_deleted(cron, len(selected))
        return self.url

    def logs_deleted(self, cron, count):
        if self.new_ui():
            self.message(_(u'"${name}": ${count} log(s) deleted',
                           mapping={u'name': cron.name, u'count': count}))
        else:
            self.message(_(u'Selected logs have been deleted (${count}).',
                           mapping={u'count': count}))

    def delete_all_logs(self):
        cron = self.cron
        del cron.logs[:]
        cron.save()
        if self.new_ui():
            self.message(_(u'"${name}": all logs deleted',
                           mapping={u'name': cron.name}))
        else:
            self.message(_(u'All logs have been deleted.'))
        return self.url
