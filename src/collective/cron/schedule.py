# -*- coding: utf-8 -*-
"""Readable schedules: a periodicity as words and its next runs.

``describe(periodicity, language)`` gives the text of a periodicity in
English or French (cron-descriptor 1.4.0, the last release for Python
2.7), as unicode; u'' for anything it cannot describe. ``next_runs``
lists the next run times of a cron (or of a periodicity in a zone), from
the model's own computation (crontab.next_run), so that zones and DST
changes are handled as the scheduler handles them.
"""
from cron_descriptor import ExpressionDescriptor
from cron_descriptor import Options
from cron_descriptor.Exception import FormatException
from croniter import CroniterBadDateError
from dateutil.tz import tzlocal
import pytz
import six

from collective.cron.crontab import CronFormatError
from collective.cron.crontab import PERIODICITY_ALIASES
from collective.cron.crontab import check_periodicity
from collective.cron.crontab import next_run

#: cron-descriptor's locale of each language we describe in
LOCALES = {'en': 'en_US', 'fr': 'fr_FR'}
#: (periodicity, language) -> text; a page asks for the same few many times
_descriptions = {}
DESCRIPTIONS_CACHE_SIZE = 10000


def language_of(language):
    """'fr' for a French language code ('fr', 'fr-ca'), else 'en'."""
    if isinstance(language, six.string_types) and \
            language.lower().split('-')[0].split('_')[0] == 'fr':
        return 'fr'
    return 'en'


def descriptor_fields(periodicity):
    """The periodicity as cron-descriptor reads it: nicknames as their five
    fields; our sixth field (seconds, as croniter reads it) moved first,
    where cron-descriptor expects seconds."""
    fields = PERIODICITY_ALIASES.get(periodicity.lower(), periodicity).split()
    if len(fields) == 6:
        fields = fields[5:] + fields[:5]
    return u' '.join(fields)


def describe_in(periodicity, language):
    options = Options()
    options.use_24hour_time_format = True
    options.locale_code = LOCALES[language]
    # cron-descriptor 1.4.0 (Python 2) reads and returns UTF-8 bytes;
    # 2.x (Python 3) text
    described = ExpressionDescriptor(
        six.ensure_str(descriptor_fields(periodicity), 'ascii'), options)
    return six.ensure_text(described.get_description(), 'utf-8')


def describe(periodicity, language='en'):
    """The periodicity in words, in French for a French ``language``, else
    in English: ``*/5 * * * *`` -> u'Every 5 minutes'. u'' for anything
    that is not a valid periodicity or that cron-descriptor cannot
    describe (it never raises)."""
    if not isinstance(periodicity, six.string_types):
        return u''
    language = language_of(language)
    key = (periodicity, language)
    if key in _descriptions:
        return _descriptions[key]
    try:
        result = describe_in(check_periodicity(periodicity), language)
    except (CronFormatError, FormatException, ValueError, KeyError,
            UnicodeError):
        result = u''
    if len(_descriptions) > DESCRIPTIONS_CACHE_SIZE:
        _descriptions.clear()
    _descriptions[key] = result
    return result


def request_language(request):
    """The language Plone negotiated for ``request`` ('fr', 'en'...)."""
    language = request.get('LANGUAGE', '') if request is not None else ''
    return language if isinstance(language, six.string_types) else ''


def zone_named(zone):
    """The pytz zone ``zone`` names; None (the server's local zone) for
    None or an unknown name."""
    try:
        return pytz.timezone(zone) if zone else None
    except (pytz.UnknownTimeZoneError, ValueError, UnicodeError):
        return None


def next_runs(cron_or_periodicity, count=5, zone=None, start=None):
    """The next ``count`` runs after ``start`` (default: now) of a cron,
    or of a periodicity read in ``zone`` (an IANA name; None: the server's
    local zone), as aware datetimes in that zone (a cron: its own zone,
    Cron.zone); [] when they cannot be computed (invalid periodicity)."""
    periodicity = getattr(cron_or_periodicity, 'periodicity',
                          cron_or_periodicity)
    if hasattr(cron_or_periodicity, 'periodicity'):
        zone = cron_or_periodicity.zone
    try:
        periodicity = check_periodicity(periodicity)
        runs = []
        for _ in range(count):
            start = next_run(periodicity, start, zone)
            runs.append(start)
    except (CronFormatError, CroniterBadDateError, ValueError, KeyError,
            pytz.UnknownTimeZoneError):
        return []
    tz = zone_named(zone)
    if tz is None:
        tz = tzlocal()
    return [run.astimezone(tz) for run in runs]
