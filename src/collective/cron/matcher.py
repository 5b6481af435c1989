# -*- coding: utf-8 -*-
"""The next wall time matching a periodicity, without croniter's cost.

croniter (6.0) parses the expression again for every ``croniter(...)``
and finds each match with relativedelta arithmetic: about 0.1 ms a
match, so that the next 5 runs of 1,000 crons took 0.7 s. Here croniter
still reads the periodicity (``croniter.expand``, its public parser, once
per periodicity), and the match is found by walking the calendar over the
expanded values: year, month, day, hour, minute, each to the first value
allowed from where the walk is. The day follows croniter's rule: when both
the day of month and the day of week are restricted, either one matches;
otherwise the restricted one.

Anything the walk does not handle is left to croniter, so that results do
not change: a sixth field (seconds), the last day of a month (``L``), the
nth weekday of a month (``#``), and a match further than SEARCH_YEARS away
(croniter decides whether there is one). Wall times are naive: time zones
and DST changes are the callers' (crontab.next_run, zoned_next_run).
"""
import bisect
import calendar
import datetime

from croniter import croniter

#: the expanded fields of each periodicity (None: left to croniter)
_fields = {}
FIELDS_CACHE_SIZE = 10000
#: years walked before leaving the search to croniter (29 February: 8)
SEARCH_YEARS = 9


class Fields(object):
    """The allowed values of a five-field periodicity, sorted lists."""

    def __init__(self, expanded):
        bounds = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 6))
        allowed = [range(low, high + 1) if values == ['*'] else
                   sorted(set(values))
                   for values, (low, high) in zip(expanded, bounds)]
        self.minutes, self.hours, self.days, self.months = allowed[:4]
        self.weekdays = frozenset(allowed[4])
        self.monthdays = frozenset(self.days)
        day_any, weekday_any = expanded[2] == ['*'], expanded[4] == ['*']
        self.either_day = not day_any and not weekday_any
        self.day_any, self.weekday_any = day_any, weekday_any
        self.every_day = (day_any or len(self.monthdays) == 31) and (
            weekday_any or len(self.weekdays) == 7)

    def day_matches(self, day, weekday):
        """croniter's day rule (``weekday`` as cron's: 0 is Sunday)."""
        in_month = self.day_any or day in self.monthdays
        in_week = self.weekday_any or weekday in self.weekdays
        if self.either_day:
            return in_month or in_week
        return in_month and in_week

    def first_day(self, year, month, day):
        """The first matching day of the month from ``day``, or None."""
        last = calendar.monthrange(year, month)[1]
        if day > last:
            return None
        if self.every_day:
            return day
        if self.weekday_any:
            found = following(self.days, day)
            return found if found is not None and found <= last else None
        weekday = (calendar.weekday(year, month, day) + 1) % 7
        while day <= last:
            if self.day_matches(day, weekday):
                return day
            day, weekday = day + 1, (weekday + 1) % 7
        return None

    def first_after(self, moment):
        """The first matching minute after the naive ``moment``; None
        beyond SEARCH_YEARS. (No datetime arithmetic: a value past its
        field's end, minute 60 or day 32, moves the walk to the next hour,
        day or month.)"""
        year, month, day = moment.year, moment.month, moment.day
        hour, minute = moment.hour, moment.minute + 1
        limit = year + SEARCH_YEARS
        while year <= limit:
            found = following(self.months, month)
            if found is None:
                year, month, day, hour, minute = year + 1, 1, 1, 0, 0
                continue
            if found != month:
                month, day, hour, minute = found, 1, 0, 0
            found = self.first_day(year, month, day)
            if found is None:
                month, day, hour, minute = month + 1, 1, 0, 0
                continue
            if found != day:
                day, hour, minute = found, 0, 0
            found = following(self.hours, hour)
            if found is None:
                day, hour, minute = day + 1, 0, 0
                continue
            if found != hour:
                hour, minute = found, 0
            found = following(self.minutes, minute)
            if found is None:
                hour, minute = hour + 1, 0
                continue
            return datetime.datetime(year, month, day, hour, found)
        return None


def following(values, current):
    """The first of the sorted ``values`` at or after ``current``, or
    None."""
    index = bisect.bisect_left(values, current)
    return values[index] if index < len(values) else None


def fields_of(periodicity):
    """The Fields of ``periodicity``, or None when croniter must match
    it."""
    try:
        return _fields[periodicity]
    except KeyError:
        pass
    expanded, nth_weekdays = croniter.expand(periodicity)
    fields = None
    if len(expanded) == 5 and not nth_weekdays and all(
            values == ['*'] or all(isinstance(value, int) for value in values)
            for values in expanded):
        fields = Fields(expanded)
    if len(_fields) > FIELDS_CACHE_SIZE:
        _fields.clear()
    _fields[periodicity] = fields
    return fields


def plain(moment):
    """A naive datetime.datetime to the second (the test time machine's
    datetimes are a subclass croniter cannot always read)."""
    return datetime.datetime(*moment.timetuple()[:6])


def next_match(periodicity, start):
    """The first naive wall time after the naive ``start`` that matches
    ``periodicity``: ``croniter(periodicity, start).get_next(datetime)``."""
    fields = fields_of(periodicity)
    found = None
    if fields is not None:
        found = fields.first_after(start)
    if found is None:
        found = croniter(periodicity, plain(start)).get_next(
            datetime.datetime)
    return found


def matches(periodicity, start):
    """The wall times after ``start`` that match ``periodicity``, one after
    the other (as croniter's get_next called again and again)."""
    while True:
        start = next_match(periodicity, start)
        yield start
