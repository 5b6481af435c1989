# -*- coding: utf-8 -*-
"""Upgrading the database of a site that ran collective.cron 2.7.

The site (tests/data/cron27-site, see upgrade_fixture.py) is upgraded
through portal_setup as an administrator would, and compared with the facts
of its MANIFEST.json: crons, logs, switch, members' access, dashboard,
queued jobs, marker; a due cron then runs through a real dispatcher, and
no object either database can reach needs collective.cron 2.x any more.
"""
import datetime
import json
import unittest

import pytz
import transaction
from AccessControl import getSecurityManager
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.async.interfaces import IAsyncDatabase
from plone.browserlayer.utils import registered_layers
from plone.registry.interfaces import IRegistry
from plone.testing.zope import Browser
from Products.CMFPlone.utils import get_installer
from zope.component import getGlobalSiteManager
from zope.component import getUtility
from zope.component.hooks import setSite
from zope.event import notify
from zope.traversing.interfaces import BeforeTraverseEvent
from zExceptions import Unauthorized

from collective.cron.crontab import Cron
from collective.cron.crontab import Crontab
from collective.cron.interfaces import AsyncQueueNotReady
from collective.cron.interfaces import ICollectiveCronLayer
from collective.cron.interfaces import IQueue
from collective.cron.registry import ACTIVATED
from collective.cron.registry import CRONTAB
from collective.cron.restart import resync_marked_sites
from collective.cron.testing import COLLECTIVE_CRON_FUNCTIONAL_TESTING
from collective.cron.testing import set_now
from collective.cron.testing import wait_for
from collective.cron.tests import runners
from collective.cron.zcasync.tests.upgrade_fixture import CRON27_SITE_FIXTURE
from collective.cron.zcasync.tests.upgrade_fixture import EVERY_MINUTE
from collective.cron.zcasync.tests.upgrade_fixture import FIXTURE_NOW
from collective.cron.zcasync.tests.upgrade_fixture import manifest
from collective.cron.zcasync.tests.upgrade_fixture import reachable_globals
from collective.cron.zcasync.marker import marked_paths

PROFILE = 'collective.cron:default'
SETTINGS = ('uid', 'name', 'periodicity', 'environ', 'user', 'activated',
            'logs_limit')
#: what only records written by collective.cron 2.x refer to: its crontab
#: class (``ordereddict``), the crontab every cron of a 2.x job carried
#: (the cron of one of our jobs is out of its crontab, and a Crontab is
#: never stored elsewhere), the 2.x name of the browser layer
LEGACY_GLOBALS = ('ordereddict OrderedDict', 'collective.cron.crontab Crontab',
                  'collective.cron.interfaces ILayer')


def utc(*args):
    return datetime.datetime(*args, tzinfo=pytz.UTC)


def facts(name):
    return manifest()[name]


def expected_crons_list():
    """The manifest's crons, in order (logs without their status titles)."""
    return [dict(cron, logs=[
        dict((key, log[key]) for key in ('date', 'status', 'messages'))
        for log in cron['logs']]) for cron in facts('crons')]


def expected_crons():
    """uid -> the manifest's cron (see expected_crons_list)."""
    return dict((cron['uid'], cron) for cron in expected_crons_list())


def activated_uids():
    return sorted(cron['uid'] for cron in facts('crons')
                  if cron['activated'])


class Cron27TestCase(unittest.TestCase):

    layer = CRON27_SITE_FIXTURE

    def setUp(self):
        self.app = self.layer['app']
        self.portal = self.layer['portal']
        self.setup = self.portal.portal_setup

    def upgrade(self):
        """Run our upgrade steps as the Zope manager; commit."""
        setSite(self.portal)
        login(self.app, 'admin')
        self.setup.upgradeProfile(PROFILE)
        logout()
        transaction.commit()

    @property
    def queue(self):
        return IQueue(self.portal)

    def assert_crons_kept(self):
        """Every cron of the manifest, in order, with its settings and its
        logs as stored (2.x's naive dates: the same strings)."""
        crontab = Crontab.load()
        expected = expected_crons_list()
        self.assertEqual(list(crontab.crons),
                         [cron['uid'] for cron in expected])
        for cron, facts_ in zip(crontab.crons.values(), expected):
            for key in SETTINGS:
                self.assertEqual(getattr(cron, key), facts_[key],
                                 '%s of %s' % (key, cron.uid))
            self.assertEqual([log.dump() for log in cron.logs],
                             facts_['logs'])

    def logs(self, uid):
        transaction.begin()
        return Crontab.load().crons[uid].logs

    def has_logs(self, uid, count):
        return len(self.logs(uid)) == count

    def queued(self):
        """cron uid -> begin_after of each job in the zc.async queue."""
        transaction.begin()
        jobs = {}
        for job in self.queue.queue:
            uid = job.args[5].uid
            self.assertNotIn(uid, jobs, 'two jobs for cron %s' % uid)
            jobs[uid] = job.begin_after
        return jobs


class TestBeforeUpgrade(Cron27TestCase):
    """What the fixture is: a 2.x site (so that the tests below prove
    something)."""

    def test_the_site_is_at_the_2x_profile_version(self):
        self.assertEqual(self.setup.getLastVersionForProfile(PROFILE),
                         (facts('site')['profile_versions'][PROFILE],))
        self.assertTrue(self.setup.listUpgrades(PROFILE))

    def test_the_queue_holds_the_jobs_2x_pickled(self):
        legacy = self.queue.legacy_jobs()
        self.assertEqual(len(legacy), len(facts('async')['jobs']))
        self.assertEqual(sorted(job.args[5].uid for job in legacy),
                         activated_uids())

    def test_2x_code_is_needed(self):
        found = reachable_globals(self.layer['zodbDB'])
        for name in ('ordereddict OrderedDict',
                     'collective.cron.crontab Crontab',
                     'collective.cron.interfaces ILayer'):
            self.assertIn(name, found)


class TestUpgrade(Cron27TestCase):

    def setUp(self):
        super(TestUpgrade, self).setUp()
        self.upgrade()

    def test_the_profile_is_upgraded(self):
        self.assertEqual(self.setup.getLastVersionForProfile(PROFILE),
                         (self.setup.getVersionForProfile(PROFILE),))
        self.assertEqual(self.setup.listUpgrades(PROFILE), [])

    def test_every_cron_and_log_is_kept_in_order(self):
        self.assert_crons_kept()

    def test_the_records_keep_the_2x_values(self):
        records = getUtility(IRegistry).records
        stored = [json.loads(record) for record in records[CRONTAB].value]
        raw = [json.loads(record)
               for record in facts('registry')['crontab_raw']]
        self.assertEqual(stored, raw)
        self.assertIs(records[ACTIVATED].value, True)
        self.assertIs(Crontab.load().activated, True)

    def test_2x_jobs_are_replaced_by_one_job_per_activated_cron(self):
        self.assertEqual(self.queue.legacy_jobs(), [])
        jobs = self.queued()
        self.assertEqual(sorted(jobs), activated_uids())
        self.assertEqual(jobs['a0891f1ce7ce11f1b8b802fc00000001'],
                         utc(2026, 11, 24, 6, 19))
        self.assertEqual(jobs['9af49950e7ce11f1b8b802fc00000001'],
                         utc(2026, 11, 24, 6, 20))
        self.assertTrue(all(when > FIXTURE_NOW for when in jobs.values()))

    def test_the_marker_keeps_the_site(self):
        self.assertIn(facts('site')['path'], marked_paths(self.queue.queue))

    def test_nothing_needs_2x_code(self):
        found = reachable_globals(self.layer['zodbDB'])
        self.assertEqual([name for name in LEGACY_GLOBALS if name in found],
                         [])
        self.assertEqual(found.get('collective.cron.crontab Cron'),
                         len(activated_uids()))
        self.assertEqual(self.queue.legacy_completed(), [])

    def test_the_2x_skin_layer_is_removed(self):
        skins = self.portal.portal_skins
        self.assertNotIn('ccron_custom_templates', skins.objectIds())
        for skin, path in skins.getSkinPaths():
            self.assertNotIn('ccron_custom_templates', path)

    def test_a_second_run_changes_nothing(self):
        before = (self.queued(), Crontab.load().dump())
        self.setup.setLastVersionForProfile(PROFILE, '2001')
        self.upgrade()
        self.assertEqual((self.queued(), Crontab.load().dump()), before)

    def test_uninstalling_removes_our_jobs(self):
        login(self.app, 'admin')
        get_installer(self.portal).uninstall_product('collective.cron')
        transaction.commit()
        self.assertEqual(self.queued(), {})
        self.assertNotIn(facts('site')['path'],
                         marked_paths(self.queue.queue))


class TestOtherStarts(Cron27TestCase):
    """The upgrade from other states of the 2.x site."""

    def assert_one_job_per_activated_cron(self):
        self.assertEqual(self.queue.legacy_jobs(), [])
        self.assertEqual(self.queue.legacy_completed(), [])
        self.assertEqual(sorted(self.queued()), activated_uids())
        found = reachable_globals(self.layer['zodbDB'])
        self.assertEqual([name for name in LEGACY_GLOBALS if name in found],
                         [])

    def test_a_deactivated_crontab_stays_deactivated(self):
        getUtility(IRegistry).records[ACTIVATED].value = False
        self.upgrade()
        self.assertIs(Crontab.load().activated, False)
        self.assert_crons_kept()
        self.assertEqual(self.queue.legacy_jobs(), [])
        self.assertEqual(self.queued(), {})

    def test_a_worker_restarted_before_the_upgrade(self):
        """At start, a 3.x worker re-synchronises the marked sites before
        anyone runs the upgrade."""
        transaction.commit()
        self.assertEqual(resync_marked_sites(self.app),
                         [facts('site')['path']])
        self.upgrade()
        self.assert_one_job_per_activated_cron()

    def test_a_2x_job_that_ran_before_the_upgrade(self):
        """A job 2.x queued is due and runs in 3.x before the upgrade."""
        uid = u'a0891f1ce7ce11f1b8b802fc00000001'
        self.layer.start_dispatcher()
        set_now(utc(2026, 11, 24, 6, 19, 1))
        wait_for(lambda: self.has_logs(uid, 3), 30, 'the 2.x job to run')
        self.layer.stop_dispatcher()
        self.upgrade()
        self.assertEqual(len(runners.runs(EVERY_MINUTE)), 1)
        self.assert_one_job_per_activated_cron()

    def test_without_a_queue_the_upgrade_is_refused(self):
        """In a process without the zc.async database the 2.x jobs cannot
        be replaced: the upgrade fails and its transaction is aborted."""
        getGlobalSiteManager().unregisterUtility(provided=IAsyncDatabase)
        self.assertFalse(self.queue.configured)
        with self.assertRaises(AsyncQueueNotReady):
            self.upgrade()
        transaction.abort()
        self.assertEqual(self.setup.getLastVersionForProfile(PROFILE),
                         (facts('site')['profile_versions'][PROFILE],))
        self.assert_crons_kept()


class TestAccess(Cron27TestCase):
    """The members 2.x gave its roles keep their access."""

    def setUp(self):
        super(TestAccess, self).setUp()
        self.upgrade()

    def can(self, member, permission):
        login(self.portal, member)
        try:
            return bool(getSecurityManager().checkPermission(permission,
                                                             self.portal))
        finally:
            logout()

    def browser(self, member):
        browser = Browser(self.app)
        browser.handleErrors = False
        browser.addHeader('Authorization', 'Basic %s:%s' % (member, member))
        return browser

    def test_the_roles_keep_their_permissions(self):
        self.assertTrue(self.can('cronadmin', 'ccron: View'))
        self.assertTrue(self.can('cronadmin', 'ccron: Edit'))
        self.assertTrue(self.can('cronviewer', 'ccron: View'))
        self.assertFalse(self.can('cronviewer', 'ccron: Edit'))

    def test_both_members_see_the_dashboard(self):
        for member in ('cronadmin', 'cronviewer'):
            browser = self.browser(member)
            browser.open(self.portal.absolute_url() + '/@@cron-settings')
            for cron in facts('crons'):
                self.assertIn('@@cron-settings/%s"' % cron['uid'],
                              browser.contents)

    def test_only_cronadmin_opens_the_add_form(self):
        url = self.portal.absolute_url() + '/@@cron-add'
        self.browser('cronadmin').open(url)
        with self.assertRaises(Unauthorized):
            self.browser('cronviewer').open(url)

    def test_requests_get_the_browser_layer(self):
        self.assertIn(ICollectiveCronLayer, registered_layers())
        request = self.layer['request']
        notify(BeforeTraverseEvent(self.portal, request))
        self.assertTrue(ICollectiveCronLayer.providedBy(request))

    def test_the_configlet_is_kept(self):
        configlets = [action for action in
                      self.portal.portal_controlpanel.listActions()
                      if action.getId() == 'CCronSettings']
        self.assertEqual(len(configlets), 1)
        self.assertIn('@@cron-settings', configlets[0].getActionExpression())


class TestDueCronRuns(Cron27TestCase):

    def test_the_every_minute_cron_runs_after_the_upgrade(self):
        self.upgrade()
        self.layer.start_dispatcher()
        set_now(utc(2026, 11, 24, 6, 19, 1))
        uid = u'a0891f1ce7ce11f1b8b802fc00000001'
        wait_for(lambda: self.has_logs(uid, 3), 30,
                 'the every-minute cron to run')
        logs = self.logs(uid)
        self.assertEqual(logs[0].status, 1)
        self.assertEqual([log.dump() for log in logs[1:]],
                         expected_crons()[uid]['logs'])
        run, = runners.runs(EVERY_MINUTE)
        self.assertEqual((run['uid'], run['user'], run['site']),
                         (uid, 'admin', facts('site')['path']))
        wait_for(lambda: self.queued().get(uid) == utc(2026, 11, 24, 6, 20),
                 30, 'its next run to be queued')
        self.assertEqual(sorted(self.queued()), activated_uids())



class TestSiteWithout2xData(unittest.TestCase):
    """The steps on a collective.cron 3 site (an old profile version, no
    2.x data) change nothing: the queued jobs stay as they are."""

    layer = COLLECTIVE_CRON_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer['portal']
        self.setup = self.portal.portal_setup
        crontab = Crontab.load()
        self.on = Cron(name=u'on', periodicity=u'*/5 * * * *',
                       activated=True, crontab=crontab).uid
        self.off = Cron(name=u'off', periodicity=u'0 3 * * *',
                        activated=False, crontab=crontab).uid
        crontab.save()
        transaction.commit()

    def jobs(self):
        transaction.begin()
        return [job._p_oid for job in IQueue(self.portal).queue]

    def test_running_the_steps_twice_keeps_the_jobs(self):
        before = (Crontab.load().dump(), self.jobs())
        self.assertEqual(len(before[1]), 1)
        for attempt in range(2):
            self.setup.setLastVersionForProfile(PROFILE, '2001')
            self.setup.upgradeProfile(PROFILE)
            transaction.commit()
            self.assertEqual((Crontab.load().dump(), self.jobs()), before)
        self.assertIn(ICollectiveCronLayer, registered_layers())
