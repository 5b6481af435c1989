# -*- coding: utf-8 -*-
"""The 2.x names of interfaces, crontab, events, utils and setuphandlers."""
import unittest

from zope.component import adaptedBy
from zope.interface import Interface
from zope.interface import Invalid
from zope.interface import implementedBy
from zope.interface import implementer
from zope.schema import Bool
from zope.schema.interfaces import ValidationError

from collective.cron import crontab
from collective.cron import events
from collective.cron import interfaces as i
from collective.cron import setuphandlers
from collective.cron import utils


class IFlag(Interface):
    flag = Bool(title=u'flag')


@implementer(IFlag)
class Flagged(i.ConstrainedObject):

    def __init__(self, flag):
        self.flag = flag


class TestInterfaceNames(unittest.TestCase):

    def test_one_exceptions_hierarchy(self):
        for error in (i.InvalidLog, i.InvalidCron, i.InvalidCrontab):
            self.assertTrue(issubclass(error, i.InvalidObject))
        for error in (i.InvalidObject, i.RegistryCrontabNotReady,
                      i.AsyncQueueNotReady, i.NoSuchCron,
                      i.NoSuchUserError):
            self.assertTrue(issubclass(error, i.CronError), error)
        self.assertTrue(issubclass(i.CronFormatError, i.InvalidCron))
        self.assertTrue(issubclass(i.CronFormatError, Invalid))
        self.assertTrue(issubclass(i.InvalidCronValue, ValidationError))
        self.assertIs(crontab.NoSuchCron, i.NoSuchCron)
        self.assertIs(utils.NoSuchUserError, i.NoSuchUserError)

    def test_constants_and_vocabulary(self):
        self.assertEqual(i.RESULTS_FOLDER, '--results--')
        self.assertEqual(i.MANAGE_KEY, 'ccron.adapters.manager')
        self.assertEqual([term.value for term in i.job_status], [0, 1, 3, 2])
        self.assertEqual(crontab.find_term(i.job_status, u'WARN').value, 2)
        self.assertEqual(crontab.find_term(i.job_status, '0').value, 0)
        self.assertIsNone(crontab.find_term(i.job_status, u'MAYBE'))
        self.assertEqual(crontab.datefmt, '%Y-%m-%d %H:%M:%S')

    def test_validators(self):
        for value in (None, u'', {}, u'{}', '{"a": 1}'):
            self.assertTrue(i.is_json_dict(value), value)
        for value in (u'foo', u'[1]', u'"text"'):
            with self.assertRaises(Invalid):
                i.is_json_dict(value)
        for value in (None, u'', u'*/5 * * * *'):
            self.assertTrue(i.cronFormatValidator(value))
        with self.assertRaises(i.CronFormatError) as caught:
            i.cronFormatValidator(u'1 foo')
        self.assertIn('1 foo', str(caught.exception))

    def test_constrained_object(self):
        self.assertIsNone(Flagged(True).verify())
        with self.assertRaises(ValidationError):
            Flagged('yes').verify()

    def test_browser_layer_keeps_its_2x_name(self):
        self.assertIs(i.ILayer, i.ICollectiveCronLayer)

    def test_2x_interfaces_exist(self):
        for name in ('IAsyncManager', 'ICCRONUtils', 'IJsonRegistryAware',
                     'IAnnotedQueue', 'ICrontabMarker', 'IExportImporter',
                     'ICrontabRegistryManager', 'ICrontabManager',
                     'ICronManager', 'IQueue', 'IRegistryCrontab',
                     'ICrontabCronSynchronisationEvent'):
            self.assertTrue(issubclass(getattr(i, name), Interface), name)
        self.assertTrue(i.ICron.extends(i.IJsonRegistryAware))
        self.assertTrue(i.ICronManager.extends(i.IAsyncManager))


class TestRunnerAndEvents(unittest.TestCase):

    def test_runner_declares_what_it_adapts(self):
        from Products.CMFPlone.interfaces import IPloneSiteRoot
        self.assertEqual(list(adaptedBy(crontab.Runner)),
                         [IPloneSiteRoot, i.ICron])
        self.assertIn(i.IJobRunner, list(implementedBy(crontab.Runner)))

    def test_event_signatures(self):
        site, tab = object(), crontab.Crontab()
        restart = events.ServerRestartEvent(site, tab)
        self.assertIs(restart.object, site)
        self.assertIs(restart.crontab, tab)
        sync = events.CrontabSynchronisationEvent(site, tab)
        self.assertIs(sync.crontab, tab)
        self.assertIsNone(sync.cron)
        self.assertIsNone(events.ServerRestartEvent(site).crontab)
        cron = crontab.Cron(name=u'n', periodicity=u'* * * * *')
        started = events.StartedCronJobEvent(site, cron)
        self.assertIs(started.cron, cron)
        self.assertIs(events.ModifiedCrontabEvent(tab).object, tab)


class FakeImportContext(object):

    def __init__(self, files):
        self.files = files

    def readDataFile(self, name):
        return self.files.get(name)

    def getSite(self):
        raise AssertionError('no site needed without the flag file')


class TestSetuphandlers(unittest.TestCase):

    def test_2x_handler_names(self):
        self.assertTrue(callable(setuphandlers.setupCrons))
        self.assertTrue(callable(setuphandlers.exportCrons))
        self.assertIsNone(setuphandlers.setupVarious(FakeImportContext({})))
