# -*- coding: utf-8 -*-
"""The interfaces, error classes and event interfaces of collective.cron.

Everything an add-on programs against is named here; the implementations
live in one module per component (crontab, registry, cronmanager,
crontabmanager, job, events, exportimport). The job backend (IQueue,
IJobBackend, ICrontabMarker) is the package collective.cron.zcasync; the
rest of collective.cron reaches it only through these interfaces.
"""
import json

from zope import schema
from zope.interface import Attribute
from zope.interface import Interface
from zope.interface import Invalid
from zope.interface import implementedBy
from zope.interface.interfaces import ComponentLookupError
from zope.interface.interfaces import IObjectEvent
from zope.schema.interfaces import ConstraintNotSatisfied
from zope.schema.interfaces import RequiredMissing
from zope.schema.interfaces import ValidationError
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary

from collective.cron import _

#: 2.x: the name of the folder where CCRONUtils kept results (unused)
RESULTS_FOLDER = '--results--'
#: 2.x: the annotation key of the zc.async queue that lists the sites
#: using collective.cron ({'plone': [site path, ...]})
MANAGE_KEY = 'ccron.adapters.manager'


# -- the one exceptions hierarchy ------------------------------------------
# 2.x raised zope.schema / zope.interface errors for bad values; the classes
# below are ours and also are those errors, so 2.x ``except`` clauses work.

class CronError(Exception):
    """The root of collective.cron's errors."""


class InvalidObject(CronError, ValueError):
    """A Log, Cron or Crontab cannot be made from the given data."""


class InvalidLog(InvalidObject):
    """A log's data is not valid."""


class InvalidCron(InvalidObject):
    """A cron's settings are not valid (the message names field and value)."""


class InvalidCrontab(InvalidObject):
    """A crontab's data cannot be read."""


class CronFormatError(InvalidCron, Invalid):
    """A periodicity is not valid cron syntax."""


class InvalidCronValue(InvalidCron, ValidationError):
    """A cron field has a value of the wrong kind (e.g. environ)."""


class InvalidLogValue(InvalidLog, ValidationError):
    """A log field has a value of the wrong kind."""


class InvalidLogStatus(InvalidLog, ConstraintNotSatisfied):
    """A log status is none of FAILURE, OK, WARN, NOTRUN."""


class MissingLogValue(InvalidLog, RequiredMissing):
    """A log's date or status was set to None."""


class RegistryCrontabNotReady(InvalidCrontab):
    """The registry has no crontab records (profile not installed)."""


class AsyncQueueNotReady(CronError, ComponentLookupError):
    """No job queue is configured in this Zope process."""


class NoSuchCron(CronError, LookupError):
    """No cron has that uid."""


class NoSuchUserError(CronError, ValueError):
    """No user of that name in the site or in the Zope root."""


# -- 2.x helpers kept with their names --------------------------------------

job_status = SimpleVocabulary([
    SimpleTerm(0, '0', _(u'FAILURE')),
    SimpleTerm(1, '1', _(u'OK')),
    SimpleTerm(3, '3', _(u'NOTRUN')),
    SimpleTerm(2, '2', _(u'WARN')),
])


def is_json_dict(value):
    """True for nothing or a JSON object (text or dict); Invalid otherwise."""
    if not value:
        return True
    if isinstance(value, dict):
        return True
    try:
        loaded = json.loads(value)
    except (TypeError, ValueError):
        loaded = None
    if not isinstance(loaded, dict):
        raise Invalid('it is not a JSON dict: %r' % (value,))
    return True


def cronFormatValidator(value):
    """True for nothing or a valid periodicity; CronFormatError otherwise."""
    if value is None or value == '':
        return True
    from collective.cron.crontab import check_periodicity
    check_periodicity(value)
    return True


class ConstrainedObject(object):
    """Objects that check themselves against their first interface."""

    def verify(self):
        provided = list(implementedBy(self.__class__))
        errors = schema.getValidationErrors(provided[0], self)
        if errors:
            raise ValidationError(errors)


class IJsonRegistryAware(Interface):
    """Objects that dump() to JSON-able data and load() it back."""

    def load(mapping=None):
        """(classmethod) the object of ``mapping`` (an instance is
        returned as is)."""

    def dump():
        """JSON-able data that load() reads back."""


class ILog(IJsonRegistryAware):
    """One run of a cron."""

    date = Attribute('When the run ended: a naive datetime in the '
                     'server\'s local time (as 2.x)')
    status = Attribute('FAILURE (0), OK (1), WARN (2) or NOTRUN (3)')
    messages = Attribute('A list of unicode messages')
    sdate = Attribute('The date as text')
    sstatus = Attribute('The status title')

    def dump():
        """JSON-able data of this log."""


class ICron(IJsonRegistryAware):
    """A scheduled task of a site's crontab."""

    uid = Attribute('Unique hex id')
    name = Attribute('The task: a job runner name or a path from the site')
    periodicity = Attribute('Cron syntax, e.g. "*/5 * * * *", read in '
                            'the server\'s local time zone')
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


class ICrontab(IJsonRegistryAware):
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

    def dumps(value):
        """JSON text of a cron's dump()."""

    def loads(value):
        """The data of a JSON record."""

    def save():
        """Write every cron; drop records of removed crons."""

    def save_cron(cron):
        """Rewrite one cron's record only."""


class IJobRunner(Interface):
    """Does the work of a cron: a named multi-adapter (site, cron)."""

    def run():
        """Do the work. Return None (OK), or a message / list of messages
        (WARN); raise to fail."""


class IRunningJob(Interface):
    """The job that runs in this thread, as the job wrapper sees it (part
    of IQueue: the site's queue answers for the job it runs).

    Outside a job these give None / False and mark nothing. A job may be
    called again after a conflict or after its worker died: its notes keep
    what the first call wrote.
    """

    def running_notes():
        """The running job's notes (a persistent mapping), or None."""

    def running_due():
        """When the running job was due (aware UTC), or None (outside a
        job, or a job queued by "run now")."""

    def running_queued():
        """The real epoch seconds when the running job was queued, or None."""

    def other_run(cron_uid):
        """(job, since) of another job of the cron still running, or None."""

    def interrupted_run(cron_uid):
        """True when the running job already marked the cron as running (it
        was interrupted and is called again)."""

    def mark_running(cron_uid):
        """Mark the cron as run by the running job (two jobs marking one
        cron at once conflict: one of them is called again)."""

    def unmark_running(cron_uid):
        """Remove the cron's running mark if the running job made it."""


class IQueue(IRunningJob):
    """The job backend of a site (adapts the site).

    Two faces: our own, by cron uid (fast: jobs indexed by uid, no queue
    scan), and 2.x's, by "job infos" (a dict: job, context, begin_after,
    args, kwargs), which scans the queue as 2.x did. Our face gives the
    states of collective.cron.states; 2.x's face the backend's statuses.
    """

    job = Attribute('2.x: the callable of cron jobs (crontab.runJob)')
    jobs = Attribute('2.x: the jobs in the queue, a list')
    queue = Attribute('2.x: the backend\'s queue')
    service = Attribute('2.x: the backend\'s service that queues jobs')
    marker = Attribute('2.x: the ICrontabMarker of this site')
    configured = Attribute('True when jobs can be queued in this Zope '
                           'process (the backend is set up and its queues '
                           'are ready)')
    available = Attribute('True when the backend is set up in this Zope '
                          'process, even if its queues are not ready yet')

    # -- ours, by cron uid
    def register_cron_job(cron, begin_after=None, forced=False):
        """Queue a run of the cron at begin_after (None: now); return the
        job. A ``forced`` run ("run now") is never treated as missed."""

    def remove_cron_jobs(cron_uid):
        """Remove the cron's pending job; True if it had one."""

    def cron_job(cron_uid):
        """The cron's last queued job, or None."""

    def cron_uids():
        """The uids of the crons of this site that have a job."""

    def state(cron_uid):
        """(state, begins): the job's state, one of collective.cron.states
        (None without a job), and, for a pending job, when it begins."""

    def status(cron_uid):
        """The job's state (state(cron_uid)[0])."""

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

    def is_current(cron):
        """True when the cron's pending job was queued for its settings."""

    def last_poll():
        """When a worker of the backend last showed that it polls the
        queue (aware UTC; zc.async: a dispatcher's last ping or its
        activation), or None when no worker is activated. See
        collective.cron.late."""

    def remove_all():
        """Remove every cron job of this site."""

    # -- upgrades from 2.x
    def legacy_jobs():
        """The queued jobs of this site that run ``crontab.runJob`` but were
        not queued through register_cron_job (2.x's, or queued by hand)."""

    def clear_legacy_completed():
        """Forget the completed legacy jobs the backend keeps; return how
        many."""

    def clean_quotas():
        """Let the backend forget the completed jobs it keeps for its own
        bookkeeping (zc.async: its quotas); nothing for a backend without."""

    # -- 2.x, by job infos
    def get_job_infos(begin_after=None, job=None, context=None, *args,
                      **kwargs):
        """The job infos dict (job: runJob, context: the site by default)."""

    def register_job(job_infos):
        """Queue a job matching job_infos; True."""

    def remove(job):
        """Remove one job from the queue."""

    def remove_jobs(job_infos=None):
        """Remove the queued jobs matching job_infos."""

    def compare_job(job, job_infos):
        """True when the job matches job_infos."""

    def get_job_infos_from_job(job):
        """The job infos of a queued job."""

    def cron_of(job_infos):
        """The cron run by the job infos of a queued cron job (as
        get_job_infos_from_job gives them), or None."""

    def cleanup_before_job(job_infos=None, force=False):
        """Remove the stale pending job of job_infos (forced, later than
        job_infos' begin_after, overdue, or queued for other settings)."""

    def get_job_status(job_infos=None, only_active=False):
        """The status of the matching job, or None."""

    def is_job_present(job_infos=None):
        """True when a matching job is in the queue."""

    def is_job_pending(job_infos=None):
        """True when the matching job waits in the queue."""

    def is_job_running(job_infos=None):
        """True when the matching job is being run."""

    def is_job_finished(job_infos=None):
        """True when the matching job completed."""


class IJobBackend(Interface):
    """The job backend of this Zope process (a utility registered by the
    backend's zcml): what restart recovery needs before any site is open.
    """

    def marked_paths(app):
        """The paths of the sites marked as using cron (read through the
        connection of ``app``, the Zope application)."""

    def unmark_path(app, path):
        """Forget the site at ``path`` (it no longer exists)."""


class IAsyncManager(Interface):
    """2.x: what the cron and crontab managers share."""

    queue = Attribute('The IQueue of the site')

    def get_job_infos(begin_after=None, job=None, context=None, *args,
                      **kwargs):
        """The job infos of this manager's job(s), see IQueue."""


class ICronManager(IAsyncManager):
    """Registers / removes the job of one cron (adapts site, cron)."""

    def register_job(begin_after=None, force=False):
        """Queue the cron's next run (now with force) unless a current job
        is pending; True when a job was queued, else False."""

    def remove_jobs(job_infos=None):
        """Remove the cron's pending jobs."""

    def register_or_remove(force=False):
        """Queue the cron if it should run, remove its jobs if not; return
        (activated, what register_job or remove_jobs returned)."""


class ICrontabManager(IAsyncManager):
    """Keeps a site's queue in step with its crontab (adapts site, crontab)."""

    def is_job_to_be_removed(job_infos):
        """True for the job infos of a cron job of this site whose cron is
        not in the crontab."""

    def synchronize_crontab_with_queue():
        """Remove jobs of removed crons; register or remove each cron's.
        Returns {'jobs': [{'activated': bool, 'cron': cron}, ...],
        'deleted': [job infos, ...]}."""


class ICrontabMarker(Interface):
    """Notes in the async queue which sites use cron (adapts site, queue;
    our own code also adapts the site alone)."""

    annotations = Attribute('The queue\'s collective.cron annotations, '
                            '{"plone": [site path, ...]}')
    marked = Attribute('Whether the site is marked')
    key = Attribute('The site\'s path, as noted in the annotations')

    def mark_crontab_aware():
        """Mark the site."""

    def unmark_crontab_aware():
        """Unmark the site."""

    def mark():
        """Mark the site (mark_crontab_aware)."""

    def unmark():
        """Unmark the site (unmark_crontab_aware)."""


class IAnnotedQueue(Interface):
    """2.x: the collective.cron annotations of the queue (adapts the
    backend's queue)."""

    queue = Attribute('The backend\'s queue')
    annotations = Attribute('{"plone": [site path, ...]}, kept under '
                            'MANAGE_KEY')


class IExportImporter(Interface):
    """Reads and writes crons.xml (adapts site, crontab)."""

    context = Attribute('The site')
    crontab = Attribute('The crontab')

    def do_export():
        """The crontab as crons.xml text."""

    def do_import(xmlfile):
        """Add, change or remove crons from crons.xml text or a file."""


class ICCRONUtils(Interface):
    """2.x: helpers for job runners (adapts site, cron)."""

    def getFolder(id, title='Folder', context=None):
        """The folder ``id`` in context (the site by default), made if
        missing."""


class ICollectiveCronLayer(Interface):
    """The browser layer of collective.cron."""


#: 2.x's name of the browser layer (registered in 2.x sites' component
#: registries under this dotted name)
ILayer = ICollectiveCronLayer


class IModifiedCrontabEvent(IObjectEvent):
    """A crontab was saved; object is the crontab."""

    cron = Attribute('The one cron saved, or None for the whole crontab')


class ICrontabSynchronisationEvent(IObjectEvent):
    """A site's queue must be synchronised with its crontab; object is the
    site."""

    crontab = Attribute('The crontab, or None: read it from the registry')
    cron = Attribute('Only this cron changed, or None: check them all')


class ICrontabCronSynchronisationEvent(IObjectEvent):
    """2.x: one cron of a crontab must be synchronised (never fired by
    2.x nor by us)."""

    cron = Attribute('The cron')


class IServerRestartEvent(IObjectEvent):
    """The async queue is ready after Zope (re)started; object is a site."""

    crontab = Attribute('The site\'s crontab, or None')


class IStartedCronJobEvent(IObjectEvent):
    """A cron job started; object is the site, cron is the cron."""

    cron = Attribute('The cron')


class IFinishedCronJobEvent(IObjectEvent):
    """A cron job finished; object is the site, cron is the cron."""

    cron = Attribute('The cron')


# -- the dashboard's viewlet managers ----------------------------------------
# (this section was appended to the module: its imports are here)
from zope.contentprovider.interfaces import ITALNamespaceData  # noqa: E402
from zope.interface import directlyProvides  # noqa: E402
from zope.viewlet.interfaces import IViewletManager  # noqa: E402


class ICronActions(IViewletManager):
    """``collective.cron.cronactions``: add-on actions on a cron's page
    (``@@cron-settings/<uid>``), in its actions area.

    A viewlet reads its cron as ``self.manager.cron``; ``self.view`` is the
    cron's page (its ``can_edit``, ``dashboard_url``, ``url``).
    """

    cron = Attribute('The cron of the page (an ICron)')


class ICronRowData(Interface):
    """The template variable the row manager reads (``row``: the
    dashboard's row, a dict with the cron's ``uid``, ``name``, ``url``)."""

    row = schema.Dict(title=u'The dashboard row of the cron', required=False)


directlyProvides(ICronRowData, ITALNamespaceData)


class ICronRowActions(IViewletManager):
    """``collective.cron.cronrowactions``: add-on actions in each row of
    the dashboard's table of crons (``@@cron-settings``).

    A viewlet reads the row's cron as ``self.manager.cron`` and the row as
    ``self.manager.row``; ``self.view`` is the dashboard. Whether any
    viewlet is registered for it is looked up once per page: without one,
    a row renders nothing (the provider expression's own cost, about 40
    microseconds).
    """

    cron = Attribute('The cron of the row (an ICron)')
    row = Attribute('The dashboard row of the cron (a dict)')


class ICrontabZoneSettings(Interface):
    """The crontab-wide time zone (a record of its own: sites made before
    it get it from the 3001 upgrade step)."""

    timezone = schema.TextLine(
        title=_(u'Time zone of the crontab'),
        description=_(u'The IANA time zone (e.g. Europe/Paris) in which the '
                      u'periodicities of crons without a time zone of their '
                      u'own are read. Empty: the server\'s local time zone.'),
        default=u'',
        required=False,
    )
