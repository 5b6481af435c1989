# -*- coding: utf-8 -*-
"""The data model: Crontab, Cron and Log, and the Runner base class.

A crontab is an ordered mapping of crons; each cron keeps its newest logs.
All three ``dump()`` to JSON-able data and ``load()`` it back; the crontab
is persisted in the site's registry by the ICrontabRegistryManager
(collective.cron.registry), one JSON string per cron.
"""
import calendar
import datetime
import json
import logging
import uuid
from collections import OrderedDict

import pytz
from croniter import croniter
from zope.component import queryAdapter
from zope.interface import implementer
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary

from collective.cron import _
from collective.cron.interfaces import CronFormatError
from collective.cron.interfaces import ICron
from collective.cron.interfaces import ICrontab
from collective.cron.interfaces import ICrontabRegistryManager
from collective.cron.interfaces import IJobRunner
from collective.cron.interfaces import ILog
from collective.cron.interfaces import InvalidCron
from collective.cron.interfaces import InvalidCrontab
from collective.cron.utils import asbool
from collective.cron.utils import now
from collective.cron.utils import text
from collective.cron.utils import to_utc

logger = logging.getLogger('collective.cron')

FAILURE = 0
OK = 1
WARN = 2
NOTRUN = 3
STATUS_TITLES = OrderedDict([
    (FAILURE, _(u'FAILURE')),
    (OK, _(u'OK')),
    (WARN, _(u'WARN')),
    (NOTRUN, _(u'NOTRUN')),
])
status_vocabulary = SimpleVocabulary([
    SimpleTerm(value, str(value), title)
    for value, title in STATUS_TITLES.items()
])

DATE_FORMAT = '%Y-%m-%d %H:%M:%S'
DATE_FORMATS = (DATE_FORMAT, '%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%dT%H:%M:%S',
                '%Y-%m-%dT%H:%M:%S.%f', '%Y-%m-%d %H:%M')
DEFAULT_LOGS_LIMIT = 5
MAX_LOGS_LIMIT = 25

#: periodicities already checked with croniter (checking is the slow part)
_valid_periodicities = set()
#: (periodicity, start second) -> next run timestamp
_next_runs = {}
NEXT_RUNS_CACHE_SIZE = 10000


class NoSuchCron(LookupError):
    """No cron has that uid."""


def invalid(field, value, why):
    return InvalidCron('Invalid cron %s %r: %s' % (field, value, why))


def parse_date(value, field='date'):
    """A datetime (or text in DATE_FORMATS, taken as UTC) as aware UTC."""
    if isinstance(value, basestring):
        for fmt in DATE_FORMATS:
            try:
                return pytz.UTC.localize(
                    datetime.datetime.strptime(value.strip(), fmt))
            except ValueError:
                continue
        raise invalid(field, value, 'expected "YYYY-MM-DD HH:MM:SS"')
    try:
        return to_utc(value)
    except ValueError:
        raise invalid(field, value, 'not a date')


def format_date(value):
    return value.strftime(DATE_FORMAT) if value is not None else u''


def check_periodicity(value):
    if not isinstance(value, basestring) or not value.strip():
        raise CronFormatError(
            'Invalid cron periodicity %r: expected cron syntax such as '
            '"*/5 * * * *"' % (value,))
    value = text(value).strip()
    if value not in _valid_periodicities:
        # croniter reads a 6th field as seconds (and a 7th as the year):
        # '* * * * * *' would run every second
        if len(value.split()) > 5 or not croniter.is_valid(value):
            raise CronFormatError(
                'Invalid cron periodicity %r: not valid cron syntax '
                '(minute hour day-of-month month day-of-week)' % (value,))
        _valid_periodicities.add(value)
    return value


def check_environ(value):
    if value is None or value == u'' or value == '':
        return {}
    if isinstance(value, basestring):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise invalid('environ', value, 'not JSON (%s)' % exc)
    if not isinstance(value, dict):
        raise invalid('environ', value, 'must be a JSON object')
    try:
        json.dumps(value)
    except (TypeError, ValueError) as exc:
        raise invalid('environ', value, 'not JSON-able (%s)' % exc)
    return value


def check_logs_limit(value):
    try:
        limit = int(value)
    except (TypeError, ValueError):
        raise invalid('logs_limit', value, 'not a number')
    if isinstance(value, float) and value != limit:
        raise invalid('logs_limit', value, 'not a whole number')
    if not 1 <= limit <= MAX_LOGS_LIMIT:
        raise invalid('logs_limit', value,
                      'must be between 1 and %s' % MAX_LOGS_LIMIT)
    return limit


def check_name(value):
    if not isinstance(value, basestring) or not value.strip():
        raise invalid('name', value, 'must be a non-empty string')
    return text(value).strip()


def check_user(value):
    if value is None or (isinstance(value, basestring) and not value.strip()):
        return None
    if not isinstance(value, basestring):
        raise invalid('user', value, 'must be a user id (a string)')
    return text(value).strip()


def check_uid(value):
    if value is None or value == u'':
        return uuid.uuid4().hex
    if not isinstance(value, basestring):
        raise invalid('uid', value, 'must be a string')
    return text(value)


def check_bool(field, value):
    try:
        return asbool(value)
    except ValueError:
        raise invalid(field, value, 'not a boolean')


def checked(field, check):
    """A property that stores ``check(value)`` in ``_field``."""
    attribute = '_' + field

    def get(self):
        return getattr(self, attribute)

    def set_(self, value):
        setattr(self, attribute, check(value))
    return property(get, set_)


def next_run(periodicity, start=None):
    """The first time after ``start`` (default: now) that matches.

    Results are cached per (periodicity, second): a synchronisation asks
    the same question for many crons within the same second.
    """
    start = to_utc(start) if start is not None else now()
    timestamp = calendar.timegm(start.utctimetuple())
    key = (periodicity, timestamp)
    following = _next_runs.get(key)
    if following is None:
        if len(_next_runs) > NEXT_RUNS_CACHE_SIZE:
            _next_runs.clear()
        following = croniter(periodicity, timestamp).get_next(float)
        _next_runs[key] = following
    return datetime.datetime.fromtimestamp(following, pytz.UTC)


def decode_json(data, what):
    if isinstance(data, basestring):
        try:
            return json.loads(data)
        except ValueError as exc:
            raise InvalidCron('Invalid %s: not JSON (%s): %r'
                              % (what, exc, data[:200]))
    return data


class Comparable(object):
    """``!=`` from ``__eq__``; unhashable (the values can change)."""

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None


@implementer(ILog)
class Log(Comparable):
    """One run of a cron: date (aware UTC), status and messages."""

    def __init__(self, date=None, status=None, messages=None):
        self.date = parse_date(date) if date is not None else now()
        self.status = self.check_status(OK if status is None else status)
        self.messages = self.check_messages(messages)

    @staticmethod
    def check_status(value):
        if isinstance(value, basestring) and value.strip().isdigit():
            value = int(value)
        if value not in STATUS_TITLES or isinstance(value, bool):
            raise invalid('log status', value,
                          'must be one of %s' % list(STATUS_TITLES))
        return value

    @staticmethod
    def check_messages(value):
        if value is None:
            return []
        if isinstance(value, (basestring, int, float)):
            value = [value]
        if not isinstance(value, (list, tuple)):
            raise invalid('log messages', value, 'must be a list of text')
        return [text(message) for message in value]

    @property
    def sdate(self):
        return format_date(self.date)

    @property
    def sstatus(self):
        return STATUS_TITLES[self.status]

    def dump(self):
        return {'date': self.sdate, 'status': self.status,
                'messages': list(self.messages)}

    @classmethod
    def load(cls, data):
        data = decode_json(data, 'log')
        if isinstance(data, Log):
            return cls(data.date, data.status, data.messages)
        if not isinstance(data, dict):
            raise invalid('log', data, 'must be an object')
        return cls(data.get('date'), data.get('status'), data.get('messages'))

    def __eq__(self, other):
        if not isinstance(other, Log):
            return NotImplemented
        return self.dump() == other.dump()

    def __repr__(self):
        return '<Log %s %s %r>' % (self.sdate, self.sstatus, self.messages)


def load_logs(logs):
    if logs is None:
        return []
    if not isinstance(logs, (list, tuple)):
        raise invalid('logs', logs, 'must be a list')
    loaded = [Log.load(log) for log in logs]
    loaded.sort(key=lambda log: log.date, reverse=True)
    return loaded


@implementer(ICron)
class Cron(Comparable):
    """A task of a crontab: what to run (name), when (periodicity, UTC),
    with what (environ), as whom (user), and its newest logs."""

    SETTINGS = ('uid', 'name', 'periodicity', 'environ', 'activated',
                'user', 'logs_limit')

    def __init__(self, uid=None, name=None, user=None, activated=False,
                 periodicity=None, logs=None, environ=None, crontab=None,
                 logs_limit=DEFAULT_LOGS_LIMIT):
        self._crontab = None
        self.uid = check_uid(uid)
        self.name = name
        self.user = user
        self.activated = activated
        self.periodicity = periodicity
        self.environ = environ
        self._logs_limit = check_logs_limit(logs_limit)
        self.logs = load_logs(logs)[:self._logs_limit]
        self.crontab = crontab

    name = checked('name', check_name)
    user = checked('user', check_user)
    periodicity = checked('periodicity', check_periodicity)
    environ = checked('environ', check_environ)
    activated = checked('activated', lambda value: check_bool('activated',
                                                               value))

    @property
    def logs_limit(self):
        return self._logs_limit

    @logs_limit.setter
    def logs_limit(self, value):
        self._logs_limit = check_logs_limit(value)
        del self.logs[self._logs_limit:]

    @property
    def crontab(self):
        return self._crontab

    @crontab.setter
    def crontab(self, crontab):
        if crontab is self._crontab:
            return
        previous = self._crontab
        if previous is not None and previous.crons.get(self.uid) is self:
            del previous.crons[self.uid]
        self._crontab = None
        if crontab is not None:
            crontab.add_cron(self)

    def change_uid(self):
        """Give this cron a fresh uid (keeping its place in its crontab)."""
        old, self.uid = self.uid, uuid.uuid4().hex
        crontab = self._crontab
        if crontab is not None and crontab.crons.get(old) is self:
            crontab.crons = OrderedDict(
                (self.uid if key == old else key, cron)
                for key, cron in crontab.crons.items())
        return self.uid

    @property
    def next(self):
        return next_run(self.periodicity)

    @property
    def snext(self):
        return format_date(self.next)

    @property
    def last(self):
        return self.logs[0] if self.logs else None

    @property
    def last_date(self):
        return self.last.date if self.logs else None

    @property
    def last_status(self):
        return self.last.status if self.logs else None

    @property
    def last_messages(self):
        return self.last.messages if self.logs else []

    @property
    def slast(self):
        if not self.logs:
            return u''
        return u'%s %s' % (self.last.sdate, self.last.sstatus)

    def log(self, date=None, status=None, messages=None):
        """Add a log (newest first, trimmed to logs_limit); return it."""
        entry = Log(date, status, messages)
        position = 0
        while (position < len(self.logs)
               and self.logs[position].date > entry.date):
            position += 1
        self.logs.insert(position, entry)
        del self.logs[self.logs_limit:]
        return entry

    def settings(self):
        """The settings that do not depend on the crontab (no logs)."""
        return dict((key, getattr(self, key)) for key in self.SETTINGS)

    def similar(self, other):
        return (isinstance(other, Cron)
                and self.settings() == other.settings())

    def dump(self):
        data = self.settings()
        data['logs'] = [log.dump() for log in self.logs]
        return data

    @classmethod
    def load(cls, data, crontab=None):
        if isinstance(data, Cron):
            data = data.dump()
        data = decode_json(data, 'cron')
        if not isinstance(data, dict):
            raise invalid('record', data, 'must be a JSON object')
        kwargs = dict((key, data[key]) for key in cls.SETTINGS + ('logs',)
                      if key in data)
        kwargs.setdefault('logs_limit', DEFAULT_LOGS_LIMIT)
        return cls(crontab=crontab, **kwargs)

    def save(self):
        if self.crontab is None:
            raise InvalidCrontab('cron %s is in no crontab: add it to one '
                                 'before saving it' % self.uid)
        self.crontab.save_cron(self)

    def __eq__(self, other):
        if not isinstance(other, Cron):
            return NotImplemented
        return self.similar(other) and self.logs == other.logs

    def __repr__(self):
        state = 'ON' if self.activated else 'OFF'
        try:
            when = self.snext
        except (ValueError, KeyError) as exc:
            when = 'invalid periodicity: %s' % exc
        return 'cron: %s/%s [%s:%s] %r' % (
            self.name.encode('utf-8'), self.uid, state, when, self.environ)


@implementer(ICrontab)
class Crontab(Comparable):
    """A site's crons, in order, with a global switch."""

    def __init__(self, crons=None, activated=True, read_only=False):
        self.crons = OrderedDict()
        self.activated = check_bool('crontab activated', activated)
        self.read_only = read_only
        #: raw registry records that could not be loaded (kept on save)
        self.invalid_records = []
        #: uid -> the registry record this crontab loaded for that cron
        self.records = {}
        for cron in crons or ():
            self.add_cron(cron)

    @property
    def manager(self):
        manager = queryAdapter(self, ICrontabRegistryManager)
        if manager is None:
            raise InvalidCrontab('no registry manager: is collective.cron '
                                 'configured (configure.zcml loaded)?')
        return manager

    def add_cron(self, cron):
        """Add ``cron`` (moving it from another crontab); return it."""
        if cron.crontab is not None and cron.crontab is not self:
            cron.crontab = None
        existing = self.crons.get(cron.uid)
        if existing is not None and existing is not cron:
            cron.change_uid()
        self.crons[cron.uid] = cron
        cron._crontab = self
        return cron

    def by(self, **criteria):
        """The crons whose attributes equal every criterion."""
        unknown = set(criteria) - set(Cron.SETTINGS)
        if unknown:
            raise TypeError('unknown cron attributes: %s'
                            % ', '.join(sorted(unknown)))
        return [cron for cron in self.crons.values()
                if all(getattr(cron, key) == value
                       for key, value in criteria.items())]

    def by_name(self, name):
        return self.by(name=name)

    def by_uid(self, uid):
        try:
            return self.crons[uid]
        except KeyError:
            raise NoSuchCron('no cron with uid %r' % (uid,))

    def save(self):
        self.manager.save()

    def save_cron(self, cron):
        if self.crons.get(cron.uid) is not cron:
            raise NoSuchCron('cron %r is not in this crontab' % (cron.uid,))
        self.manager.save_cron(cron)

    def dump(self):
        return [cron.dump() for cron in self.crons.values()]

    @classmethod
    def load(cls, data=None, activated=True, read_only=False):
        """A crontab from data, or from the current site's registry."""
        if data is None:
            manager = cls(read_only=read_only).manager
            return manager.load(read_only=read_only)
        data = decode_json(data, 'crontab')
        if not isinstance(data, (list, tuple)):
            raise InvalidCrontab('Invalid crontab: expected a list of crons, '
                                 'got %r' % (data,))
        crontab = cls(activated=activated, read_only=read_only)
        for item in data:
            Cron.load(item, crontab=crontab)
        return crontab

    def load_record(self, record):
        """Add the cron of one registry record; keep it aside if invalid."""
        try:
            cron = Cron.load(record)
        except (InvalidCron, TypeError) as exc:
            logger.warning('collective.cron: skipped an invalid crontab '
                           'record (kept in the registry): %s', exc)
            self.invalid_records.append(record)
            return None
        self.add_cron(cron)
        self.records[cron.uid] = record
        return cron

    def similar_crons(self, other):
        return (list(self.crons) == list(other.crons)
                and all(cron.similar(other.crons[uid])
                        for uid, cron in self.crons.items()))

    def __eq__(self, other):
        if not isinstance(other, Crontab):
            return NotImplemented
        return (self.activated == other.activated
                and self.similar_crons(other))

    def __repr__(self):
        return '<Crontab %s, %s crons>' % (
            'ON' if self.activated else 'OFF', len(self.crons))


@implementer(IJobRunner)
class Runner(object):
    """Base class of job runners: register a subclass as a named adapter
    of (site, cron) providing IJobRunner, named after the cron."""

    def __init__(self, context, cron):
        self.context = context
        self.cron = cron

    def run(self):
        raise NotImplementedError('%s must implement run()'
                                  % self.__class__.__name__)


def runJob(context, cron):
    """The queued job (imported here so 2.x job pickles keep working)."""
    from collective.cron.job import run_job
    return run_job(context, cron)


def status_vocabulary_factory(context):
    """The log statuses (registered as vocabulary collective.cron.status)."""
    return status_vocabulary
