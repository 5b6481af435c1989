# -*- coding: utf-8 -*-
"""Crons and logs as JSON, and the JSON values a client may send.

Dates are ISO 8601 with their UTC offset (``2008-01-01T00:05:00+00:00``).
Incoming values are first checked for their JSON type, then with the
model's own checks (collective.cron.crontab), whose message is returned.
"""
import six
from dateutil.parser import parse as parse_iso
from zope.globalrequest import getRequest

from collective.cron.crontab import DEFAULT_LOGS_LIMIT
from collective.cron.crontab import STATUS_TITLES
from collective.cron.crontab import check_alert_after
from collective.cron.crontab import check_alert_to
from collective.cron.crontab import check_bool
from collective.cron.crontab import check_environ
from collective.cron.crontab import check_logs_limit
from collective.cron.crontab import check_misfire
from collective.cron.crontab import check_misfire_grace
from collective.cron.crontab import check_name
from collective.cron.crontab import check_periodicity
from collective.cron.crontab import check_timezone
from collective.cron.crontab import check_user
from collective.cron.crontab import invalid
from collective.cron.interfaces import InvalidCron
from collective.cron.late import is_late
from collective.cron.states import RUNNING
from collective.cron.restapi.base import ServiceError
from collective.cron.restapi.base import bad_request
from collective.cron.restapi.base import text
from collective.cron.schedule import describe
from collective.cron.schedule import request_language
from collective.cron.utils import find_user
from collective.cron.utils import lacked_text
from collective.cron.utils import lacked_to_save

#: the fields a client sets, in the order they are checked
FIELDS = ('name', 'periodicity', 'environ', 'user', 'activated',
          'logs_limit', 'timezone', 'misfire', 'misfire_grace',
          'alert_after', 'alert_to')
#: the fields a client reads only
READ_ONLY = ('@id', 'uid', 'next', 'last_status', 'last_date', 'logs',
             'queue', 'late')
REQUIRED = ('name', 'periodicity')
#: a new cron's settings when the body does not give them (as the
#: dashboard's add form)
DEFAULTS = {'environ': {}, 'user': None, 'activated': True,
            'logs_limit': DEFAULT_LOGS_LIMIT}


def is_text(value):
    return isinstance(value, six.string_types)


def is_integer(value):
    return isinstance(value, six.integer_types) and not isinstance(value, bool)


def text_or_null(value):
    return value is None or is_text(value)


#: field -> (JSON type test, what it must be, the model's check)
CHECKS = {
    'name': (is_text, 'a string', check_name),
    'periodicity': (is_text, 'a string', check_periodicity),
    'environ': (lambda value: isinstance(value, dict), 'a JSON object',
                check_environ),
    'user': (text_or_null, 'a user id (a string) or null', check_user),
    'activated': (lambda value: isinstance(value, bool), 'true or false',
                  lambda value: check_bool('activated', value)),
    'logs_limit': (is_integer, 'an integer', check_logs_limit),
    'timezone': (text_or_null, 'a time zone name (a string) or null',
                 check_timezone),
    'misfire': (text_or_null, 'a string or null', check_misfire),
    'misfire_grace': (lambda value: value is None or is_integer(value),
                      'a number of seconds or null', check_misfire_grace),
    'alert_after': (lambda value: value is None or is_integer(value),
                    'a number of failures or null', check_alert_after),
    'alert_to': (lambda value: value is None or (
        isinstance(value, list) and all(is_text(item) for item in value)),
        'a list of email addresses or null', check_alert_to),
}


def checked_value(site, field, value):
    """``value`` of ``field`` as the model stores it, or a 400 error naming
    the field and the value."""
    is_type, expected, check = CHECKS[field]
    try:
        if not is_type(value):
            raise invalid(field, value, 'must be %s' % expected)
        result = check(value)
        if field == 'user' and result is not None \
                and find_user(site, result) is None:
            raise invalid(field, value, 'no such user in this site or in '
                          'the Zope root')
    except InvalidCron as exc:
        raise bad_request(text(exc), field, value)
    return result


def check_run_as(site, settings, cron=None):
    """A 403 error when the current user may not save ``settings`` on
    ``cron`` (None: a new cron): see utils.lacked_to_save."""
    lacked = lacked_to_save(site, settings, cron)
    if lacked:
        userid = settings['user'] if 'user' in settings else cron.user
        raise ServiceError(
            403, u'Forbidden', u'You may not save a cron that runs as "%s": '
            u'that user has permissions you lack (%s)' % (
                userid, lacked_text(lacked)),
            'user', userid)


def checked_settings(site, data):
    """The checked settings of ``data`` (a dict of FIELDS)."""
    return dict((field, checked_value(site, field, data[field]))
                for field in FIELDS if field in data)


def new_settings(site, data):
    """The settings of a new cron: the required fields, then defaults."""
    for field in REQUIRED:
        if field not in data:
            raise bad_request(u'Field "%s" is required' % field, field)
    settings = dict(DEFAULTS)
    settings.update(checked_settings(site, data))
    check_run_as(site, settings)
    return settings


def iso(value):
    return value.isoformat() if value is not None else None


def status_title(status):
    return six.text_type(STATUS_TITLES[status]) if status is not None else None


def queue_json(queue, cron):
    """Where the cron's job is: ``queued`` (with ``begins``), ``running``,
    ``not-queued``, or ``unknown`` (no queue in this Zope)."""
    if queue is None or not queue.configured:
        return {u'state': u'unknown', u'begins': None}
    status, begins = queue.state(cron.uid)
    if status == RUNNING:
        return {u'state': u'running', u'begins': None}
    if begins is None:
        return {u'state': u'not-queued', u'begins': None}
    return {u'state': u'queued', u'begins': iso(begins)}


def cron_json(url, cron, queue, crontab_activated, language=None):
    """A cron; ``next`` is null when the cron or its crontab is off;
    ``schedule`` is the periodicity in words, in French when ``language``
    (default: the language Plone negotiated for the request, from its
    Accept-Language) is French, else in English; ``late``: its queued job
    was due more than its grace period ago and no worker started it (see
    collective.cron.late; ``queue.begins`` says when it was due)."""
    if language is None:
        language = request_language(getRequest())
    runs = cron.activated and crontab_activated
    last = cron.last
    return {
        u'@id': url,
        u'uid': cron.uid,
        u'name': cron.name,
        u'periodicity': cron.periodicity,
        u'schedule': describe(cron.periodicity, language),
        u'environ': cron.environ,
        u'user': cron.user,
        u'activated': cron.activated,
        u'logs_limit': cron.logs_limit,
        u'timezone': cron.timezone,
        u'misfire': cron.misfire,
        u'misfire_grace': cron.misfire_grace,
        u'alert_after': cron.alert_after,
        u'alert_to': cron.alert_to,
        u'next': iso(cron.next) if runs else None,
        u'last_status': status_title(last.status) if last else None,
        u'last_date': iso(last.utc_date) if last else None,
        u'logs': {u'@id': url + u'/logs', u'items_total': len(cron.logs)},
        u'queue': queue_json(queue, cron),
        u'late': is_late(None, cron, queue=queue),
    }


def log_json(position, log):
    return {u'position': position, u'date': iso(log.utc_date),
            u'status': status_title(log.status),
            u'messages': list(log.messages)}


def checked_positions(value, count):
    """Log positions (0: the newest) from a JSON list."""
    if not isinstance(value, list) or not value \
            or not all(is_integer(item) for item in value):
        raise bad_request(u'positions must be a non-empty list of integers',
                          'positions', value)
    for item in value:
        if not 0 <= item < count:
            raise bad_request(u'No log at position %s: the cron has %s logs'
                              % (item, count), 'positions', value)
    return set(value)


def checked_date(field, value):
    """An aware datetime from ISO 8601 text with a UTC offset."""
    try:
        date = parse_iso(value) if is_text(value) else None
    except (ValueError, OverflowError):
        date = None
    if date is None or date.tzinfo is None:
        raise bad_request(u'%s must be an ISO 8601 date with a UTC offset, '
                          u'e.g. "2008-01-01T00:00:00+00:00"' % field,
                          field, value)
    return date
