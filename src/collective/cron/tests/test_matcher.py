# -*- coding: utf-8 -*-
"""collective.cron.matcher: the next wall time of a periodicity, found by
walking the calendar over croniter's expanded fields, gives croniter's
answer (bench P8: the next 5 runs of 1,000 crons)."""
import calendar
import datetime
import random
import unittest

from croniter import croniter

from collective.cron import matcher
from collective.cron.matcher import matches
from collective.cron.matcher import next_match

#: periodicities of every shape the walk handles, and some it leaves to
#: croniter (seconds, L, #)
PERIODICITIES = (
    u'* * * * *', u'*/5 * * * *', u'0 * * * *', u'30 2 * * *',
    u'0 0 * * 0', u'0 0 * * 7', u'15 10 * * 1-5', u'0 9 * * sat,sun',
    u'0 0 1 * *', u'0 0 31 * *', u'0 0 29 2 *', u'0 12 13 * 5',
    u'0 0 1-31 * 1', u'0 0 1 * 0-6', u'5-2 */7 * * *', u'0 0 */3 * *',
    u'59 23 30 4,6,9,11 *', u'0 0 1 1 *', u'*/20 9-17 * 2-11 mon-fri',
    u'@hourly', u'@daily', u'@weekly', u'@monthly', u'@yearly',
    u'0 0 * * * 30', u'0 0 L * *', u'0 12 * * 5#2',
)


def late_february(moment):
    """croniter 6.0 misses the 1st of March from the last days of
    February for some day-of-month lists (see test_first_of_march)."""
    return moment.month == 2 and moment.day >= 20


def starts(count, seed):
    """``count`` naive starts between 2000 and 2040 (with seconds), a
    third of them at the end of a month."""
    chance = random.Random(seed)
    found = []
    for _ in range(count):
        moment = datetime.datetime(2000, 1, 1) + datetime.timedelta(
            seconds=chance.randint(0, 40 * 365 * 86400))
        if chance.random() < 0.3:
            last = calendar.monthrange(moment.year, moment.month)[1]
            moment = moment.replace(day=last, hour=23, minute=59)
        found.append(moment)
    return found


class TestNextMatch(unittest.TestCase):

    def test_as_croniter(self):
        compared = 0
        for periodicity in PERIODICITIES:
            for start in starts(200, periodicity):
                if late_february(start):
                    continue
                expected = croniter(periodicity, start).get_next(
                    datetime.datetime)
                self.assertEqual(next_match(periodicity, start), expected,
                                 (periodicity, start))
                compared += 1
        self.assertGreater(compared, 20 * 150)

    def test_successive_matches_as_croniter(self):
        start = datetime.datetime(2011, 12, 30, 22, 17, 42)
        for periodicity in PERIODICITIES:
            iterator = croniter(periodicity, start)
            expected = [iterator.get_next(datetime.datetime)
                        for _ in range(20)]
            found = matches(periodicity, start)
            self.assertEqual([next(found) for _ in range(20)], expected,
                             periodicity)

    def test_left_to_croniter(self):
        for periodicity in (u'0 0 * * * 30', u'0 0 L * *', u'0 12 * * 5#2'):
            self.assertIsNone(matcher.fields_of(periodicity), periodicity)
        self.assertIsNotNone(matcher.fields_of(u'0 0 29 2 *'))

    def test_strictly_after_to_the_minute(self):
        start = datetime.datetime(2012, 10, 9, 12, 0, 0)
        self.assertEqual(next_match(u'* * * * *', start),
                         start + datetime.timedelta(minutes=1))
        self.assertEqual(next_match(u'* * * * *', start.replace(second=59)),
                         start + datetime.timedelta(minutes=1))
        self.assertEqual(next_match(u'0 12 * * *', start),
                         start + datetime.timedelta(days=1))

    def test_leap_day(self):
        found = next_match(u'0 0 29 2 *', datetime.datetime(2097, 3, 1))
        self.assertEqual((found.year, found.month, found.day), (2104, 2, 29))

    def test_first_of_march(self):
        """From 28 February 23:59, ``0 0 */3 * *`` (days 1, 4, ..., 31)
        runs on 1 March; croniter 6.0 says 4 March."""
        start = datetime.datetime(2016, 2, 28, 23, 59, 13)
        found = next_match(u'0 0 */3 * *', start)
        self.assertEqual(found, datetime.datetime(2016, 3, 1))
