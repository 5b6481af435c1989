# -*- coding: utf-8 -*-
"""The Cron Dashboard: the crontab's switch and the table of its crons.

URLs (site root), those of collective.cron 2.x:

- ``@@cron-settings``: this page;
- ``@@cron-settings/crontab_toggle``: POST ``activated`` (``1`` or ``0``)
  to switch the crontab on or off;
- ``@@cron-settings/process_multiple``: POST ``uids_to_delete`` to delete
  crons (the table's form); its row buttons post there too: ``cron_run``
  (a uid: queue a run now), ``cron_activate`` and ``cron_deactivate`` (a
  uid: switch that cron);
- ``@@cron-settings/add``: the add form;
- ``@@cron-settings/<uid>`` or ``@@cron-settings/cron_view?uid=<uid>``: a
  cron's page, and its actions ``cron_action`` and ``cron_deletelog``
  (see ``cronview``);
- ``@@cron-settings/<uid>/edit`` or ``@@cron-settings/cron_edit?uid=<uid>``:
  its edit form.

The table shows BATCH_SIZE crons a page (``b_start``, Plone's batch
navigation) and can be filtered by name (``cron_name``, a part of it, any
case) and last status (``cron_status``: OK, WARN, FAILURE, NOTRUN,
``none`` for crons that never ran, or ``late`` for late crons, see
collective.cron.late).

Deleting crons and deactivating the crontab from this page's buttons ask
for confirmation first (see base.py); 2.x's requests act at once.
"""
from collections import Counter

import six
from plone.batching import Batch
from plone.memoize.view import memoize
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.component import getMultiAdapter
from zope.component import getUtility
from zope.i18n import translate
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse

from collective.cron import _
from collective.cron.alerts import MAIL_CONTROL_PANEL
from collective.cron.alerts import mail_problem
from collective.cron.alerts import threshold
from collective.cron.browser.base import Confirmation
from collective.cron.browser.base import CronBrowserView
from collective.cron.browser.base import cron_url
from collective.cron.browser.base import deleted_text
from collective.cron.browser.base import form_list
from collective.cron.browser.base import new_ui
from collective.cron.browser.base import queue_state
from collective.cron.browser.base import queued_text
from collective.cron.browser.base import status_class
from collective.cron.browser.base import SiteTime
from collective.cron.crontab import STATUS_TITLES
from collective.cron.interfaces import ICronManager
from collective.cron.interfaces import IJobBackend
from collective.cron.interfaces import IQueue
from collective.cron.job import has_runner
from collective.cron.late import is_late
from collective.cron.late import silent_since
from collective.cron.reading import read_crontab
from collective.cron.schedule import describe
from collective.cron.schedule import request_language
from collective.cron.utils import now

#: 2.x URL names of a cron's page and actions (the uid is a form field)
CRON_ENDPOINTS = {'cron_view': None, 'cron_action': 'cron_action',
                  'cron_deletelog': 'cron_deletelog'}
#: the table's row buttons (their value: the uid of the row's cron)
#: crons shown a page
BATCH_SIZE = 100
#: the values of the last status filter (besides u'': any)
#: the status filter of late crons
LATE = u'late'
STATUS_FILTERS = tuple(STATUS_TITLES.values()) + (u'none', LATE)
RUN = 'cron_run'
ACTIVATE = 'cron_activate'
DEACTIVATE = 'cron_deactivate'


def text_parameter(request, name):
    """The request's ``name`` as stripped text (u'' when absent or not
    text)."""
    value = request.form.get(name, u'')
    if isinstance(value, bytes):
        value = value.decode('utf-8', 'replace')
    return value.strip() if isinstance(value, six.text_type) else u''


@implementer(IPublishTraverse)
class CronDashboard(CronBrowserView):
    """``@@cron-settings``."""

    index = ViewPageTemplateFile('templates/dashboard.pt')
    endpoints = {'crontab_toggle': 'toggle',
                 'process_multiple': 'process'}
    confirmations = {'crontab_toggle': 'confirm_toggle',
                     'process_multiple': 'confirm_delete'}

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

    # Traversal only names the cron: the user is not known yet, so the
    # page looks it up after checking its permission (a missing cron must
    # look like an existing one to those who may not see crons).

    def cron_view(self, uid, endpoint=None):
        view = self.endpoint_view('cron-view', endpoint)
        view.uid = uid if isinstance(uid, six.string_types) else None
        return view

    def edit_view(self, uid):
        view = self.subview('cron-edit')
        view.form_instance.uid = uid if isinstance(
            uid, six.string_types) else None
        return view

    @property
    def site_time(self):
        return SiteTime(self.context)

    @property
    def crontab(self):
        """The page itself only reads the crontab, as the REST API's GET
        services do (collective.cron.reading: only the records changed
        since the last read are loaded again). Its actions load it to
        change it."""
        if self.endpoint is not None:
            return super(CronDashboard, self).crontab
        crontab = getattr(self, '_read_crontab', None)
        if crontab is None:
            crontab = self._read_crontab = read_crontab(self.context)
        return crontab

    @property
    def name_filter(self):
        return text_parameter(self.request, 'cron_name')

    @property
    def status_filter(self):
        """A status title (``OK``...), ``none`` (never ran), ``late`` or
        u''."""
        value = text_parameter(self.request, 'cron_status')
        return value if value in STATUS_FILTERS else u''

    def matches(self, cron):
        name, status = self.name_filter.lower(), self.status_filter
        if name and name not in cron.name.lower():
            return False
        if not status:
            return True
        if status == LATE:
            return is_late(self.context, cron, self.page_time,
                           self.filter_queue)
        last = cron.last
        return (last.sstatus if last is not None else u'none') == status

    @property
    @memoize
    def batch(self):
        """The crons that match the filters, BATCH_SIZE a page."""
        crons = [cron for cron in self.crontab.crons.values()
                 if self.matches(cron)]
        start = self.request.form.get('b_start', '0')
        start = int(start) if str(start).isdigit() else 0
        return Batch(crons, BATCH_SIZE, start)

    @property
    def filtered(self):
        return bool(self.name_filter or self.status_filter)

    @property
    @memoize
    def filter_queue(self):
        """The site's IQueue, for the late filter."""
        return IQueue(self.context)

    @property
    @memoize
    def page_time(self):
        """The time the rows are judged late at (once per page)."""
        return now()

    def late_title(self, date):
        """The title of a late row's tag (``date``: when it was due)."""
        return translate(_(u'Due at ${date}: no worker started it within '
                           u'its grace period', mapping={u'date': date}),
                         context=self.request)

    @property
    @memoize
    def worker_warning(self):
        """Why jobs will not run when no worker of the job backend
        (zc.async, Huey) polls the queue (see collective.cron.late), while
        the crontab is activated; else None."""
        if not self.crontab.activated:
            return None
        silent, last = silent_since(self.context, self.page_time)
        if not silent:
            return None
        backend = getUtility(IJobBackend).name
        if last is None:
            text = _(u'No ${backend} worker is running: jobs will not run.',
                     mapping={u'backend': backend})
        else:
            text = _(u'No ${backend} worker has polled the queue since '
                     u'${date}: jobs will not run.',
                     mapping={u'backend': backend,
                              u'date': self.site_time.show(last)})
        return translate(text, context=self.request)

    @property
    @memoize
    def mail_warning(self):
        """What keeps failure alerts from being sent (Plone's mail settings
        are incomplete) when a cron would send one, translated; else
        None."""
        problem = mail_problem(self.context)
        if problem is None or not any(
                threshold(cron) for cron in self.crontab.crons.values()):
            return None
        return translate(problem, context=self.request)

    @property
    def mail_settings_url(self):
        return '%s/%s' % (self.context.absolute_url(), MAIL_CONTROL_PANEL)

    @property
    def rows(self):
        names = Counter(cron.name for cron in self.crontab.crons.values())
        queue = IQueue(self.context)
        base = self.dashboard_url
        show = self.site_time.show
        return [self.row(cron, queue, base, show, names[cron.name] > 1)
                for cron in self.batch]

    @property
    @memoize
    def language(self):
        return request_language(self.request)

    def row(self, cron, queue, base, show, duplicate):
        last = cron.last
        return {
            'uid': cron.uid,
            'name': cron.name,
            'url': cron_url(self.context, cron, base),
            'activated': cron.activated,
            'user': cron.user or u'',
            'periodicity': cron.periodicity,
            'schedule': describe(cron.periodicity, self.language),
            'queue': queue_state(queue, cron, show, self.page_time),
            'last_date': show(last.date) if last is not None else u'',
            'last_status': last.sstatus if last is not None else None,
            'duration': duration_text(last),
            'status_class': status_class(cron.last_status),
            'row_class': u'cron-row ' + status_class(cron.last_status,
                                                     u'cron-row'),
            'duplicate': duplicate,
            'unmatched': not has_runner(self.context, cron),
        }

    @memoize
    def row_texts(self):
        """The rows' texts, translated once per page."""
        texts = {
            'duplicate': _(u'\u26a0 duplicate name'),
            'unmatched': _(u'\u26a0 no such runner'),
            'deactivated': _(u'deactivated'),
            'run': _(u'Run now'),
            'activate': _(u'Activate'),
            'deactivate': _(u'Deactivate'),
            'late': _(u'late'),
        }
        return dict((key, translate(text, context=self.request))
                    for key, text in texts.items())

    def process(self):
        """The table's form: a row's button, else delete the selection."""
        form = self.request.form
        if RUN in form:
            return self.run(form[RUN])
        if ACTIVATE in form or DEACTIVATE in form:
            return self.switch_cron(form.get(ACTIVATE) or form[DEACTIVATE],
                                    ACTIVATE in form)
        return self.delete()

    def row_cron(self, uid):
        """The cron of a row's button (None, with a message, when it was
        deleted since)."""
        cron = self.crontab.crons.get(uid) if isinstance(
            uid, six.string_types) else None
        if cron is None:
            self.message(_(u'This cron no longer exists.'), u'warning')
        return cron

    def run(self, uid):
        cron = self.row_cron(uid)
        if cron is None:
            return self.dashboard_url
        manager = getMultiAdapter((self.context, cron), ICronManager)
        if manager.register_job(force=True):
            self.message(queued_text(cron, True))
        else:
            self.message(_(u'"${name}" was not queued: it or the crontab '
                           u'is deactivated.', mapping={u'name': cron.name}),
                         u'warning')
        return self.dashboard_url

    def switch_cron(self, uid, activated):
        cron = self.row_cron(uid)
        if cron is None:
            return self.dashboard_url
        cron.activated = activated
        cron.save()
        if activated:
            self.message(_(u'"${name}" was activated',
                           mapping={u'name': cron.name}))
        else:
            self.message(_(u'"${name}" was deactivated: it does not run '
                           u'until it is activated again',
                           mapping={u'name': cron.name}))
        return self.dashboard_url

    def confirm_toggle(self):
        """Deactivating the crontab asks first (activating does not)."""
        if self.request.form.get('activated') != '0':
            return None
        return Confirmation(
            _(u'Deactivate the crontab?'),
            button=_(u'Deactivate the crontab'),
            details=_(u'No cron runs until the crontab is activated '
                      u'again; Run now does not queue anything either.'))

    def confirm_delete(self):
        crons = self.selected()
        if not crons:
            return None
        return Confirmation(
            _(u'Delete ${count} cron(s)?', mapping={u'count': len(crons)}),
            [cron.name for cron in crons], _(u'Delete'),
            _(u'Their settings and logs are deleted; this cannot be '
              u'undone.'))

    def selected(self):
        selected = set(form_list(self.request, 'uids_to_delete'))
        return [cron for uid, cron in self.crontab.crons.items()
                if uid in selected]

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
        crons = self.selected()
        if not crons:
            self.message(_(u'Select the crons to delete.'), u'warning')
            return self.dashboard_url
        for cron in crons:
            del self.crontab.crons[cron.uid]
        self.crontab.save()
        for cron in crons:
            self.message(deleted_text(cron, new_ui(self.request)))
        return self.dashboard_url


def duration_text(log):
    """How long the logged run took ("4 s", "2 min 05 s", "1 h 02 min");
    empty for no log or a log without a start (2.x's)."""
    duration = log.duration if log is not None else None
    if duration is None:
        return u''
    seconds = max(int(duration.total_seconds()), 0)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return u'%d h %02d min' % (hours, minutes)
    if minutes:
        return u'%d min %02d s' % (minutes, seconds)
    return u'%d s' % seconds
