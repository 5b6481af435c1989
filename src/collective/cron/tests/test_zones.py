# -*- coding: utf-8 -*-
"""Time zones and DST: per-cron and crontab-wide zones, next runs across
DST changes (model), and the same runs through the real queue with the
time machine."""
import contextlib
import datetime
import os
import time
import unittest

import transaction
from plone.registry.interfaces import IRegistry
from zope.component import getUtility

from collective.cron.crontab import Cron
from collective.cron.crontab import Crontab
from collective.cron.crontab import next_run
from collective.cron.interfaces import InvalidCron
from collective.cron.registry import CRONTAB
from collective.cron.registry import ZONE
from collective.cron.registry import encode
from collective.cron.testing import set_now
from collective.cron.tests import runners
from collective.cron.tests.base import QueueTestCase
from collective.cron.tests.base import utc

PARIS = 'Europe/Paris'
NEW_YORK = 'America/New_York'

#: (zone, periodicity, start, the next runs in UTC)
CASES = [
    # spring forward: 02:30 does not exist; it runs once, at 03:00
    (PARIS, u'30 2 * * *', utc(2008, 3, 29, 12),
     [utc(2008, 3, 30, 1, 0), utc(2008, 3, 31, 0, 30)]),
    (NEW_YORK, u'30 2 * * *', utc(2008, 3, 8, 12),
     [utc(2008, 3, 9, 7, 0), utc(2008, 3, 10, 6, 30)]),
    # fall back: 02:30 (Paris) / 01:30 (New York) happen twice; once
    (PARIS, u'30 2 * * *', utc(2008, 10, 25, 12),
     [utc(2008, 10, 26, 0, 30), utc(2008, 10, 27, 1, 30)]),
    (NEW_YORK, u'30 1 * * *', utc(2008, 11, 1, 12),
     [utc(2008, 11, 2, 5, 30), utc(2008, 11, 3, 6, 30)]),
    # hourly: every real hour once, on both changes
    (PARIS, u'0 * * * *', utc(2008, 3, 29, 23, 30),
     [utc(2008, 3, 30, 0), utc(2008, 3, 30, 1), utc(2008, 3, 30, 2)]),
    (PARIS, u'0 * * * *', utc(2008, 10, 25, 22, 30),
     [utc(2008, 10, 25, 23), utc(2008, 10, 26, 0), utc(2008, 10, 26, 1),
      utc(2008, 10, 26, 2)]),
    (NEW_YORK, u'@hourly', utc(2008, 3, 9, 5, 30),
     [utc(2008, 3, 9, 6), utc(2008, 3, 9, 7), utc(2008, 3, 9, 8)]),
    (NEW_YORK, u'0 * * * *', utc(2008, 11, 2, 4, 30),
     [utc(2008, 11, 2, 5), utc(2008, 11, 2, 6), utc(2008, 11, 2, 7)]),
    # the runs of a gap are one run, at its end
    (NEW_YORK, u'*/20 * * * *', utc(2008, 3, 9, 6, 30),
     [utc(2008, 3, 9, 6, 40), utc(2008, 3, 9, 7, 0),
      utc(2008, 3, 9, 7, 20)]),
    # a fixed hour with minutes in the repeated hour: first occurrence only
    (NEW_YORK, u'*/30 1 * * *', utc(2008, 11, 2, 4, 50),
     [utc(2008, 11, 2, 5, 0), utc(2008, 11, 2, 5, 30),
      utc(2008, 11, 3, 6, 0)]),
    # no DST change: the wall clock of the zone
    (NEW_YORK, u'0 3 * * *', utc(2008, 1, 1),
     [utc(2008, 1, 1, 8), utc(2008, 1, 2, 8)]),
]


def runs_after(zone, periodicity, start, count):
    found = []
    for _ in range(count):
        start = next_run(periodicity, start, zone)
        found.append(start)
    return found


@contextlib.contextmanager
def local_zone(name):
    """The process' local zone (TZ) set to ``name`` inside the block."""
    previous = os.environ.get('TZ')
    os.environ['TZ'] = name
    time.tzset()
    try:
        yield
    finally:
        if previous is None:
            del os.environ['TZ']
        else:
            os.environ['TZ'] = previous
        time.tzset()


class TestNextRuns(unittest.TestCase):

    def test_dst_changes_in_two_zones_under_several_local_zones(self):
        for local in ('UTC', PARIS, NEW_YORK, 'Asia/Kolkata'):
            with local_zone(local):
                for zone, periodicity, start, expected in CASES:
                    self.assertEqual(
                        runs_after(zone, periodicity, start, len(expected)),
                        expected, '%s %s from %s (TZ=%s)'
                        % (zone, periodicity, start, local))

    def test_a_naive_start_is_local_time(self):
        with local_zone(PARIS):
            self.assertEqual(next_run(u'0 3 * * *',
                                      datetime.datetime(2008, 1, 1, 1),
                                      NEW_YORK),
                             utc(2008, 1, 1, 8))

    def test_without_a_zone_the_local_zone_as_2x(self):
        with local_zone(PARIS):
            self.assertEqual(next_run(u'0 3 * * *', utc(2008, 1, 1)),
                             utc(2008, 1, 1, 2))
        with local_zone(NEW_YORK):
            self.assertEqual(next_run(u'0 3 * * *', utc(2008, 1, 1)),
                             utc(2008, 1, 1, 8))


class TestZoneSettings(unittest.TestCase):

    def cron(self, **kwargs):
        return Cron(name=u'a', periodicity=u'0 3 * * *', **kwargs)

    def test_records_without_a_zone_are_unchanged(self):
        cron = self.cron(uid=u'x')
        self.assertIsNone(cron.timezone)
        self.assertEqual(sorted(cron.dump()), sorted(Cron.SETTINGS +
                                                     ('logs',)))
        self.assertNotIn('timezone', encode(cron))
        self.assertEqual(Cron.load(encode(cron)).dump(), cron.dump())

    def test_a_zone_is_stored_in_the_record(self):
        cron = self.cron(timezone=u' Europe/Paris ')
        self.assertEqual(cron.timezone, u'Europe/Paris')
        self.assertEqual(cron.dump()['timezone'], u'Europe/Paris')
        loaded = Cron.load(encode(cron))
        self.assertEqual(loaded.timezone, u'Europe/Paris')
        self.assertEqual(loaded, cron)
        self.assertFalse(loaded.similar(self.cron(uid=cron.uid)))

    def test_2x_signature_still_works(self):
        cron = Cron(u'uid1', u'name', u'me', True, u'0 3 * * *', [], {},
                    None, 5, NEW_YORK)
        self.assertEqual((cron.uid, cron.logs_limit, cron.timezone),
                         (u'uid1', 5, NEW_YORK))

    def test_unknown_zone_is_an_invalid_cron_naming_it(self):
        for bad in (u'Mars/Olympus', u'europe/paris', 42):
            with self.assertRaises(InvalidCron) as caught:
                self.cron(timezone=bad)
            self.assertIn(repr(bad), str(caught.exception))
            self.assertIn('timezone', str(caught.exception))
        with self.assertRaises(InvalidCron):
            Cron.load({'name': u'a', 'periodicity': u'* * * * *',
                       'timezone': u'Nowhere'})

    def test_empty_zone_is_no_zone(self):
        self.assertIsNone(self.cron(timezone=u'  ').timezone)

    def test_the_cron_zone_wins_over_the_crontab_zone(self):
        crontab = Crontab(timezone=PARIS)
        own = Cron(name=u'a', periodicity=u'0 3 * * *', crontab=crontab,
                   timezone=NEW_YORK)
        other = Cron(name=u'b', periodicity=u'0 3 * * *', crontab=crontab)
        self.assertEqual((own.zone, other.zone), (NEW_YORK, PARIS))
        self.assertEqual(own.next_after(utc(2008, 1, 1)), utc(2008, 1, 1, 8))
        self.assertEqual(other.next_after(utc(2008, 1, 1)),
                         utc(2008, 1, 1, 2))
        with self.assertRaises(InvalidCron):
            Crontab(timezone=u'Nowhere')


class TestZonesInTheQueue(QueueTestCase):
    """The runs of zoned crons through the real queue."""

    def add_at(self, start, **kwargs):
        set_now(start)
        return self.add(**kwargs)

    def run_at(self, uid, moment, count, following):
        """Move the clock to ``moment``: the cron's ``count``th run happens,
        then its next run is queued at ``following``."""
        self.assertEqual(self.queue.begins(uid), moment)
        set_now(moment)
        logs = self.wait_logs(uid, count)
        self.wait_queued_after(uid, following)
        self.assertEqual(len(runners.runs()), count)
        return logs

    def test_spring_forward_runs_once_after_the_gap_paris(self):
        uid = self.add_at(utc(2008, 3, 29, 12), periodicity=u'30 2 * * *',
                          timezone=PARIS)
        transaction.begin()
        self.run_at(uid, utc(2008, 3, 30, 1), 1, utc(2008, 3, 31, 0, 30))

    def test_spring_forward_runs_once_after_the_gap_new_york(self):
        uid = self.add_at(utc(2008, 3, 8, 12), periodicity=u'30 2 * * *',
                          timezone=NEW_YORK)
        transaction.begin()
        self.run_at(uid, utc(2008, 3, 9, 7), 1, utc(2008, 3, 10, 6, 30))

    def test_fall_back_runs_once(self):
        uid = self.add_at(utc(2008, 10, 25, 12), periodicity=u'30 2 * * *',
                          timezone=PARIS)
        transaction.begin()
        self.run_at(uid, utc(2008, 10, 26, 0, 30), 1,
                    utc(2008, 10, 27, 1, 30))
        set_now(utc(2008, 10, 26, 1, 45))
        self.assertEqual(self.queue.begins(uid), utc(2008, 10, 27, 1, 30))
        self.assertEqual(len(runners.runs()), 1)

    def test_hourly_on_fall_back_runs_every_real_hour(self):
        uid = self.add_at(utc(2008, 11, 2, 4, 30), periodicity=u'0 * * * *',
                          timezone=NEW_YORK)
        transaction.begin()
        self.run_at(uid, utc(2008, 11, 2, 5), 1, utc(2008, 11, 2, 6))
        self.run_at(uid, utc(2008, 11, 2, 6), 2, utc(2008, 11, 2, 7))
        self.run_at(uid, utc(2008, 11, 2, 7), 3, utc(2008, 11, 2, 8))

    def test_hourly_on_spring_forward_skips_no_hour(self):
        uid = self.add_at(utc(2008, 3, 29, 23, 30),
                          periodicity=u'0 * * * *', timezone=PARIS)
        transaction.begin()
        self.run_at(uid, utc(2008, 3, 30, 0), 1, utc(2008, 3, 30, 1))
        self.run_at(uid, utc(2008, 3, 30, 1), 2, utc(2008, 3, 30, 2))

    def test_crontab_zone_is_a_registry_record(self):
        registry = getUtility(IRegistry)
        self.assertEqual(registry[ZONE], u'')
        uid = self.add(periodicity=u'0 3 * * *')
        transaction.begin()
        self.assertIsNone(Crontab.load().timezone)
        registry[ZONE] = u'America/New_York'
        transaction.commit()
        transaction.begin()
        self.assertEqual(self.cron(uid).zone, NEW_YORK)
        self.assertEqual(self.queue.begins(uid), utc(2008, 1, 1, 8),
                         'changing the record queues the run again')
        registry[ZONE] = u'Europe/Paris'
        transaction.commit()
        transaction.begin()
        self.assertEqual(self.queue.begins(uid), utc(2008, 1, 1, 2))

    def test_unknown_crontab_zone_is_the_local_zone(self):
        registry = getUtility(IRegistry)
        registry[ZONE] = u'Nowhere/Land'
        transaction.commit()
        transaction.begin()
        self.assertIsNone(Crontab.load().timezone)
        self.assertTrue(registry[CRONTAB] is not None)


class TestZoneUpgrade(QueueTestCase):

    def test_upgrade_adds_the_empty_record_and_keeps_a_value(self):
        from collective.cron.upgrades import add_zone_record
        registry = getUtility(IRegistry)
        setup = self.portal.portal_setup
        del registry.records[ZONE]
        self.assertIsNone(Crontab.load().timezone)
        add_zone_record(setup)
        self.assertEqual(registry[ZONE], u'')
        registry[ZONE] = u'Europe/Paris'
        add_zone_record(setup)
        self.assertEqual(registry[ZONE], u'Europe/Paris')
        self.assertEqual(Crontab.load().timezone, PARIS)

    def test_the_step_is_registered_from_3000(self):
        setup = self.portal.portal_setup
        setup.setLastVersionForProfile('collective.cron:default', '3000')
        steps = setup.listUpgrades('collective.cron:default')
        self.assertIn('collective.cron 3: crontab time zone',
                      [step['title'] for step in steps])
        setup.upgradeProfile('collective.cron:default')
        self.assertEqual(
            setup.getLastVersionForProfile('collective.cron:default'),
            ('3002',))
