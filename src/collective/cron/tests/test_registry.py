# -*- coding: utf-8 -*-
"""The crontab in the site's registry."""
import json
import unittest

import six
from plone.registry.interfaces import IRegistry
from zope.component import getUtility
from zope.component import provideHandler
from zope.component.globalregistry import getGlobalSiteManager

from collective.cron import crontab as model
from collective.cron import registry as cron_registry
from collective.cron.interfaces import ICrontabRegistryManager
from collective.cron.interfaces import IRegistryCrontab
from collective.cron.interfaces import IModifiedCrontabEvent
from collective.cron.interfaces import ICrontabSynchronisationEvent
from collective.cron.testing import COLLECTIVE_CRON_INTEGRATION_TESTING


def record(data):
    """A registry record: JSON text (unicode)."""
    return six.ensure_text(json.dumps(data), 'ascii')


class EventRecorder(object):
    """Records events of some interfaces while registered."""

    def __init__(self, *interfaces):
        self.events = []
        self.interfaces = interfaces

    def __call__(self, event):
        self.events.append(event)

    def __enter__(self):
        for interface in self.interfaces:
            provideHandler(self, [interface])
        return self

    def __exit__(self, *exc_info):
        for interface in self.interfaces:
            getGlobalSiteManager().unregisterHandler(self, [interface])

    def of(self, interface):
        return [event for event in self.events if interface.providedBy(event)]


class TestRegistry(unittest.TestCase):

    layer = COLLECTIVE_CRON_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer['portal']
        self.registry = getUtility(IRegistry)

    def records(self):
        return list(self.registry[cron_registry.CRONTAB] or [])

    def new_crontab(self, count=3):
        crontab = model.Crontab.load()
        for index in range(count):
            model.Cron(name=u'cron%s' % index, periodicity=u'*/5 * * * *',
                       crontab=crontab)
        return crontab

    def test_installed_empty_and_activated(self):
        crontab = model.Crontab.load()
        self.assertTrue(crontab.activated)
        self.assertEqual(crontab.crons, {})
        self.assertEqual(self.records(), [])
        self.assertTrue(self.registry[cron_registry.ACTIVATED])

    def test_manager_properties(self):
        crontab = model.Crontab.load()
        manager = crontab.manager
        self.assertTrue(ICrontabRegistryManager.providedBy(manager))
        self.assertTrue(manager.activated)
        self.assertEqual(manager.crontab, [])
        self.assertFalse(manager.read_only)
        self.assertEqual(manager.cronsettings.crontab, [])
        manager.activated = False
        self.assertFalse(self.registry[cron_registry.ACTIVATED])

    def test_save_and_load(self):
        crontab = self.new_crontab()
        crontab.activated = False
        crontab.save()
        self.assertEqual(len(self.records()), 3)
        self.assertEqual([json.loads(r)['name'] for r in self.records()],
                         [u'cron0', u'cron1', u'cron2'])
        loaded = model.Crontab.load()
        self.assertEqual(loaded, crontab)
        self.assertFalse(loaded.activated)
        self.assertEqual(loaded.dump(), crontab.dump())

    def test_saving_never_changes_the_fields_default(self):
        field = self.registry.records[cron_registry.CRONTAB].field
        crontab = self.new_crontab(count=1)
        crontab.save()
        list(crontab.crons.values())[0].log(messages=[u'x'])
        list(crontab.crons.values())[0].save()
        self.assertEqual(IRegistryCrontab['crontab'].default, [])
        self.assertEqual(field.default, [])
        self.assertEqual(len(self.records()), 1)
        stored = self.registry[cron_registry.CRONTAB]
        model.Cron(name=u'more', periodicity=u'* * * * *', crontab=crontab)
        crontab.save()
        self.assertEqual(len(stored), 2, 'a list read before stays current')

    def test_save_drops_removed_crons(self):
        crontab = self.new_crontab()
        crontab.save()
        first = list(crontab.crons)[0]
        del crontab.crons[first]
        crontab.save()
        self.assertEqual(len(self.records()), 2)
        self.assertNotIn(first, model.Crontab.load().crons)

    def test_save_cron_rewrites_one_record(self):
        crontab = self.new_crontab()
        crontab.save()
        before = self.records()
        cron = list(crontab.crons.values())[1]
        cron.name = u'renamed \xe9'
        cron.log(messages=[u'done'])
        cron.save()
        after = self.records()
        self.assertEqual(after[0], before[0])
        self.assertEqual(after[2], before[2])
        self.assertNotEqual(after[1], before[1])
        reloaded = model.Crontab.load().by_uid(cron.uid)
        self.assertEqual(reloaded.name, u'renamed \xe9')
        self.assertEqual(reloaded.last_messages, [u'done'])

    def test_save_cron_appends_a_new_cron(self):
        crontab = self.new_crontab(1)
        crontab.save()
        cron = model.Cron(name=u'new', periodicity=u'0 * * * *',
                          crontab=crontab)
        cron.save()
        self.assertEqual(len(self.records()), 2)
        self.assertEqual(model.Crontab.load().by_uid(cron.uid).name, u'new')

    def test_save_cron_finds_a_record_changed_meanwhile(self):
        crontab = self.new_crontab(2)
        crontab.save()
        other = model.Crontab.load()
        target = list(other.crons.values())[1]
        target.name = u'changed elsewhere'
        target.save()
        mine = crontab.by_uid(target.uid)
        mine.periodicity = u'0 0 * * *'
        mine.save()
        self.assertEqual(len(self.records()), 2)
        self.assertEqual(
            model.Crontab.load().by_uid(target.uid).periodicity, u'0 0 * * *')

    def test_read_only_saves_nothing(self):
        self.new_crontab().save()
        crontab = model.Crontab.load(read_only=True)
        self.assertTrue(crontab.manager.read_only)
        del crontab.crons[list(crontab.crons)[0]]
        crontab.save()
        list(crontab.crons.values())[0].save()
        self.assertEqual(len(self.records()), 3)

    def test_invalid_records_are_skipped_and_kept(self):
        crontab = self.new_crontab(2)
        crontab.save()
        bad = [u'{"uid": "broken', record(
            {'uid': u'x', 'name': u'bad', 'periodicity': u'every day'})]
        self.registry[cron_registry.CRONTAB] = self.records()[:1] + bad + \
            self.records()[1:]
        loaded = model.Crontab.load()
        self.assertEqual(len(loaded.crons), 2)
        self.assertEqual(loaded.invalid_records, bad)
        list(loaded.crons.values())[0].name = u'edited'
        loaded.save()
        records = self.records()
        self.assertEqual(len(records), 4)
        self.assertEqual(records[2:], bad)
        one = list(loaded.crons.values())[1]
        one.name = u'edited too'
        one.save()
        self.assertEqual(self.records()[2:], bad)

    def test_events(self):
        with EventRecorder(IModifiedCrontabEvent,
                           ICrontabSynchronisationEvent) as recorder:
            crontab = self.new_crontab(2)
            crontab.save()
            self.assertEqual(len(recorder.of(IModifiedCrontabEvent)), 1)
            self.assertEqual(
                len(recorder.of(ICrontabSynchronisationEvent)), 1)
            saved = recorder.of(IModifiedCrontabEvent)[0]
            self.assertIs(saved.object, crontab)
            self.assertIsNone(saved.cron)
            cron = list(crontab.crons.values())[0]
            cron.save()
            self.assertIs(recorder.of(IModifiedCrontabEvent)[1].cron, cron)
            self.assertIs(
                recorder.of(ICrontabSynchronisationEvent)[1].cron, cron)

    def test_direct_record_edits_synchronise(self):
        with EventRecorder(ICrontabSynchronisationEvent) as recorder:
            self.registry[cron_registry.CRONTAB] = [record(
                {'uid': u'direct', 'name': u'd', 'periodicity': u'* * * * *'})]
            self.assertEqual(len(recorder.events), 1)
            self.assertIs(recorder.events[0].object, self.portal)
            self.registry[cron_registry.ACTIVATED] = False
            self.assertEqual(len(recorder.events), 2)
        self.assertEqual(model.Crontab.load().by_uid(u'direct').name, u'd')

    def test_records_of_the_2x_shape_load(self):
        data = record({
            'uid': '1a2b', 'name': 'mytask', 'periodicity': '0 3 * * *',
            'environ': {'portal_type': 'Document'}, 'activated': True,
            'user': 'admin', 'logs_limit': 5,
            'logs': [{'date': '2008-01-01 03:00:00', 'status': 1,
                      'messages': []}]})
        self.registry[cron_registry.CRONTAB] = [data]
        cron = model.Crontab.load().by_uid(u'1a2b')
        self.assertEqual((cron.name, cron.user, cron.last_status),
                         (u'mytask', u'admin', model.OK))
