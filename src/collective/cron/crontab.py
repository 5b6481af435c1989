# -*- coding: utf-8 -*-
"""The data model: Crontab, Cron and Log, and the Runner base class.

A crontab is an ordered mapping of crons; each cron keeps its newest logs.
All three ``dump()`` to JSON-able data and ``load()`` it back; the crontab
is persisted in the site's registry by the ICrontabRegistryManager
(collective.cron.registry), one JSON string per cron.

Times follow collective.cron 2.x: periodicities are read in the server's
local time zone, ``Cron.next`` is a timezone-aware UTC datetime and log
dates are naive datetimes in local time (stored as local time text).
"""
import datetime
import json
import logging
import pprint
import re
import time
import uuid
from collections import OrderedDict

import pytz
import six
from croniter import CroniterBadDateError
from croniter import croniter
from Products.CMFPlone.interfaces import IPloneSiteRoot
from zope.component import adapter
from zope.component import queryAdapter
from zope.interface import implementer
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary

from collective.cron import _
from collective.cron.interfaces import ConstrainedObject
from collective.cron.interfaces import CronFormatError
from collective.cron.interfaces import ICron
from collective.cron.interfaces import ICrontab
from collective.cron.interfaces import ICrontabRegistryManager
from collective.cron.interfaces import IJobRunner
from collective.cron.interfaces import ILog
from collective.cron.interfaces import InvalidCron
from collective.cron.interfaces import InvalidCronValue
from collective.cron.interfaces import InvalidCrontab
from collective.cron.interfaces import InvalidLogStatus
from collective.cron.interfaces import InvalidLogValue
from collective.cron.interfaces import InvalidObject
from collective.cron.interfaces import MissingLogValue
from collective.cron.interfaces import NoSuchCron  # noqa: F401 (2.x name)
from collective.cron.interfaces import job_status
from collective.cron.matcher import matches
from collective.cron.matcher import next_match
from collective.cron.utils import is_datetime
from collective.cron.utils import local_naive
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

#: 2.x's name of the date format of logs
datefmt = DATE_FORMAT = '%Y-%m-%d %H:%M:%S'
DATE_FORMATS = (DATE_FORMAT, '%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%dT%H:%M:%S',
                '%Y-%m-%dT%H:%M:%S.%f', '%Y-%m-%d %H:%M')
#: logs kept by a cron loaded from data without logs_limit (2.x)
#: DATE_FORMAT, read without strptime (loading a crontab reads every log)
DATE_PATTERN = re.compile(
    r'^\s*(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})\s*$')
DEFAULT_LOGS_LIMIT = 5
MAX_LOGS_LIMIT = 25

#: periodicities already checked with croniter (checking is the slow part)
_valid_periodicities = set()
#: (periodicity, start second, local zone) -> next run timestamp
_next_runs = {}
NEXT_RUNS_CACHE_SIZE = 10000


def find_term(vocabulary, value):
    """The term of ``vocabulary`` whose value, token or title is ``value``;
    None when there is none."""
    try:
        return vocabulary.getTerm(value)
    except (LookupError, TypeError):
        pass
    try:
        return vocabulary.getTermByToken(value)
    except (LookupError, TypeError):
        pass
    for term in vocabulary:
        if term.title == value:
            return term
    return None


def invalid(field, value, why, error=InvalidCronValue):
    return error('Invalid cron %s %r: %s' % (field, value, why))


def parse_date(value, field='date'):
    """A log date: a naive datetime in local time, to the second.

    Accepts a datetime (an aware one is converted to local time), a Zope
    DateTime, or text in DATE_FORMATS (local time). Returns None for text
    that is no date; raises InvalidLogValue for other values.
    """
    if isinstance(value, six.string_types):
        match = DATE_PATTERN.match(value)
        if match is not None:
            try:
                return datetime.datetime(*[int(part)
                                           for part in match.groups()])
            except ValueError:
                return None
        for fmt in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(value.strip(), fmt).replace(
                    microsecond=0)
            except ValueError:
                continue
        return None
    if hasattr(value, 'asdatetime'):
        value = value.asdatetime()
    if not is_datetime(value):
        raise InvalidLogValue('Invalid log %s %r: not a date' % (field, value))
    return local_naive(value).replace(microsecond=0)


def format_date(value):
    return value.strftime(DATE_FORMAT) if value is not None else u''


#: the crontab(5) nicknames accepted as periodicities, with the five fields
#: croniter reads them as
PERIODICITY_ALIASES = OrderedDict([
    (u'@yearly', u'0 0 1 1 *'),
    (u'@annually', u'0 0 1 1 *'),
    (u'@monthly', u'0 0 1 * *'),
    (u'@weekly', u'0 0 * * 0'),
    (u'@daily', u'0 0 * * *'),
    (u'@midnight', u'0 0 * * *'),
    (u'@hourly', u'0 * * * *'),
])
#: croniter's random (R) and hashed (H) fields: a random field moves the
#: next run each time it is computed
RANDOM_FIELD = re.compile(r'(^|[\s,])[rh]($|[\s,(/])', re.IGNORECASE)


class PeriodicityNeverOccurs(CronFormatError):
    """A periodicity of valid syntax that matches no date (31 February)."""


def bad_syntax(value):
    """True when ``value`` is not a periodicity we accept: five fields,
    an optional sixth of seconds (one number, so that a cron runs at most
    once a minute), or one of PERIODICITY_ALIASES."""
    if value.startswith(u'@'):
        return value.lower() not in PERIODICITY_ALIASES
    fields = value.split()
    if len(fields) not in (5, 6) or RANDOM_FIELD.search(value):
        return True
    if len(fields) == 6 and not fields[5].isdigit():
        return True
    return not croniter.is_valid(value)


def check_periodicity(value):
    """The periodicity as unicode, or CronFormatError naming the value.

    Five fields (minute hour day-of-month month day-of-week) or one of the
    crontab(5) nicknames of PERIODICITY_ALIASES (``@daily``...); a sixth
    field, which croniter reads as seconds, is only accepted as one number
    (runs at most once a minute). A periodicity that never occurs
    (``0 0 31 2 *``) raises PeriodicityNeverOccurs, a CronFormatError.
    """
    if not isinstance(value, six.string_types) or not value.strip():
        raise CronFormatError(
            'Invalid cron periodicity %r: expected cron syntax such as '
            '"*/5 * * * *"' % (value,))
    value = text(value).strip()
    if value not in _valid_periodicities:
        if bad_syntax(value):
            raise CronFormatError(
                'Invalid cron periodicity %r: not valid cron syntax '
                '(minute hour day-of-month month day-of-week, or @hourly, '
                '@daily, @weekly, @monthly, @yearly)' % (value,))
        try:
            croniter(value, datetime.datetime(2008, 1, 1)).get_next(float)
        except CroniterBadDateError:
            raise PeriodicityNeverOccurs(
                'Invalid cron periodicity %r: it never occurs' % (value,))
        _valid_periodicities.add(value)
    return value


def check_environ(value):
    if value is None or value == u'' or value == '':
        return {}
    if isinstance(value, six.string_types):
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


#: misfire policies (see cronmanager and job): a cron without one does what
#: 2.x did (a run more than MISSED_GRACE late at a synchronisation is
#: replaced by the next run, silently)
RUN_ONCE = u'run_once'
SKIP = u'skip'
MISFIRE_POLICIES = (RUN_ONCE, SKIP)
#: seconds a run may be late before ``skip`` skips it (as MISSED_GRACE)
DEFAULT_MISFIRE_GRACE = 120


def is_empty(value):
    return value is None or (isinstance(value, six.string_types)
                             and not value.strip())


def check_timezone(value):
    """An IANA zone name (pytz's list, as Plone's time zone vocabulary), or
    None for the default zone."""
    if is_empty(value):
        return None
    if not isinstance(value, six.string_types) \
            or text(value).strip() not in pytz.all_timezones_set:
        raise invalid('timezone', value, 'unknown time zone (expected an '
                      'IANA name such as "Europe/Paris")')
    return text(value).strip()


def check_misfire(value):
    if is_empty(value):
        return None
    if not isinstance(value, six.string_types) \
            or text(value).strip() not in MISFIRE_POLICIES:
        raise invalid('misfire', value, 'must be one of %s'
                      % ', '.join(MISFIRE_POLICIES))
    return text(value).strip()


def check_misfire_grace(value):
    """Whole seconds (0 or more), or None for DEFAULT_MISFIRE_GRACE."""
    if is_empty(value):
        return None
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        raise invalid('misfire_grace', value, 'not a number of seconds')
    if isinstance(value, bool) or seconds < 0 or (
            isinstance(value, float) and value != seconds):
        raise invalid('misfire_grace', value,
                      'must be a whole number of seconds, 0 or more')
    return seconds


#: consecutive FAILURE logs after which a cron without ``alert_after``
#: sends its failure alert (see collective.cron.alerts)
DEFAULT_ALERT_AFTER = 3
#: an email address, loosely: something@somewhere, no spaces or separators
EMAIL_ADDRESS = re.compile(r'^[^@\s,;<>"]+@[^@\s,;<>"]+$')


def check_alert_after(value):
    """A whole number of consecutive failures (0: never alert), or None
    for DEFAULT_ALERT_AFTER."""
    if is_empty(value):
        return None
    try:
        count = int(value)
    except (TypeError, ValueError):
        raise invalid('alert_after', value, 'not a number of failures')
    if isinstance(value, bool) or count < 0 or (
            isinstance(value, float) and value != count):
        raise invalid('alert_after', value,
                      'must be a whole number of failures, 0 (never alert) '
                      'or more')
    return count


def check_alert_to(value):
    """A list of email addresses (text separated by commas or spaces is
    split), or None for the site's address."""
    if is_empty(value):
        return None
    items = value
    if isinstance(value, six.string_types):
        items = re.split(r'[\s,;]+', value.strip())
    if not isinstance(items, (list, tuple)) or not all(
            isinstance(item, six.string_types) for item in items):
        raise invalid('alert_to', value, 'must be a list of email addresses')
    addresses = [text(item).strip() for item in items if item.strip()]
    for address in addresses:
        if not EMAIL_ADDRESS.match(address):
            raise invalid('alert_to', value,
                          '%r is not an email address' % (address,))
    return addresses or None


def check_name(value):
    if not isinstance(value, six.string_types) or not value.strip():
        raise invalid('name', value, 'must be a non-empty string')
    return text(value).strip()


def check_user(value):
    if value is None or (isinstance(value, six.string_types)
                         and not value.strip()):
        return None
    if not isinstance(value, six.string_types):
        raise invalid('user', value, 'must be a user id (a string)')
    return text(value).strip()


def check_uid(value):
    """A uid as unicode (2.x accepted numbers); a new one when empty."""
    if value is None or value == u'' or value == '':
        return new_uid()
    if isinstance(value, bool) or not isinstance(
            value, six.string_types + six.integer_types):
        raise invalid('uid', value, 'must be a string')
    return text(value)


TRUE_WORDS = frozenset([u'1', u'true', u'yes', u'on', u'y', u't'])
FALSE_WORDS = frozenset([u'', u'0', u'false', u'no', u'off', u'n', u'f',
                         u'none', u'-1'])


def check_bool(field, value):
    """``value`` as a bool: booleans, numbers, or words such as 'yes',
    'off', '1'; other text is an error naming the field and the value."""
    if value is None:
        return False
    if isinstance(value, six.string_types):
        word = text(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise invalid(field, value, 'not a boolean')
    if value == -1:
        return False
    return bool(value)


def checked(field, check):
    """A property that stores ``check(value)`` in ``_field``."""
    attribute = '_' + field

    def get(self):
        return getattr(self, attribute)

    def set_(self, value):
        setattr(self, attribute, check(value))
    return property(get, set_)


def new_uid():
    return six.text_type(uuid.uuid4().hex)


def next_run(periodicity, start=None, zone=None):
    """The first time after ``start`` that matches the periodicity, read in
    the server's local time zone; aware UTC.

    ``start`` defaults to the local wall clock, ``datetime.now()``, from
    which 2.x computed; an aware ``start`` is taken in local time, a naive
    one is local time. Results are cached per (periodicity, second, zone):
    a synchronisation asks the same question for many crons within the
    same second.

    With ``zone`` (an IANA name), the periodicity is read in that zone
    instead, across DST changes (see zoned_next_run).
    """
    if zone is not None:
        return zoned_next_run(periodicity, start, zone)
    if start is None:
        start = datetime.datetime.now()
    start = local_naive(start).replace(microsecond=0)
    key = (periodicity, start.timetuple()[:6], time.timezone, time.altzone)
    following = _next_runs.get(key)
    if following is None:
        if len(_next_runs) > NEXT_RUNS_CACHE_SIZE:
            _next_runs.clear()
        found = next_match(periodicity, start)
        following = time.mktime(found.timetuple())
        _next_runs[key] = following
    return datetime.datetime.fromtimestamp(following, pytz.UTC)


def zoned_next_run(periodicity, start, zone):
    """The next run after the instant ``start`` (default: now; naive is
    local time) of ``periodicity`` read in the IANA zone ``zone``; aware
    UTC, DST-correct:

    - a wall time skipped by a spring-forward change runs once, at the
      first valid instant after the gap (02:30 runs at 03:00); the runs of
      a gap are one run;
    - a wall time repeated by a fall-back change runs once, in its first
      occurrence, unless the hour field is a wildcard (``*``, ``*/2``,
      ``@hourly``): those run in both occurrences, so that hourly jobs
      neither skip nor double an hour (as Vixie cron does).
    """
    start = to_utc(start if start is not None else now()).replace(
        microsecond=0)
    key = (periodicity, start.timetuple()[:6], zone)
    following = _next_runs.get(key)
    if following is None:
        if len(_next_runs) > NEXT_RUNS_CACHE_SIZE:
            _next_runs.clear()
        following = first_firing(periodicity, start, pytz.timezone(zone))
        _next_runs[key] = following
    return following


def wall_clock(value, tz=None):
    """The naive wall time of ``value`` (in ``tz`` when given), a plain
    datetime to the second (the test time machine's arithmetic returns
    values croniter cannot read)."""
    if tz is not None:
        value = value.astimezone(tz)
    return datetime.datetime(*value.timetuple()[:6])


def repeats_hourly(periodicity):
    """True when the hour field is a wildcard (runs in both occurrences of
    a repeated hour)."""
    fields = periodicity.split()
    if len(fields) == 1:
        return fields[0].lower() == u'@hourly'
    return len(fields) > 1 and fields[1].startswith(u'*')


def first_firing(periodicity, start, tz):
    """The first instant after ``start`` (aware UTC) at which
    ``periodicity`` fires in ``tz`` (see zoned_next_run)."""
    repeats = repeats_hourly(periodicity)
    wall = wall_clock(start, tz)
    found = None
    candidates = matches(periodicity, wall)
    for step in six.moves.range(MAX_CANDIDATES):
        found = instant_of(next(candidates), tz, start, repeats)
        if found is not None:
            break
    second = second_pass_run(periodicity, start, tz) if repeats else None
    if second is not None and (found is None or second < found):
        found = second
    if found is None:
        raise CroniterBadDateError('no run of %r after %s in %s'
                                   % (periodicity, start, tz.zone))
    return found


#: wall times looked at before giving up (they are only skipped in a
#: repeated hour)
MAX_CANDIDATES = 1000
#: the widest DST change looked for around an instant
DST_WINDOW = datetime.timedelta(hours=3)


def instant_of(wall, tz, start, repeats):
    """The instant (aware UTC) after ``start`` at which the wall time
    ``wall`` of ``tz`` fires, or None when it does not."""
    try:
        found = tz.localize(wall, is_dst=None)
    except pytz.NonExistentTimeError:
        return gap_end(wall, tz)
    except pytz.AmbiguousTimeError:
        first, second = sorted(tz.localize(wall, is_dst=flag)
                               for flag in (True, False))
        if first > start:
            return first.astimezone(pytz.UTC)
        if repeats and second > start:
            return second.astimezone(pytz.UTC)
        return None
    found = found.astimezone(pytz.UTC)
    return found if found > start else None


def gap_end(wall, tz):
    """The first valid instant after the DST gap that skips ``wall``."""
    probe = wall.replace(second=0)
    for minute in range(24 * 60):
        probe += datetime.timedelta(minutes=1)
        try:
            return tz.localize(probe, is_dst=None).astimezone(pytz.UTC)
        except pytz.NonExistentTimeError:
            continue
        except pytz.AmbiguousTimeError:
            return tz.localize(probe, is_dst=True).astimezone(pytz.UTC)
    raise CroniterBadDateError('no valid time after %s in %s'
                               % (wall, tz.zone))


def offset_at(instant, tz):
    return instant.astimezone(tz).utcoffset()


def fall_back_around(start, tz):
    """(instant, size) of a fall-back change of ``tz`` within DST_WINDOW of
    ``start``, to the second; None when there is none."""
    before, after = start - DST_WINDOW, start + DST_WINDOW
    old, new = offset_at(before, tz), offset_at(after, tz)
    if new >= old:
        return None
    low, high = 0, int((after - before).total_seconds())
    while high - low > 1:
        middle = (low + high) // 2
        moment = before + datetime.timedelta(seconds=middle)
        if offset_at(moment, tz) == old:
            low = middle
        else:
            high = middle
    return before + datetime.timedelta(seconds=high), old - new


def second_pass_run(periodicity, start, tz):
    """The run after ``start`` in the second occurrence of a repeated hour
    near ``start``, or None."""
    change = fall_back_around(start, tz)
    if change is None:
        return None
    moment, size = change
    first_wall = wall_clock(moment, tz)
    since = max(start, moment - datetime.timedelta(seconds=1))
    wall = wall_clock(first_wall + (since - moment))
    candidate = next_match(periodicity, wall)
    if candidate >= first_wall + size:
        return None
    found = moment + (candidate - first_wall)
    return found if found > start else None


def decode_json(data, what, error=InvalidCron):
    if isinstance(data, six.string_types):
        try:
            return json.loads(data)
        except ValueError as exc:
            raise error('Invalid %s: not JSON (%s): %r'
                        % (what, exc, data[:200]))
    return data


class Comparable(ConstrainedObject):
    """``!=`` from ``__eq__``; unhashable (the values can change)."""

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None

    #: 2.x's attribute names (pickled jobs, old code) -> ours
    LEGACY_STATE = {}

    def __setstate__(self, state):
        """Read the state of objects pickled by collective.cron 2.x too."""
        state = dict(state)
        for old, new in self.LEGACY_STATE.items():
            if old in state and new not in state:
                state[new] = state.pop(old)
        self.__dict__.update(state)


def check_status(value):
    """A log status (0-3) from its value, token or title."""
    if value is None:
        raise MissingLogValue('Invalid log status: missing')
    term = None if isinstance(value, bool) else find_term(job_status, value)
    if term is None:
        raise InvalidLogStatus('Invalid log status %r: must be one of %s'
                               % (value, list(STATUS_TITLES)))
    return term.value


def check_log_date(value):
    if value is None:
        raise MissingLogValue('Invalid log date: missing')
    date = parse_date(value)
    if date is None:
        raise InvalidLogValue('Invalid log date %r: expected '
                              '"YYYY-MM-DD HH:MM:SS"' % (value,))
    return date


def check_messages(value):
    if value is None:
        return []
    if isinstance(value, six.string_types + six.integer_types + (float,)):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise InvalidLogValue('Invalid log messages %r: must be a list of '
                              'text' % (value,))
    return [text(message) for message in value]


@implementer(ILog)
def check_log_start(value):
    return check_log_date(value) if value is not None else None


class Log(Comparable):
    """One run of a cron: date (naive local time), status and messages.

    As in 2.x ``date`` is when the run ended (the log is written after
    it). ``start``, optional (None in 2.x's logs), is when it began, in
    the same naive local time; it is dumped only when set, so 2.x's logs
    load and dump unchanged. Logs compare as in 2.x (date, status and
    messages).
    """

    LEGACY_STATE = {'date': '_date', 'status': '_status',
                    'messages': '_messages'}
    #: a log of 2.x's pickles has no start
    _start = None

    def __init__(self, date=None, status=None, messages=None, start=None):
        self.date = date if date is not None else now()
        self.status = OK if status is None else status
        self.messages = messages
        self.start = start

    date = checked('date', check_log_date)
    status = checked('status', check_status)
    messages = checked('messages', check_messages)
    start = checked('start', check_log_start)

    @property
    def duration(self):
        """How long the run took (a timedelta), None without a start."""
        if self.start is None:
            return None
        return to_utc(self.date) - to_utc(self.start)

    @property
    def utc_date(self):
        """The date as timezone-aware UTC."""
        return to_utc(self.date)

    @property
    def sdate(self):
        return format_date(self.date)

    @property
    def sstatus(self):
        return STATUS_TITLES[self.status]

    def dump(self):
        data = {'date': self.sdate, 'status': self.status,
                'messages': list(self.messages)}
        if self.start is not None:
            data['start'] = format_date(self.start)
        return data

    @classmethod
    def load(cls, data):
        """A Log from its dump (or JSON of it); a Log is returned as is.

        Anything else, or a dump whose date cannot be read, loads to None
        (2.x); a bad status raises InvalidLogStatus.
        """
        if isinstance(data, Log):
            return data
        if isinstance(data, six.string_types):
            try:
                data = json.loads(data)
            except ValueError:
                return None
        if not isinstance(data, dict):
            return None
        date = data.get('date')
        date = parse_date(date) if date is not None else None
        if date is None:
            return None
        start = data.get('start')
        start = parse_date(start, 'start') if start is not None else None
        return cls(date, data.get('status'), data.get('messages'), start)

    def __eq__(self, other):
        if not isinstance(other, Log):
            return NotImplemented
        return (self.date == other.date and self.status == other.status
                and self.messages == other.messages)

    def __repr__(self):
        shown = u'log: %s/%s%s' % (self.sdate, self.sstatus,
                                   u'+' if self.messages else u'')
        return six.ensure_str(shown, 'utf-8')


def load_logs(logs, skip_invalid=False):
    """Logs from dumps or Logs, in their order (newest first as saved).

    None is no logs. A dump whose date cannot be read is dropped (2.x);
    with ``skip_invalid`` (loading saved data, as 2.x's Cron.load) an
    invalid log is dropped with a warning, else it raises, as does a value
    that is no list.
    """
    if logs is None:
        return []
    if not isinstance(logs, (list, tuple)):
        if skip_invalid:
            return []
        raise invalid('logs', logs, 'must be a list of logs')
    loaded = []
    for item in logs:
        try:
            log = Log.load(item)
        except InvalidObject as exc:
            if not skip_invalid:
                raise
            logger.warning('collective.cron: skipped an invalid log: %s', exc)
            continue
        if log is not None:
            loaded.append(log)
    return loaded


def should_run(cron):
    """True for an activated cron in an activated crontab (or in none):
    such a cron has a queued job (see cronmanager)."""
    crontab = cron.crontab
    return bool(cron.activated and (crontab is None or crontab.activated))


@implementer(ICron)
class Cron(Comparable):
    """A task of a crontab: what to run (name), when (periodicity, local
    time), with what (environ), as whom (user), and its newest logs."""

    SETTINGS = ('uid', 'name', 'periodicity', 'environ', 'activated',
                'user', 'logs_limit')
    #: settings stored (and part of settings()) only when set: records
    #: without them load and dump as before
    OPTIONAL_SETTINGS = ('timezone', 'misfire', 'misfire_grace',
                         'alert_after', 'alert_to')
    LEGACY_STATE = {'name': '_name', 'periodicity': '_periodicity',
                    'environ': '_environ', 'activated': '_activated',
                    'user': '_user', 'logs_limit': '_logs_limit',
                    '_logs': 'logs'}

    def __init__(self, uid=None, name=None, user=None, activated=None,
                 periodicity=None, logs=None, environ=None, crontab=None,
                 logs_limit=MAX_LOGS_LIMIT, timezone=None, misfire=None,
                 misfire_grace=None, alert_after=None, alert_to=None):
        self._crontab = None
        self.timezone = timezone
        self.misfire = misfire
        self.misfire_grace = misfire_grace
        self.alert_after = alert_after
        self.alert_to = alert_to
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
    #: the IANA zone the periodicity is read in (None: the crontab's)
    timezone = checked('timezone', check_timezone)
    #: run_once, skip, or None (2.x): what a late run does
    misfire = checked('misfire', check_misfire)
    misfire_grace = checked('misfire_grace', check_misfire_grace)
    #: consecutive failures before an alert (None: DEFAULT_ALERT_AFTER)
    alert_after = checked('alert_after', check_alert_after)
    #: who gets the alert (None: the site's email address)
    alert_to = checked('alert_to', check_alert_to)

    def __getattr__(self, name):
        """The optional settings of a cron pickled before they existed."""
        if name in ('_timezone', '_misfire', '_misfire_grace',
                    '_alert_after', '_alert_to'):
            return None
        raise AttributeError(name)

    @property
    def zone(self):
        """The zone name the periodicity is read in: the cron's, else the
        crontab's; None is the server's local zone (2.x)."""
        if self.timezone:
            return self.timezone
        return getattr(self._crontab, 'timezone', None)

    @property
    def grace(self):
        """How late (a timedelta) a run may start under ``skip``."""
        seconds = self.misfire_grace
        if seconds is None:
            seconds = DEFAULT_MISFIRE_GRACE
        return datetime.timedelta(seconds=seconds)

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
        """Put the cron in ``crontab``, in place of a cron with its uid
        (2.x); it leaves the crontab it was in."""
        previous = self._crontab
        if previous is not None and previous is not crontab \
                and previous.crons.get(self.uid) is self:
            del previous.crons[self.uid]
        self._crontab = crontab
        if crontab is not None:
            crontab.crons[self.uid] = self

    def __getstate__(self):
        """Pickled without its crontab: a queued job holds its cron (as in
        2.x), not the whole crontab around it."""
        state = dict(self.__dict__)
        state['_crontab'] = None
        return state

    def get_uid(self):
        """A new unique id (32 hex digits)."""
        return new_uid()

    def change_uid(self):
        """Give this cron a fresh uid (keeping its place in its crontab)."""
        old, self.uid = self.uid, self.get_uid()
        crontab = self._crontab
        if crontab is not None and crontab.crons.get(old) is self:
            crontab.crons = OrderedDict(
                (self.uid if key == old else key, cron)
                for key, cron in crontab.crons.items())
        return self.uid

    @property
    def next(self):
        """The next run, aware UTC (None if it cannot be computed)."""
        return self.next_after(None)

    def next_after(self, start):
        """The first run after ``start`` (default: the local wall clock, as
        2.x; now for a zoned cron), aware UTC; None if it cannot be
        computed."""
        try:
            return next_run(self.periodicity, start, self.zone)
        except (ValueError, KeyError, CroniterBadDateError,
                pytz.UnknownTimeZoneError):
            return None

    @property
    def snext(self):
        """The next run as UTC text; empty for a deactivated cron (2.x)."""
        if not self.activated:
            return ''
        following = self.next
        return format_date(following) if following else 'NO NEXT TIME'

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
        """The last log's date as text, or ''."""
        return self.last.sdate if self.logs else ''

    slast_date = slast

    def log(self, date=None, status=None, messages=None, start=None):
        """Add a log first (the newest), trim to logs_limit; return it.

        As in 2.x the order is that of the runs, not of the dates: local
        dates written under another time zone cannot misplace a run.
        """
        entry = Log(date, status, messages, start)
        self.logs.insert(0, entry)
        del self.logs[self.logs_limit:]
        return entry

    def settings(self):
        """The settings that do not depend on the crontab (no logs); the
        OPTIONAL_SETTINGS only when set."""
        data = dict((key, getattr(self, key)) for key in self.SETTINGS)
        for key in self.OPTIONAL_SETTINGS:
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data

    def similar(self, other):
        return (isinstance(other, Cron)
                and self.settings() == other.settings())

    def dump(self):
        data = self.settings()
        data['logs'] = [log.dump() for log in self.logs]
        return data

    @classmethod
    def load(cls, data, crontab=None):
        """A Cron from its dump (or JSON of it); a Cron is returned as is.

        With ``crontab``, the cron takes the place of the crontab's cron of
        the same uid (2.x); ``Crontab.add_cron`` renames it instead.
        """
        if isinstance(data, Cron):
            return data
        data = decode_json(data, 'cron', InvalidCronValue)
        if not isinstance(data, dict):
            raise invalid('record', data, 'must be a JSON object')
        kwargs = dict((key, data[key]) for key in
                      cls.SETTINGS + cls.OPTIONAL_SETTINGS if key in data)
        kwargs.setdefault('logs_limit', DEFAULT_LOGS_LIMIT)
        logs = load_logs(data.get('logs'), skip_invalid=True)
        return cls(crontab=crontab, logs=logs, **kwargs)

    def save(self):
        """Save this cron's record; a cron in no crontab is not saved."""
        if self.crontab is not None:
            self.crontab.save_cron(self)

    def same_crontab(self, other):
        mine, theirs = self.crontab, other.crontab
        return mine is theirs or (mine is not None and mine == theirs)

    def __eq__(self, other):
        if not isinstance(other, Cron):
            return NotImplemented
        return (self.similar(other) and self.logs == other.logs
                and self.same_crontab(other))

    def __repr__(self):
        state = u'ON:%s' % self.snext if self.activated else u'OFF'
        logs = u' (%s logs)' % len(self.logs) if self.logs else u''
        environ = u' %s' % pprint.pformat(self.environ) if self.environ \
            else u''
        shown = u'cron: %s/%s [%s]%s%s' % (self.name, self.uid, state, logs,
                                           text(environ))
        return six.ensure_str(shown.strip(), 'utf-8')


@implementer(ICrontab)
class Crontab(Comparable):
    """A site's crons, in order, with a global switch."""

    LEGACY_STATE = {'_read_only': 'read_only'}

    def __init__(self, crons=None, activated=True, read_only=False,
                 timezone=None):
        self.crons = OrderedDict()
        self.activated = check_bool('crontab activated', activated)
        self.read_only = read_only
        #: the zone of crons without their own (None: server local, 2.x)
        self.timezone = check_timezone(timezone)
        #: raw records or data that could not be loaded (kept on save)
        self.invalid_records = []
        #: uid -> the registry record this crontab loaded for that cron
        self.records = {}
        if isinstance(crons, dict):
            crons = crons.values()
        for cron in crons or ():
            cron.crontab = self

    def __setstate__(self, state):
        super(Crontab, self).__setstate__(state)
        self.__dict__.setdefault('invalid_records', [])
        self.__dict__.setdefault('records', {})
        self.__dict__.setdefault('timezone', None)

    @property
    def manager(self):
        manager = queryAdapter(self, ICrontabRegistryManager)
        if manager is None:
            raise InvalidCrontab('no registry manager: is collective.cron '
                                 'configured (configure.zcml loaded)?')
        return manager

    def add_cron(self, cron):
        """Add ``cron``; a uid already in the crontab gives it a new uid
        (2.x: returns None)."""
        existing = self.crons.get(cron.uid)
        if existing is not None and existing is not cron:
            cron.change_uid()
        cron.crontab = self

    def by(self, uid=None, name=None, activated=None, periodicity=None,
           **criteria):
        """The crons whose attributes equal every given criterion (None
        criteria are ignored; without any, none match, as in 2.x)."""
        criteria.update(uid=uid, name=name, activated=activated,
                        periodicity=periodicity)
        criteria = dict((key, value) for key, value in criteria.items()
                        if value is not None)
        unknown = set(criteria) - set(Cron.SETTINGS + Cron.OPTIONAL_SETTINGS)
        if unknown:
            raise TypeError('unknown cron attributes: %s'
                            % ', '.join(sorted(unknown)))
        if not criteria:
            return []
        return [cron for cron in self.crons.values()
                if all(getattr(cron, key) == value
                       for key, value in criteria.items())]

    def by_name(self, name):
        return self.by(name=name)

    def by_uid(self, uid):
        try:
            return self.crons[uid]
        except KeyError:
            raise NoSuchCron('No such cron with uid %s' % (uid,))

    def save(self):
        self.manager.save()

    def save_cron(self, cron):
        self.manager.save_cron(cron)

    def dump(self):
        return [cron.dump() for cron in self.crons.values()]

    @classmethod
    def load(cls, data=None, activated=True, read_only=False):
        """A crontab from data (a list of crons, their dumps or JSON, a
        mapping of them, or JSON of the list), or from the site's registry.

        A crontab is returned as is; JSON that is no list raises
        InvalidCrontab. Items that are no valid cron are skipped with a
        warning and kept in ``invalid_records``; of two crons with one uid
        the last wins (2.x).
        """
        if isinstance(data, Crontab):
            return data
        if data is None:
            manager = cls(read_only=read_only).manager
            return manager.load(read_only=read_only)
        data = decode_json(data, 'crontab', InvalidCrontab)
        if isinstance(data, dict):
            data = list(data.values())
        if not isinstance(data, (list, tuple)):
            raise InvalidCrontab('Invalid crontab: expected a list of crons, '
                                 'got %r' % (data,))
        crontab = cls(activated=activated, read_only=read_only)
        for item in data:
            crontab.load_record(item)
        return crontab

    def load_record(self, record):
        """Add the cron of one record (JSON, data or a Cron); keep the
        record aside if it is no valid cron."""
        try:
            cron = Cron.load(record)
        except (InvalidObject, TypeError) as exc:
            logger.warning('collective.cron: skipped an invalid crontab '
                           'record (kept in the registry): %s', exc)
            self.invalid_records.append(record)
            return None
        cron.crontab = self
        if isinstance(record, six.string_types):
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
@adapter(IPloneSiteRoot, ICron)
class Runner(object):
    """Base class of job runners: register a subclass as an adapter named
    after the cron (``<adapter factory=".MyRunner" name="my-cron" />``)."""

    def __init__(self, context, cron):
        self.context = context
        self.cron = cron

    def run(self):
        raise NotImplementedError('%s must implement run()'
                                  % self.__class__.__name__)


def runJob(context, cron):
    """The queued job (its name is stored in queued jobs since 2.x).

    Returns (status, messages, cron uid, the site's physical path tuple).
    """
    from collective.cron.job import run_job
    return run_job(context, cron)


def status_vocabulary_factory(context):
    """The log statuses (registered as vocabulary collective.cron.status)."""
    return status_vocabulary
