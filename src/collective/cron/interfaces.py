# -*- coding: utf-8 -*-
"""The interfaces, error classes and event interfaces of collective.cron.

Everything an add-on programs against is named here; the implementations
live in one module per component (crontab, registry, queue, cronmanager,
crontabmanager, marker, job, events, exportimport).
"""
from zope import schema
from zope.annotation.interfaces import IAttributeAnnotatable
from zope.interface import Attribute
from zope.interface import Interface
from zope.interface.interfaces import IObjectEvent

from collective.cron import _


class InvalidCron(ValueError):
    """A cron's settings are not valid (the message names field and value)."""


class InvalidCrontab(ValueError):
    """A crontab's data cannot be read."""


class CronFormatError(InvalidCron):
    """A periodicity is not valid cron syntax."""


class ILog(Interface):
    """One run of a cron."""

    date = Attribute('When the run ended: a timezone-aware UTC datetime')
    status = Attribute('FAILURE (0), OK (1), WARN (2) or NOTRUN (3)')
    messages = Attribute('A list of unicode messages')
    sdate = Attribute('The date as text')
    sstatus = Attribute('The status title')

    def dump():
        """JSON-able data of this log."""


class ICron(Interface):
    """A scheduled task of a site's crontab."""

    uid = Attribute('Unique hex id')
    name = Attribute('The task: a job runner name or a path from the site')
    periodicity = Attribute('Cron syntax, e.g. "*/5 * * * *" (UTC)')
    environ = Attribute('A dict handed to the task')
    logs_limit = Attribute('How many logs are kept (1..25)')
    user = Attribute('The user id the task runs as, or None')
    activated = Attribute('Whether the task runs')
    logs = Attribute('The logs, newest first')
    crontab = Attribute('The crontab the cron belongs to, or None')
    next = Attribute('The next run, a timezone-aware UTC datetime')

    def log(date=None, status=None, messages=None):
        """Add a log, newest first, trimmed to logs_limit."""

    def dump():
        """JSON-able data of this cron."""

    def save():
        """Save this cron (only this cron) through its crontab."""


class ICrontab(Interface):
    """The ordered collection of a site's crons."""

    crons = Attribute('An ordered mapping uid -> ICron')
    activated = Attribute('The global switch')
    read_only = Attribute('When true, saving does nothing')
    manager = Attribute('The ICrontabRegistryManager of this crontab')

    def add_cron(cron):
        """Add a cron; a uid clash gives the newcomer a new uid."""

    def by(**kwargs):
        """The crons matching every given attribute."""

    def save():
        """Write every cron to the registry."""

    def save_cron(cron):
        """Write one cron's record to the registry."""

    def dump():
        """JSON-able data of this crontab."""


class IRegistryCrontab(Interface):
    """The registry records of the crontab (2.x compatible names)."""

    activated = schema.Bool(
        title=_(u'Crontab activated'),
        description=_(u'When off, no cron of this site runs.'),
        default=True,
        required=False,
    )
    crontab = schema.List(
        title=_(u'Crontab'),
        description=_(u'One JSON string per cron'),
        value_type=schema.Text(title=_(u'Cron (JSON)')),
        default=[],
        required=False,
    )


class ICrontabRegistryManager(Interface):
    """Reads and writes a crontab in the site's plone.app.registry."""

    cronsettings = Attribute('The IRegistryCrontab records proxy')
    activated = Attribute('The registry activated flag')
    crontab = Attribute('The list of JSON records')
    read_only = Attribute('When true, save() and save_cron() do nothing')

    def save():
        """Write every cron; drop records of removed crons."""

    def save_cron(cron):
        """Rewrite one cron's record only."""


class IJobRunner(Interface):
    """Does the work of a cron: a named multi-adapter (site, cron)."""

    def run():
        """Do the work. Return None (OK), or a message / list of messages
        (WARN); raise to fail."""


class IQueue(Interface):
    """The job backend of a site (plone.app.async / zc.async)."""

    def register_job(cron, begin_after=None):
        """Queue a run of the cron; return the job."""

    def remove_jobs(cron_uid):
        """Remove the cron's pending jobs."""

    def job(cron_uid):
        """The cron's last queued job, or None."""

    def cron_uids():
        """The uids of the crons of this site that have a job."""

    def state(cron_uid):
        """(status, begins): the job's status (None without a job) and,
        for a pending job, when it begins."""

    def is_present(cron_uid):
        """True when the cron's job is pending or running."""

    def is_pending(cron_uid):
        """True when the cron's job waits for its time."""

    def is_running(cron_uid):
        """True when the cron's job is being run."""

    def is_finished(cron_uid):
        """True when the cron's last job completed (none queued since)."""

    def begins(cron_uid):
        """When the cron's pending job begins (aware UTC), or None."""

    def remove_all():
        """Remove every cron job of this site."""


class ICronManager(Interface):
    """Registers / removes the job of one cron (adapts site, cron)."""

    def register_job(begin_after=None, force=False):
        """Queue the next (or, with force, an immediate) run."""

    def remove_jobs():
        """Remove the cron's jobs."""

    def register_or_remove():
        """Queue the cron if it should run, remove its jobs if not."""


class ICrontabManager(Interface):
    """Keeps a site's queue in step with its crontab (adapts site, crontab)."""

    def synchronize_crontab_with_queue():
        """Remove jobs of removed crons; register or remove each cron's."""


class ICrontabMarker(Interface):
    """Notes in the async queue which sites use cron."""

    marked = Attribute('Whether the site is marked')

    def mark():
        """Mark the site."""

    def unmark():
        """Unmark the site."""


class IAnnotedQueue(IAttributeAnnotatable):
    """Marker for the zc.async queue that holds collective.cron annotations."""


class IExportImporter(Interface):
    """Reads and writes crons.xml."""


class ICollectiveCronLayer(Interface):
    """The browser layer of collective.cron."""


class IModifiedCrontabEvent(IObjectEvent):
    """A crontab was saved."""

    cron = Attribute('The one cron saved, or None for the whole crontab')


class ICrontabSynchronisationEvent(IObjectEvent):
    """A site's queue must be synchronised with its crontab."""

    cron = Attribute('Only this cron changed, or None: check them all')


class IServerRestartEvent(IObjectEvent):
    """The async queue is ready after Zope (re)started; object is a site."""


class IStartedCronJobEvent(IObjectEvent):
    """A cron job started; object is the site, cron is the cron."""

    cron = Attribute('The cron')


class IFinishedCronJobEvent(IObjectEvent):
    """A cron job finished; object is the site, cron is the cron."""

    cron = Attribute('The cron')
