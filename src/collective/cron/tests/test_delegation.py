# -*- coding: utf-8 -*-
"""Who may make a cron run as whom.

A cron runs with its user's rights: whoever saves what a cron runs (its
name, environ or user) may only name a user who has no permission on the
site that they lack themselves. Rescheduling, switching or trimming the
logs of such a cron stays allowed.
"""
import transaction
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import login
from plone.app.testing import logout

from collective.cron.tests.test_dashboard import ADMIN
from collective.cron.tests.test_dashboard import DashboardTestCase
from collective.cron.tests.test_rest import RestTestCase
from collective.cron.utils import lacked_permissions


class TestLackedPermissions(DashboardTestCase):

    def lacked(self, editor, userid):
        login(self.portal, editor)
        try:
            return lacked_permissions(self.portal, userid)
        finally:
            logout()

    def test_a_site_administrator_lacks_nothing_for_a_cron_manager(self):
        self.assertEqual(self.lacked(ADMIN, 'cronmanager'), [])

    def test_a_cron_manager_lacks_a_site_administrators_permissions(self):
        lacked = self.lacked('cronmanager', ADMIN)
        self.assertIn('Plone Site Setup: Overview', lacked)

    def test_oneself_and_unknown_users(self):
        self.assertEqual(self.lacked('cronmanager', 'cronmanager'), [])
        self.assertEqual(self.lacked('cronmanager', 'nobody-here'), [])


class TestForms(DashboardTestCase):

    def setUp(self):
        super(TestForms, self).setUp()
        self.uid = self.add(user=ADMIN)

    def fill_add(self, browser, user):
        browser.open(self.dashboard + '/add')
        browser.getControl(name='form.widgets.name').value = u'other-name'
        browser.getControl(name='form.widgets.periodicity').value = \
            u'*/5 * * * *'
        browser.getControl(name='form.widgets.user').value = user

    def test_add_as_a_user_with_more_rights_is_refused(self):
        browser = self.browser('cronmanager')
        self.fill_add(browser, ADMIN)
        browser.getControl('Add').click()
        self.assertIn('You may not save a cron that runs as "%s"' % ADMIN,
                      browser.contents)
        self.assertIn('Access inactive portal content', browser.contents)
        self.assertEqual([cron.uid for cron in
                          self.crontab().crons.values()], [self.uid])

    def test_add_as_oneself_is_allowed(self):
        browser = self.browser('cronmanager')
        self.fill_add(browser, u'cronmanager')
        browser.getControl('Add').click()
        self.assertIn('A new cron was added', browser.contents)
        self.assertEqual(len(self.crontab().crons), 2)

    def test_a_site_administrator_may_name_a_cron_manager(self):
        browser = self.browser(ADMIN)
        self.fill_add(browser, u'cronmanager')
        browser.getControl('Add').click()
        self.assertIn('A new cron was added', browser.contents)

    def edit(self, user, **values):
        browser = self.browser(user)
        browser.open(self.cron_url(self.uid) + '/edit')
        for name, value in values.items():
            browser.getControl(name='form.widgets.' + name).value = value
        browser.getControl('Apply').click()
        return browser

    def test_changing_what_runs_is_refused(self):
        browser = self.edit('cronmanager', name=u'portal_catalog/manage')
        self.assertIn('You may not save a cron that runs as "%s"' % ADMIN,
                      browser.contents)
        self.assertEqual(self.cron(self.uid).name, u'dashboard-ok')

    def test_rescheduling_is_allowed(self):
        self.edit('cronmanager', periodicity=u'0 4 * * *')
        self.assertEqual(self.cron(self.uid).periodicity, u'0 4 * * *')


class TestRest(RestTestCase):

    def test_add_as_the_zope_manager_is_refused(self):
        before = self.snapshot()
        response = self.call('POST', user='cronadmin', body={
            u'name': u'portal_catalog/manage', u'periodicity': u'* * * * *',
            u'user': SITE_OWNER_NAME})
        self.assertError(response, 403, u'Forbidden', u'user',
                         SITE_OWNER_NAME)
        self.assertEqual(self.snapshot(), before)

    def test_add_as_oneself(self):
        response = self.call('POST', user='cronadmin', body={
            u'name': u'mine', u'periodicity': u'* * * * *',
            u'user': u'cronadmin'})
        self.assertEqual(response.status_code, 201, response.text)

    def managers_cron(self):
        response = self.call('POST', body={
            u'name': u'mine', u'periodicity': u'* * * * *',
            u'user': SITE_OWNER_NAME})
        self.assertEqual(response.status_code, 201, response.text)
        return response.json()[u'uid']

    def test_change_what_runs_is_refused_rescheduling_is_not(self):
        uid = self.managers_cron()
        before = self.snapshot()
        response = self.call('PATCH', uid, user='cronadmin',
                             body={u'environ': {u'x': 1}})
        self.assertError(response, 403, u'Forbidden', u'user',
                         SITE_OWNER_NAME)
        self.assertEqual(self.snapshot(), before)
        response = self.call('PATCH', uid, user='cronadmin',
                             body={u'periodicity': u'0 4 * * *'})
        self.assertEqual(response.status_code, 204, response.text)
        transaction.begin()
        self.assertEqual(self.cron(uid).periodicity, u'0 4 * * *')

