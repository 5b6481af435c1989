# -*- coding: utf-8 -*-
"""Install, uninstall and reinstall through Site Setup > Add-ons."""
import os
import unittest

import transaction
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.browserlayer.utils import registered_layers
from plone.registry.interfaces import IRegistry
from plone.testing.zope import Browser
from zope.component import getUtility

import collective.cron
from collective.cron.crontab import Cron
from collective.cron.crontab import Crontab
from collective.cron.interfaces import ICollectiveCronLayer
from collective.cron.interfaces import ICrontabMarker
from collective.cron.interfaces import IQueue
from collective.cron.registry import ACTIVATED
from collective.cron.registry import CRONTAB
from collective.cron.registry import has_records
from collective.cron.testing import COLLECTIVE_CRON_FUNCTIONAL_TESTING
from collective.cron.testing import COLLECTIVE_CRON_INTEGRATION_TESTING
from collective.cron.upgrades import reimport_profile_steps

DEFAULT_PROFILE = os.path.join(os.path.dirname(collective.cron.__file__),
                               'profiles', 'default')
CONFIGLET = 'CCronSettings'
VIEW = 'ccron: View'
EDIT = 'ccron: Edit'
#: the roles of each permission, as collective.cron:default grants them
GRANTS = {
    VIEW: ['CollectiveCron', 'CollectiveCronRO', 'Manager',
           'Site Administrator'],
    EDIT: ['CollectiveCron', 'Manager', 'Site Administrator'],
}
#: what collective.cron 2.x's profile left in a site
GRANTS_2X = {
    VIEW: ['CollectiveCronRO', 'Manager', 'Owner'],
    EDIT: ['CollectiveCron', 'CollectiveCronRO', 'Manager', 'Owner'],
}


def ships(filename):
    """True when collective.cron:default has this file."""
    return os.path.exists(os.path.join(DEFAULT_PROFILE, filename))


class TestInstall(unittest.TestCase):

    layer = COLLECTIVE_CRON_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer['portal']
        self.browser = Browser(self.layer['app'])
        self.browser.handleErrors = False
        self.browser.addHeader('Authorization', 'Basic %s:%s' % (
            SITE_OWNER_NAME, SITE_OWNER_PASSWORD))

    @property
    def queue(self):
        return IQueue(self.portal)

    def addons_form(self):
        self.browser.open(self.portal.absolute_url()
                          + '/prefs_install_products_form')

    def product_form(self, field):
        """The form whose hidden ``field`` is collective.cron."""
        index = 0
        while True:
            form = self.browser.getForm(index=index)
            names = [getattr(control, 'name', None)
                     for control in form.controls]
            if (field in names and
                    form.getControl(name=field).value == 'collective.cron'):
                return form
            index += 1

    def submit(self, action):
        """Press the Install / Uninstall button of collective.cron."""
        self.addons_form()
        self.product_form(action + '_product').submit(name='form.submitted')
        transaction.begin()

    def add_cron(self):
        crontab = Crontab.load()
        cron = Cron(name=u'record', periodicity=u'0 3 * * *', activated=True,
                    crontab=crontab)
        crontab.save()
        transaction.commit()
        return cron.uid

    def configlets(self):
        return [action.getId()
                for action in self.portal.portal_controlpanel.listActions()]

    def assert_installed(self):
        installer = self.portal.restrictedTraverse('installer')
        self.assertTrue(installer.is_product_installed('collective.cron'))
        self.assertTrue(has_records())
        crontab = Crontab.load()
        self.assertEqual((crontab.activated, len(crontab.crons)), (True, 0))
        if ships('controlpanel.xml'):
            self.assertIn(CONFIGLET, self.configlets())
        if ships('browserlayer.xml'):
            self.assertIn(ICollectiveCronLayer, registered_layers())

    def assert_uninstalled(self, uid):
        installer = self.portal.restrictedTraverse('installer')
        self.assertFalse(installer.is_product_installed('collective.cron'))
        registry = getUtility(IRegistry)
        self.assertNotIn(ACTIVATED, registry.records)
        self.assertNotIn(CRONTAB, registry.records)
        self.assertFalse(self.queue.is_present(uid))
        self.assertEqual(self.queue.cron_uids(), [])
        self.assertEqual(len(self.queue.queue), 0)
        self.assertFalse(ICrontabMarker(self.portal).marked)
        self.assertNotIn(CONFIGLET, self.configlets())
        self.assertNotIn(ICollectiveCronLayer, registered_layers())

    def test_listed_once_with_uninstall(self):
        self.addons_form()
        contents = self.browser.contents
        self.assertIn('value="collective.cron"', contents)
        self.assertNotIn('collective.cron.tests', contents)
        self.assertNotIn('collective.cron (uninstall)', contents)
        self.assertIn('uninstall_products', contents)

    def test_installed_profile_marks_the_site(self):
        self.assert_installed()
        self.assertTrue(ICrontabMarker(self.portal).marked)

    def test_uninstall_removes_records_and_jobs(self):
        uid = self.add_cron()
        self.assertTrue(self.queue.is_pending(uid))
        self.assertTrue(ICrontabMarker(self.portal).marked)
        self.submit('uninstall')
        self.assertIn('Uninstalled collective.cron', self.browser.contents)
        self.assert_uninstalled(uid)

    def test_reinstall_gives_a_working_empty_crontab(self):
        old = self.add_cron()
        self.submit('uninstall')
        self.submit('install')
        self.assertIn('Installed collective.cron', self.browser.contents)
        self.assert_installed()
        self.assertFalse(self.queue.is_present(old))
        self.assertTrue(ICrontabMarker(self.portal).marked)
        uid = self.add_cron()
        self.assertTrue(self.queue.is_pending(uid))
        self.assertTrue(ICrontabMarker(self.portal).marked)

    def test_applying_default_again_keeps_crons_and_jobs(self):
        uid = self.add_cron()
        self.queue.remove_cron_jobs(uid)
        transaction.commit()
        self.portal.portal_setup.runAllImportStepsFromProfile(
            'profile-collective.cron:default')
        transaction.commit()
        transaction.begin()
        self.assertEqual(list(Crontab.load().crons), [uid])
        self.assertTrue(self.queue.is_pending(uid))


def granted(site, permission):
    """The roles that have ``permission`` on the site itself."""
    return sorted(role['name'] for role in site.rolesOfPermission(permission)
                  if role['selected'])


def configlet(site):
    for action in site.portal_controlpanel.listActions():
        if action.getId() == CONFIGLET:
            return action
    return None


class TestSecuritySettings(unittest.TestCase):
    """The permissions, roles and configlet of collective.cron 2.x."""

    layer = COLLECTIVE_CRON_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer['portal']

    def assert_settings(self):
        roles = self.portal.validRoles()
        self.assertIn('CollectiveCron', roles)
        self.assertIn('CollectiveCronRO', roles)
        for permission, roles in GRANTS.items():
            self.assertEqual(granted(self.portal, permission), roles)
        action = configlet(self.portal)
        self.assertEqual(action.appId, CONFIGLET)
        self.assertEqual(action.permissions, (VIEW,))
        self.assertTrue(action.visible)
        self.assertEqual(action.getActionExpression(),
                         'string:${portal_url}/@@cron-settings')

    def test_installed(self):
        self.assert_settings()
        self.assertNotIn('CronViewer', self.portal.validRoles())

    def install_2x_settings(self):
        """The role map and configlet that 2.x's profile imported."""
        for permission, roles in GRANTS_2X.items():
            self.portal.manage_permission(permission, roles, acquire=1)
        tool = self.portal.portal_controlpanel
        tool.unregisterConfiglet(CONFIGLET)
        tool.registerConfiglet(
            id=CONFIGLET, name=u'Cron Dashboard', appId=CONFIGLET,
            action='string:${portal_url}/@@cron-settings',
            category='Products', permission=(VIEW, EDIT, 'Manage portal'))

    def test_upgrade_from_2x(self):
        self.install_2x_settings()
        self.assertEqual(granted(self.portal, EDIT), GRANTS_2X[EDIT])
        self.assertEqual(configlet(self.portal).permissions,
                         (VIEW, EDIT, 'Manage portal'))
        reimport_profile_steps(self.portal.portal_setup)
        self.assert_settings()
        self.assertEqual([action.getId() for action in
                          self.portal.portal_controlpanel.listActions()
                          ].count(CONFIGLET), 1)
