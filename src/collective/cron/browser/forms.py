# -*- coding: utf-8 -*-
"""The add and edit forms of a cron (z3c.form).

``@@cron-settings/add`` and ``@@cron-settings/<uid>/edit``. Each field is
checked with the model's own checks; an error is shown on its field.
"""
import json

from plone.z3cform.layout import FormWrapper
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from Products.statusmessages.interfaces import IStatusMessage
from z3c.form import button
from z3c.form import field
from z3c.form import form
from z3c.form.browser.checkbox import SingleCheckBoxFieldWidget
from zope import schema
from zope.component.hooks import getSite
from zope.interface import Interface
from zope.interface import Invalid

from collective.cron import _
from collective.cron.browser.base import EDIT
from collective.cron.browser.base import CrontabAccess
from collective.cron.browser.base import checked_post
from collective.cron.browser.base import cron_url
from collective.cron.browser.base import dashboard_url
from collective.cron.browser.base import require
from collective.cron.crontab import DEFAULT_LOGS_LIMIT
from collective.cron.crontab import MAX_LOGS_LIMIT
from collective.cron.crontab import Cron
from collective.cron.crontab import PeriodicityNeverOccurs
from collective.cron.crontab import check_environ
from collective.cron.crontab import check_logs_limit
from collective.cron.crontab import check_periodicity
from collective.cron.interfaces import InvalidCron
from collective.cron.job import has_runner
from collective.cron.utils import find_user
from collective.cron.utils import lacked_text
from collective.cron.utils import lacked_to_save


def valid_name(value):
    if not value.strip():
        raise Invalid(_(u'Enter the name of the task.'))
    return True


def valid_periodicity(value):
    try:
        check_periodicity(value)
    except PeriodicityNeverOccurs:
        raise Invalid(_(
            u'"${value}" never occurs: no date matches it (such as 31 '
            u'February).', mapping={u'value': value}))
    except InvalidCron:
        raise Invalid(_(
            u'"${value}" is not valid cron syntax: five fields, minute hour '
            u'day-of-month month day-of-week, e.g. "*/5 * * * *", or one of '
            u'@hourly, @daily, @weekly, @monthly, @yearly.',
            mapping={u'value': value}))
    return True


def valid_environ(value):
    try:
        check_environ(value)
    except InvalidCron:
        raise Invalid(_(u'The environ must be a JSON object, e.g. '
                        u'{"key": "value"}.'))
    return True


def valid_logs_limit(value):
    try:
        check_logs_limit(value)
    except InvalidCron:
        raise Invalid(_(u'Keep between 1 and ${max} logs.',
                        mapping={u'max': MAX_LOGS_LIMIT}))
    return True


def existing_user(value):
    if value.strip() and find_user(getSite(), value.strip()) is None:
        raise Invalid(_(u'There is no user "${user}" in this site or in the '
                        u'Zope root.', mapping={u'user': value}))
    return True


class ICronForm(Interface):
    """The settings of a cron, as a form shows them."""

    name = schema.TextLine(
        title=_(u'Name'),
        description=_(u'The task: the name of a job runner, or the path of '
                      u'a callable object from the site root.'),
        constraint=valid_name)
    periodicity = schema.TextLine(
        title=_(u'Periodicity'),
        description=_(u"Cron syntax, in the server's local time: five "
                      u'fields, minute hour day-of-month month day-of-week, '
                      u'or one of @hourly, @daily, @weekly, @monthly, '
                      u'@yearly. "*/5 * * * *" runs every five minutes, '
                      u'"0 3 * * *" every day at 03:00, "@daily" every day '
                      u'at 00:00.'),
        constraint=valid_periodicity)
    user = schema.TextLine(
        title=_(u'User'),
        description=_(u'The id of the user the task runs as (a user of the '
                      u'site or of the Zope root). Empty: no user.'),
        required=False,
        constraint=existing_user)
    activated = schema.Bool(
        title=_(u'Activated'),
        description=_(u'Only activated crons run.'),
        required=False,
        default=True)
    logs_limit = schema.Int(
        title=_(u'Logs limit'),
        description=_(u'How many of the last logs are kept (1 to 25).'),
        default=DEFAULT_LOGS_LIMIT,
        constraint=valid_logs_limit)
    senviron = schema.Text(
        title=_(u'Environ'),
        description=_(u'A JSON object handed to the task, e.g. '
                      u'{"path": "/news"}.'),
        required=False,
        default=u'{}',
        constraint=valid_environ)


def settings(data):
    """Cron keyword arguments from the form's data."""
    return {
        'name': data['name'].strip(),
        'periodicity': data['periodicity'].strip(),
        'user': (data.get('user') or u'').strip() or None,
        'activated': bool(data.get('activated')),
        'logs_limit': data['logs_limit'],
        'environ': data.get('senviron') or u'{}',
    }


class CronForm(CrontabAccess, form.Form):
    """What the add and edit forms share."""

    fields = field.Fields(ICronForm)
    fields['activated'].widgetFactory = SingleCheckBoxFieldWidget
    enableCSRFProtection = True

    def message(self, text, kind=u'info'):
        IStatusMessage(self.request).add(text, type=kind)

    def updateActions(self):
        """The first button is the primary one, the others standalone (as
        Plone's control panel forms)."""
        super(CronForm, self).updateActions()
        for position, name in enumerate(self.actions):
            self.actions[name].addClass(
                'context' if position == 0 else 'standalone')

    def warn(self, cron):
        """Save-time warnings (the cron is saved all the same, as 2.x did):
        a name other crons have, a name that matches no runner."""
        others = [other for other in self.crontab.crons.values()
                  if other.name == cron.name and other.uid != cron.uid]
        if others:
            self.message(_(u'Warning: "${name}" is also the name of '
                           u'${count} other cron(s).', mapping={
                               u'name': cron.name, u'count': len(others)}),
                         u'warning')
        if not has_runner(self.context, cron):
            self.message(_(u'Warning: "${name}" matches no job runner and '
                           u'no callable object of the site: its runs '
                           u'will do nothing (NOTRUN).',
                           mapping={u'name': cron.name}), u'warning')

    def valid_data(self, cron=None):
        """The form's data on a checked POST without errors, that the
        current user may save on ``cron`` (None: a new cron), else None."""
        if not checked_post(self.request, self.context):
            return None
        data, errors = self.extractData()
        if errors:
            self.status = self.formErrorsMessage
            return None
        data = settings(data)
        lacked = lacked_to_save(
            self.context, dict(data, environ=json.loads(data['environ'])),
            cron)
        if lacked:
            self.status = _(
                u'You may not save a cron that runs as "${user}": that user '
                u'has permissions you lack (${permissions}).',
                mapping={u'user': data['user'],
                         u'permissions': lacked_text(lacked)})
            return None
        return data

    def done(self, url, text=None):
        if text is not None:
            self.message(text)
        self.request.response.redirect(url)


class AddForm(CronForm):
    """Add a cron; then back to the dashboard."""

    label = _(u'Add a task')
    ignoreContext = True

    @button.buttonAndHandler(_(u'Add'), name='add')
    def handle_add(self, action):
        data = self.valid_data()
        if data is None:
            return
        try:
            cron = Cron(**data)
        except InvalidCron as exc:
            self.status = unicode(exc)
            return
        self.crontab.add_cron(cron)
        cron.save()
        self.done(dashboard_url(self.context), _(u'A new cron was added'))
        self.warn(cron)

    @button.buttonAndHandler(_(u'Cancel'), name='cancel')
    def handle_cancel(self, action):
        self.done(dashboard_url(self.context))


class EditForm(CronForm):
    """Edit a cron (``uid`` is set by the cron page's traversal)."""

    ignoreContext = False
    missing_name = 'cron-edit'

    @property
    def label(self):
        return _(u'Edit cron ${name}', mapping={u'name': self.cron.name})

    def getContent(self):
        cron = self.cron
        return {
            'name': cron.name,
            'periodicity': cron.periodicity,
            'user': cron.user or u'',
            'activated': cron.activated,
            'logs_limit': cron.logs_limit,
            'senviron': json.dumps(cron.environ, indent=2, sort_keys=True),
        }

    @property
    def action(self):
        """The cron's edit URL, however the form was reached (2.x:
        ``cron_edit?uid=``)."""
        return cron_url(self.context, self.cron) + '/edit'

    @button.buttonAndHandler(_(u'Apply'), name='apply')
    def handle_apply(self, action):
        cron = self.cron
        data = self.valid_data(cron)
        if data is None:
            return
        try:
            for key, value in data.items():
                setattr(cron, key, value)
        except InvalidCron as exc:
            self.status = unicode(exc)
            return
        cron.save()
        self.done(cron_url(self.context, cron), _(u'Changes saved'))
        self.warn(cron)

    @button.buttonAndHandler(_(u'Cancel'), name='cancel')
    def handle_cancel(self, action):
        self.done(cron_url(self.context, self.cron))


class CronFormWrapper(FormWrapper):
    """The Site Setup layout around a cron form."""

    index = ViewPageTemplateFile('templates/form.pt')
    cron_macros = ViewPageTemplateFile('templates/macros.pt')
    #: the cron the form edits (None: a new one)
    edited = None

    @property
    def dashboard_url(self):
        return dashboard_url(self.context)

    #: the zone the schedule preview's next runs are in ('': the crontab's)
    schedule_zone = u''

    def check(self):
        require(EDIT, self.context)

    def __call__(self):
        self.check()
        return super(CronFormWrapper, self).__call__()


class AddFormView(CronFormWrapper):
    form = AddForm


class EditFormView(CronFormWrapper):
    form = EditForm

    @property
    def edited(self):
        cron = self.form_instance.cron
        return {'name': cron.name, 'url': cron_url(self.context, cron)}

    @property
    def schedule_zone(self):
        return self.form_instance.cron.timezone or u''

    def check(self):
        super(EditFormView, self).check()
        self.form_instance.find_cron()
