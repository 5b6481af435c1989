# -*- coding: utf-8 -*-
"""Log, Cron and Crontab without a site."""
import datetime
import json
import unittest

import pytz
import six

from collective.cron import crontab as model
from collective.cron.interfaces import CronFormatError
from collective.cron.interfaces import InvalidCron
from collective.cron.interfaces import InvalidCrontab
from collective.cron.interfaces import InvalidLog
from collective.cron.interfaces import job_status
from zope.schema.interfaces import ConstraintNotSatisfied
from zope.schema.interfaces import RequiredMissing
from zope.schema.interfaces import ValidationError
from collective.cron.testing import COLLECTIVE_CRON_INTEGRATION_TESTING
from collective.cron.testing import DEFAULT_NOW
from collective.cron.testing import set_now
from collective.cron.utils import local_naive
from collective.cron.utils import to_utc


def utc(*args):
    return datetime.datetime(*args, tzinfo=pytz.UTC)


def local(*args):
    """The naive local time of a UTC time (log dates are local, as 2.x)."""
    return local_naive(utc(*args))


class TestLog(unittest.TestCase):

    layer = COLLECTIVE_CRON_INTEGRATION_TESTING

    def test_defaults(self):
        log = model.Log()
        self.assertEqual(log.date, local_naive(DEFAULT_NOW))
        self.assertEqual(log.utc_date, DEFAULT_NOW)
        self.assertEqual(log.status, model.OK)
        self.assertEqual(log.messages, [])
        self.assertEqual(log.sdate,
                         local_naive(DEFAULT_NOW).strftime(model.datefmt))
        self.assertEqual(log.sstatus, u'OK')

    def test_statuses_and_vocabulary(self):
        self.assertEqual((model.FAILURE, model.OK, model.WARN, model.NOTRUN),
                         (0, 1, 2, 3))
        titles = [term.title for term in model.status_vocabulary]
        self.assertEqual(titles, [u'FAILURE', u'OK', u'WARN', u'NOTRUN'])
        self.assertEqual(
            model.status_vocabulary.getTerm(model.WARN).title, u'WARN')

    def test_round_trip_and_equality(self):
        log = model.Log(utc(2008, 1, 2, 3, 4, 5), model.WARN,
                        [u'h\xe9', b'bytes \xc3\xa9'])
        self.assertEqual(log.messages, [u'h\xe9', u'bytes \xe9'])
        data = log.dump()
        self.assertEqual(json.loads(json.dumps(data)), data)
        again = model.Log.load(data)
        self.assertEqual(again, log)
        self.assertEqual(again.dump(), data)
        self.assertEqual(model.Log.load(json.dumps(data)), log)
        self.assertNotEqual(model.Log(status=model.FAILURE), model.Log())

    def test_dates_are_naive_local_time(self):
        paris = pytz.timezone('Europe/Paris')
        log = model.Log(paris.localize(datetime.datetime(2008, 1, 1, 1, 0)))
        self.assertEqual(log.date, local(2008, 1, 1))
        self.assertIsNone(log.date.tzinfo)
        self.assertEqual(model.Log('2008-01-01 00:00:00').date,
                         datetime.datetime(2008, 1, 1))
        self.assertEqual(model.Log(datetime.datetime(2008, 1, 1, 0, 0, 1,
                                                     5)).date,
                         datetime.datetime(2008, 1, 1, 0, 0, 1))

    def test_2x_loading_leniency(self):
        for data in ('', None, [], 'not json', {'date': 'foodate'}, {}):
            self.assertIsNone(model.Log.load(data), data)
        log = model.Log.load({'date': '2008-01-01 1:1:1', 'status': 1,
                              'messages': '2'})
        self.assertEqual(log.date, datetime.datetime(2008, 1, 1, 1, 1, 1))
        self.assertEqual(log.messages, [u'2'])
        self.assertIs(model.Log.load(log), log)
        self.assertEqual(repr(log), 'log: 2008-01-01 01:01:01/OK+')
        log.messages = []
        self.assertEqual(repr(log), 'log: 2008-01-01 01:01:01/OK')

    def test_bad_values_name_the_field(self):
        with self.assertRaises(InvalidLog) as caught:
            model.Log(status=7)
        self.assertIn('log status', str(caught.exception))
        self.assertIn('7', str(caught.exception))
        self.assertIsInstance(caught.exception, ConstraintNotSatisfied)
        with self.assertRaises(InvalidLog) as caught:
            model.Log(date='yesterday')
        self.assertIn("'yesterday'", str(caught.exception))
        with self.assertRaises(InvalidLog):
            model.Log(messages={'a': 1})
        log = model.Log()
        for field in ('date', 'status'):
            with self.assertRaises(RequiredMissing):
                setattr(log, field, None)
        with self.assertRaises(ValidationError):
            model.Log.load({'date': '2008-01-01 00:00:00', 'status': 666})

    def test_status_by_value_token_or_title(self):
        for status in (model.WARN, '2', u'WARN'):
            self.assertEqual(model.Log(status=status).status, model.WARN)
        self.assertEqual(model.find_term(job_status, u'NOTRUN').value,
                         model.NOTRUN)
        self.assertIsNone(model.find_term(job_status, u'nope'))


class TestCron(unittest.TestCase):

    layer = COLLECTIVE_CRON_INTEGRATION_TESTING

    def make(self, **kwargs):
        kwargs.setdefault('name', u'mycron')
        kwargs.setdefault('periodicity', u'*/5 * * * *')
        return model.Cron(**kwargs)

    def test_defaults(self):
        cron = self.make()
        self.assertEqual(len(cron.uid), 32)
        int(cron.uid, 16)
        self.assertNotEqual(cron.uid, self.make().uid)
        self.assertFalse(cron.activated)
        self.assertEqual(cron.environ, {})
        self.assertEqual(cron.logs, [])
        self.assertEqual(cron.logs_limit, 25)
        self.assertEqual(model.Cron.load(dict(name=u'n', periodicity=u'* * * * *')).logs_limit, 5)
        self.assertIsNone(cron.user)
        self.assertIsNone(cron.crontab)
        self.assertIsNone(cron.last)
        self.assertIsNone(cron.last_date)
        self.assertIsNone(cron.last_status)
        self.assertEqual(cron.last_messages, [])
        self.assertEqual(cron.slast, u'')

    def test_next_is_aware_utc_and_follows_the_clock(self):
        # every quarter of an hour: the same instants in every time zone
        cron = self.make(periodicity=u'*/15 * * * *')
        self.assertEqual(cron.next, utc(2008, 1, 1, 0, 15))
        self.assertEqual(cron.next.tzinfo, pytz.UTC)
        self.assertEqual(cron.snext, '')
        cron.activated = True
        self.assertEqual(cron.snext, '2008-01-01 00:15:00')
        set_now(utc(2008, 1, 1, 0, 15, 30))
        self.assertEqual(cron.next, utc(2008, 1, 1, 0, 30))
        set_now(utc(2008, 1, 1, 0, 30))
        self.assertEqual(cron.next, utc(2008, 1, 1, 0, 45))

    def test_periodicity_is_read_in_local_time(self):
        cron = self.make(periodicity=u'0 3 * * *')
        three = datetime.datetime(2008, 1, 1, 3, 0)
        if to_utc(three) <= DEFAULT_NOW:
            three += datetime.timedelta(days=1)
        self.assertEqual(cron.next, to_utc(three))
        self.assertEqual(local_naive(cron.next).hour, 3)

    def test_repr(self):
        cron = self.make(uid=u'abc', periodicity=u'*/15 * * * *',
                         activated=True, environ={u'a': 1})
        # reprs are native strings: UTF-8 bytes on Python 2, text on 3
        if six.PY2:
            environ, cafe, named_repr = ("{u'a': 1}", 'caf\xc3\xa9',
                                         't\xc3\xa2che/\xc3\xa9t\xc3\xa9')
        else:
            environ, cafe, named_repr = ("{'a': 1}", u'caf\xe9',
                                         u't\xe2che/\xe9t\xe9')
        self.assertEqual(repr(cron),
                         'cron: mycron/abc [ON:2008-01-01 00:15:00] '
                         + environ)
        cron.activated = False
        cron.log(status=model.OK)
        self.assertEqual(repr(cron),
                         "cron: mycron/abc [OFF] (1 logs) " + environ)
        self.assertIn(cafe, repr(self.make(name=u'caf\xe9')))
        named = self.make(name=u't\xe2che/\xe9t\xe9',
                          environ={u'\xe9': u'\xe9'})
        self.assertIn(named_repr, repr(named))
        self.assertIsInstance(repr(named), str)

    def test_environ_accepts_json_text(self):
        cron = self.make(environ=u'{"k": "v\\u00e9"}')
        self.assertEqual(cron.environ, {u'k': u'v\xe9'})
        self.assertEqual(self.make(environ=u'').environ, {})

    def test_invalid_values_name_field_and_value(self):
        cases = [
            (dict(periodicity=u'every day'), 'periodicity', 'every day'),
            (dict(periodicity=u'61 * * * *'), 'periodicity', '61 * * * *'),
            (dict(periodicity=None), 'periodicity', 'None'),
            (dict(periodicity=u'* * * * * *'), 'periodicity', '* * * * * *'),
            (dict(periodicity=u'0 0 31 2 *'), 'periodicity', '0 0 31 2 *'),
            (dict(environ=u'[1, 2]'), 'environ', '[1, 2]'),
            (dict(environ=u'{nope'), 'environ', '{nope'),
            (dict(environ=[1]), 'environ', '[1]'),
            (dict(logs_limit=0), 'logs_limit', '0'),
            (dict(logs_limit=26), 'logs_limit', '26'),
            (dict(logs_limit=u'many'), 'logs_limit', 'many'),
            (dict(name=42), 'name', '42'),
            (dict(name=u''), 'name', "u''" if six.PY2 else "''"),
            (dict(activated=u'perhaps'), 'activated', 'perhaps'),
            (dict(user=12), 'user', '12'),
        ]
        for kwargs, field, value in cases:
            with self.assertRaises(InvalidCron) as caught:
                self.make(**kwargs)
            message = str(caught.exception)
            self.assertIn(field, message, kwargs)
            self.assertIn(value, message, kwargs)
        self.assertTrue(issubclass(CronFormatError, InvalidCron))
        with self.assertRaises(CronFormatError):
            self.make(periodicity=u'* * *')

    def test_setters_validate(self):
        cron = self.make()
        with self.assertRaises(CronFormatError):
            cron.periodicity = u'bad'
        self.assertEqual(cron.periodicity, u'*/5 * * * *')
        cron.periodicity = u'*/15 * * * *'
        self.assertEqual(cron.next, utc(2008, 1, 1, 0, 15))

    def test_logs_newest_first_and_trimmed(self):
        cron = self.make(logs_limit=3)
        for minute in range(5):
            cron.log(date=utc(2008, 1, 1, 0, minute), status=model.OK,
                     messages=[u'run %s' % minute])
        self.assertEqual([log.messages[0] for log in cron.logs],
                         [u'run 4', u'run 3', u'run 2'])
        self.assertEqual(cron.last.messages, [u'run 4'])
        self.assertEqual(cron.last_date, local(2008, 1, 1, 0, 4))
        self.assertEqual(cron.last_status, model.OK)
        self.assertEqual(cron.last_messages, [u'run 4'])
        self.assertEqual(cron.slast, cron.last.sdate)
        self.assertEqual(cron.slast_date, cron.slast)
        cron.log(date=utc(2007, 1, 1), status=model.FAILURE)
        self.assertEqual(len(cron.logs), 3)
        self.assertEqual(cron.last.status, model.FAILURE,
                         'the order is that of the runs, not of the dates')
        self.assertEqual(cron.logs[1].messages, [u'run 4'])
        cron.logs_limit = 1
        self.assertEqual(len(cron.logs), 1)
        logged = cron.log(status=model.WARN, messages=u'one')
        self.assertEqual(logged.messages, [u'one'])
        self.assertEqual(logged.date, local_naive(DEFAULT_NOW))

    def test_loaded_logs_keep_their_order_and_are_trimmed(self):
        logs = [model.Log(utc(2008, 1, day)).dump()
                for day in range(7, 0, -1)]
        logs.insert(1, {'date': u'not a date', 'status': 1})
        cron = self.make(logs=logs, logs_limit=2)
        self.assertEqual([log.utc_date.day for log in cron.logs], [7, 6])

    def test_bad_logs_refused_by_the_constructor_skipped_by_load(self):
        bad = [{'date': u'2008-01-01 00:00:00', 'status': 7},
               {'date': u'2008-01-01 00:00:00', 'status': 1}]
        with self.assertRaises(InvalidLog):
            self.make(logs=bad)
        with self.assertRaises(InvalidCron) as caught:
            self.make(logs=u'{"date": 1}')
        self.assertIn('logs', str(caught.exception))
        loaded = model.Cron.load(dict(name=u'n', periodicity=u'* * * * *',
                                      logs=bad))
        self.assertEqual([log.status for log in loaded.logs], [model.OK])
        self.assertEqual(model.Cron.load(dict(name=u'n', logs=u'x',
                                              periodicity=u'* * * * *')).logs,
                         [])

    def test_round_trip(self):
        cron = self.make(name=u'n\xe9', user=u'bob', activated=True,
                         environ={u'k\xe9': [u'v\xe9', 1]}, logs_limit=7)
        cron.log(status=model.WARN, messages=[u'\u2603'])
        data = cron.dump()
        self.assertEqual(json.loads(json.dumps(data)), data)
        again = model.Cron.load(data)
        self.assertEqual(again, cron)
        self.assertEqual(again.dump(), data)
        self.assertEqual(model.Cron.load(json.dumps(data)), cron)
        self.assertEqual(model.Cron.load(cron), cron)

    def test_load_rejects_bad_records(self):
        with self.assertRaises(InvalidCron) as caught:
            model.Cron.load(u'{"uid": ')
        self.assertIn('not JSON', str(caught.exception))
        with self.assertRaises(InvalidCron):
            model.Cron.load(u'[1]')
        with self.assertRaises(InvalidCron) as caught:
            model.Cron.load({'uid': u'x', 'name': u'n', 'periodicity': u'x'})
        self.assertIn("'x'", str(caught.exception))

    def test_loads_the_2x_record_shape(self):
        record = json.dumps({
            'uid': '7f4e6b7ad6bd46d1a44a1c0c7e41e9cc', 'name': 'mytask',
            'periodicity': '*/1 * * * *', 'environ': {'foo': 'bar'},
            'activated': True, 'user': None, 'logs_limit': 5,
            'logs': [{'date': '2008-01-01 00:01:00', 'status': 2,
                      'messages': ['careful']}],
        })
        cron = model.Cron.load(record)
        self.assertEqual(cron.name, u'mytask')
        self.assertEqual(cron.last_status, model.WARN)
        self.assertEqual(cron.last_date, datetime.datetime(2008, 1, 1, 0, 1))
        self.assertEqual(cron.environ, {u'foo': u'bar'})

    def test_similar_ignores_logs_but_not_settings(self):
        cron = self.make(uid=u'u1')
        other = model.Cron.load(cron.dump())
        other.log()
        self.assertTrue(cron.similar(other))
        self.assertNotEqual(cron, other)
        other.periodicity = u'0 * * * *'
        self.assertFalse(cron.similar(other))
        self.assertFalse(cron.similar(u'not a cron'))

    def test_save_outside_a_crontab_does_nothing(self):
        self.assertIsNone(self.make().save())

    def test_change_uid_keeps_the_place(self):
        crontab = model.Crontab()
        first, second, third = [self.make(name=u'c%s' % i, crontab=crontab)
                                for i in range(3)]
        old = second.uid
        new = second.change_uid()
        self.assertNotEqual(old, new)
        self.assertEqual(list(crontab.crons),
                         [first.uid, new, third.uid])
        self.assertIs(crontab.by_uid(new), second)


class TestCrontab(unittest.TestCase):

    layer = COLLECTIVE_CRON_INTEGRATION_TESTING

    def make(self, crontab=None, **kwargs):
        kwargs.setdefault('periodicity', u'*/5 * * * *')
        return model.Cron(crontab=crontab, **kwargs)

    def test_linking_both_ways(self):
        crontab, other = model.Crontab(), model.Crontab()
        cron = self.make(name=u'a', crontab=crontab)
        self.assertIs(crontab.crons[cron.uid], cron)
        cron.crontab = other
        self.assertNotIn(cron.uid, crontab.crons)
        self.assertIs(other.by_uid(cron.uid), cron)
        crontab.add_cron(cron)
        self.assertIs(cron.crontab, crontab)
        self.assertNotIn(cron.uid, other.crons)
        cron.crontab = None
        self.assertEqual(len(crontab.crons), 0)

    def test_uid_clash_renames_the_newcomer_of_add_cron(self):
        crontab = model.Crontab()
        first = self.make(uid=u'same', name=u'first', crontab=crontab)
        second = self.make(uid=u'same', name=u'second')
        self.assertIsNone(crontab.add_cron(second))
        self.assertEqual(first.uid, u'same')
        self.assertNotEqual(second.uid, u'same')
        self.assertEqual([c.name for c in crontab.crons.values()],
                         [u'first', u'second'])

    def test_a_cron_made_in_a_crontab_replaces_its_uid(self):
        crontab = model.Crontab()
        self.make(uid=u'same', name=u'first', crontab=crontab)
        second = model.Cron.load(dict(uid=u'same', name=u'second',
                                      periodicity=u'* * * * *'), crontab)
        self.assertEqual(second.uid, u'same')
        self.assertEqual(list(crontab.crons.values()), [second])

    def test_by(self):
        crontab = model.Crontab()
        a = self.make(name=u'a', activated=True, crontab=crontab)
        b = self.make(name=u'b', crontab=crontab)
        a2 = self.make(name=u'a', periodicity=u'0 * * * *', crontab=crontab)
        self.assertEqual(crontab.by_name(u'a'), [a, a2])
        self.assertEqual(crontab.by(activated=True), [a])
        self.assertEqual(crontab.by(name=u'a', periodicity=u'0 * * * *'),
                         [a2])
        self.assertEqual(crontab.by(uid=b.uid), [b])
        self.assertIs(crontab.by_uid(b.uid), b)
        with self.assertRaises(model.NoSuchCron):
            crontab.by_uid(u'nope')
        with self.assertRaises(TypeError):
            crontab.by(colour=u'red')

    def test_load_accepts_every_shape(self):
        crontab = model.Crontab(activated=False)
        self.make(name=u'a', crontab=crontab)
        self.make(name=u'b\xe9', environ={u'x': u'\xe9'}, crontab=crontab)
        data = crontab.dump()
        shapes = [data, [json.dumps(item) for item in data],
                  json.dumps(data)]
        for shape in shapes:
            loaded = model.Crontab.load(shape, activated=False)
            self.assertEqual(loaded, crontab)
            self.assertEqual(loaded.dump(), data)
            self.assertEqual(list(loaded.crons), list(crontab.crons))
        self.assertNotEqual(model.Crontab.load(data, activated=True), crontab)
        for bad in (u'foo', u'3', u'"text"'):
            with self.assertRaises(InvalidCrontab):
                model.Crontab.load(bad)
        crons = list(crontab.crons.values())
        adopted = model.Crontab.load(crons + [u'broken', {u'name': 1}])
        self.assertEqual(list(adopted.crons.values()), crons)
        self.assertTrue(all(cron.crontab is adopted for cron in crons))
        self.assertEqual(adopted.invalid_records, [u'broken', {u'name': 1}])
        self.assertIs(model.Crontab.load(adopted), adopted)

    def test_equality_ignores_logs(self):
        crontab = model.Crontab()
        cron = self.make(name=u'a', crontab=crontab)
        other = model.Crontab.load(crontab.dump())
        other.by_uid(cron.uid).log()
        self.assertEqual(crontab, other)
        other.by_uid(cron.uid).name = u'b'
        self.assertNotEqual(crontab, other)

    def test_save_cron_writes_a_cron_of_no_crontab_too(self):
        cron = self.make(name=u'a')
        model.Crontab().save_cron(cron)
        self.assertEqual(model.Crontab.load().by_uid(cron.uid).name, u'a')
