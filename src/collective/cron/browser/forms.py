# -*- coding: utf-8 -*-
"""The add and edit forms of a cron (z3c.form).

``@@cron-settings/add`` and ``@@cron-settings/<uid>/edit``. Each field is
checked with the model's own checks; an error is shown on its field.

The optional settings (``Cron.OPTIONAL_SETTINGS``: time zone, misfire
policy and grace, failure alert threshold and recipients) are stored
only when set: saved empty, the cron's record has no such key, as 2.x's
records. A request without their fields (2.x's forms knew nothing of
them) leaves an edited cron's values as they are.
"""
import json
from xml.sax.saxutils import escape

import pytz
import six
from plone.z3cform.layout import FormWrapper
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from Products.statusmessages.interfaces import IStatusMessage
from z3c.form import button
from z3c.form import field
from z3c.form import form
from z3c.form.browser.checkbox import SingleCheckBoxFieldWidget
from zope import schema
from zope.component.hooks import getSite
from zope.i18n import translate
from zope.interface import Interface
from zope.interface import Invalid
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary

from collective.cron import _
from collective.cron.alerts import mail_settings
from collective.cron.browser.base import EDIT
from collective.cron.browser.base import CrontabAccess
from collective.cron.browser.base import checked_post
from collective.cron.browser.base import cron_url
from collective.cron.browser.base import dashboard_url
from collective.cron.browser.base import require
from collective.cron.browser.base import server_zone
from collective.cron.crontab import DEFAULT_ALERT_AFTER
from collective.cron.crontab import DEFAULT_LOGS_LIMIT
from collective.cron.crontab import DEFAULT_MISFIRE_GRACE
from collective.cron.crontab import MAX_LOGS_LIMIT
from collective.cron.crontab import Cron
from collective.cron.crontab import PeriodicityNeverOccurs
from collective.cron.crontab import RUN_ONCE
from collective.cron.crontab import SKIP
from collective.cron.crontab import check_alert_after
from collective.cron.crontab import check_alert_to
from collective.cron.crontab import check_environ
from collective.cron.crontab import check_logs_limit
from collective.cron.crontab import check_misfire_grace
from collective.cron.crontab import check_periodicity
from collective.cron.crontab import check_timezone
from collective.cron.interfaces import InvalidCron
from collective.cron.job import has_runner
from collective.cron.utils import find_user
from collective.cron.utils import lacked_text
from collective.cron.utils import lacked_to_save
from collective.cron.utils import text


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


def valid_timezone(value):
    try:
        check_timezone(value)
    except InvalidCron:
        raise Invalid(_(
            u'"${value}" is not a time zone: enter an IANA name such as '
            u'Europe/Paris, or nothing for the crontab\'s zone.',
            mapping={u'value': value}))
    return True


def valid_misfire_grace(value):
    try:
        check_misfire_grace(value)
    except InvalidCron:
        raise Invalid(_(
            u'"${value}" is not a number of seconds: enter a whole number, '
            u'0 or more, or nothing for ${default} seconds.',
            mapping={u'value': value, u'default': DEFAULT_MISFIRE_GRACE}))
    return True


def valid_alert_after(value):
    try:
        check_alert_after(value)
    except InvalidCron:
        raise Invalid(_(
            u'"${value}" is not a number of failures: enter a whole number, '
            u'0 (never alert) or more, or nothing for ${default}.',
            mapping={u'value': value, u'default': DEFAULT_ALERT_AFTER}))
    return True


def bad_address(value):
    """The first word of ``value`` (words separated by commas, semicolons
    or spaces, as the model splits them) that the model refuses."""
    for word in value.replace(u',', u' ').replace(u';', u' ').split():
        try:
            check_alert_to(word)
        except InvalidCron:
            return word
    return value


def valid_alert_to(value):
    try:
        check_alert_to(value)
    except InvalidCron:
        raise Invalid(_(
            u'"${value}" is not an email address: enter addresses such as '
            u'ops@example.org, separated by commas or new lines.',
            mapping={u'value': bad_address(value)}))
    return True


misfire_vocabulary = SimpleVocabulary([
    SimpleTerm(RUN_ONCE, str(RUN_ONCE),
               _(u'Run once: one catch-up run, then back on schedule')),
    SimpleTerm(SKIP, str(SKIP),
               _(u'Skip: no catch-up run if it starts too late')),
])


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
        description=_(u'Cron syntax, in the time zone below: five '
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
    timezone = schema.TextLine(
        title=_(u'Time zone'),
        description=_(u'An IANA name such as Europe/Paris. Empty: the '
                      u'crontab\'s zone.'),
        required=False,
        constraint=valid_timezone)
    misfire = schema.Choice(
        title=_(u'Missed runs'),
        description=_(u'What a run missed while no worker ran (the site '
                      u'was down, the queue stopped) does. Empty: as '
                      u'collective.cron 2.x, a run more than 2 minutes late '
                      u'is dropped, with no log. Run once: it runs once '
                      u'when a worker is back, however many were missed. '
                      u'Skip: a run that starts later than the grace period '
                      u'after its time does not run; it is logged NOTRUN '
                      u'"missed, skipped".'),
        required=False,
        vocabulary=misfire_vocabulary)
    misfire_grace = schema.TextLine(
        title=_(u'Grace period (seconds)'),
        description=_(u'How late a run may start under Skip. Empty: '
                      u'${default} seconds.',
                      mapping={u'default': DEFAULT_MISFIRE_GRACE}),
        required=False,
        constraint=valid_misfire_grace)
    alert_after = schema.TextLine(
        title=_(u'Alert after N failures'),
        description=_(u'After this many failed runs in a row, one alert '
                      u'email is sent, through Plone\'s mail settings. '
                      u'Empty: ${default}. 0: never.',
                      mapping={u'default': DEFAULT_ALERT_AFTER}),
        required=False,
        constraint=valid_alert_after)
    alert_to = schema.Text(
        title=_(u'Alert recipients'),
        description=_(u'Who gets the alert email: addresses separated by '
                      u'commas or new lines. Empty: the site\'s \'From\' '
                      u'address of Plone\'s mail settings.'),
        required=False,
        constraint=valid_alert_to)

#: the time zone field's help, with the zone an empty value stands for
ZONE_HELP = _(u'The zone the periodicity is read in, an IANA name such as '
              u'Europe/Paris or America/New_York; its daylight saving '
              u'changes are followed. Empty: the crontab\'s zone, ${zone}.')
#: the recipients field's help, with the site's 'From' address
ALERT_TO_HELP = _(u'Who gets the alert email: addresses separated by '
                  u'commas or new lines. Empty: the site\'s \'From\' '
                  u'address, ${address}.')
#: the form's fields of Cron.OPTIONAL_SETTINGS
OPTIONAL_FIELDS = ('timezone', 'misfire', 'misfire_grace', 'alert_after',
                   'alert_to')


def settings(data):
    """Cron keyword arguments from the form's data (None for an empty
    optional setting: not stored)."""
    found = {
        'name': data['name'].strip(),
        'periodicity': data['periodicity'].strip(),
        'user': (data.get('user') or u'').strip() or None,
        'activated': bool(data.get('activated')),
        'logs_limit': data['logs_limit'],
        'environ': data.get('senviron') or u'{}',
    }
    for key in OPTIONAL_FIELDS:
        if key in data:
            found[key] = check_optional(key, data[key])
    return found


def check_optional(key, value):
    """An optional setting's value as the model stores it (None: unset)."""
    checks = {'timezone': check_timezone,
              'misfire_grace': check_misfire_grace,
              'alert_after': check_alert_after,
              'alert_to': check_alert_to}
    if key in checks:
        return checks[key](value)
    return value or None


class CronForm(CrontabAccess, form.Form):
    """What the add and edit forms share."""

    fields = field.Fields(ICronForm)
    fields['activated'].widgetFactory = SingleCheckBoxFieldWidget
    enableCSRFProtection = True

    def message(self, text, kind=u'info'):
        IStatusMessage(self.request).add(text, type=kind)

    def updateWidgets(self):
        """The time zone field names the zone an empty value stands for,
        the recipients field the site's 'From' address (when set); an
        empty misfire policy says it is 2.x's."""
        super(CronForm, self).updateWidgets()
        zone = self.default_zone()
        timezone = self.widgets['timezone']
        timezone.placeholder = zone
        timezone.description = escape(translate(
            _(ZONE_HELP, mapping={u'zone': zone}), context=self.request))
        self.widgets['misfire'].noValueMessage = _(u'As 2.x (the default)')
        self.widgets['alert_to'].rows = 3
        address = self.site_address()
        if address:
            self.widgets['alert_to'].description = escape(translate(
                _(ALERT_TO_HELP, mapping={u'address': address}),
                context=self.request))

    def site_address(self):
        """The site's 'From' address in Plone's mail settings, or None."""
        settings = mail_settings(self.context)
        address = settings and settings.email_from_address
        return text(address) if address else None

    def default_zone(self):
        """The name of the zone of a cron without one: the crontab's, else
        the server's."""
        zone = getattr(self.crontab, 'timezone', None) or server_zone()[1]
        return text(zone)

    def absent_fields(self):
        """The optional fields the request does not carry (2.x's forms):
        the z3c.form widgets post their name, a select its empty marker."""
        form = self.request.form
        return [key for key in OPTIONAL_FIELDS
                if self.widgets[key].name not in form
                and self.widgets[key].name + '-empty-marker' not in form]

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
            self.message(_(u'"${name}" is also the name of '
                           u'${count} other cron(s).', mapping={
                               u'name': cron.name, u'count': len(others)}),
                         u'warning')
        if not has_runner(self.context, cron):
            self.message(_(u'"${name}" matches no job runner and '
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
        for key in self.absent_fields():
            del data[key]
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
            self.status = six.text_type(exc)
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
            'timezone': cron.timezone or u'',
            'misfire': cron.misfire,
            'misfire_grace': (u'' if cron.misfire_grace is None
                              else six.text_type(cron.misfire_grace)),
            'alert_after': (u'' if cron.alert_after is None
                            else six.text_type(cron.alert_after)),
            'alert_to': u'\n'.join(cron.alert_to or []),
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
            self.status = six.text_type(exc)
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
    #: the time zone field's suggestions (a datalist)
    common_zones = pytz.common_timezones

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
