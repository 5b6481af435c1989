# -*- coding: utf-8 -*-
"""Regression tests of issue 14 (defects 2 to 7).

2. A periodicity that never occurs is a field error of the add and edit
   forms naming the value, an import error naming the cron, the field and
   the value (nothing saved), and a CronFormatError of the model.
3. Nothing is written to the database on a GET: Site Setup's Users and
   Groups pages, our own pages.
4. Who may not see crons gets the same answer for any cron id.
5. A missing cron is Plone's themed "page not found".
6. The ``@daily``... nicknames: accepted, as five fields, and named by
   the form and the docs.
7. The first `make run` logs no false warning about zc.async.
"""
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import six
import transaction
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.async.interfaces import IAsyncDatabase
from plone.testing.zope import Browser
from zope.component import getGlobalSiteManager
from zope.component.hooks import setSite
from zope.testing.loggingsupport import InstalledHandler

import collective.cron
from collective.cron.browser.forms import ICronForm
from collective.cron.crontab import PERIODICITY_ALIASES
from collective.cron.crontab import OK
from collective.cron.crontab import Cron
from collective.cron.crontab import Crontab
from collective.cron.crontab import check_periodicity
from collective.cron.crontab import next_run
from collective.cron.interfaces import CronFormatError
from collective.cron.interfaces import InvalidCron
from collective.cron.setuphandlers import post_install
from collective.cron.testing import COLLECTIVE_CRON_FUNCTIONAL_TESTING
from collective.cron.tests import test_dashboard
from collective.cron.tests import test_genericsetup
from collective.cron.tests.test_dashboard import ADMIN
from collective.cron.tests.test_dashboard import field_block
from collective.cron.tests.test_genericsetup import crons_xml

SCRIPTS = os.path.join(os.path.dirname(collective.cron.__file__), os.pardir,
                       os.pardir, os.pardir, 'scripts')
NEVER = ('0 0 31 2 *', '0 0 30 2 *', '0 0 31 4 *')
NEVER_TEXT = '"%s" never occurs'


def without_tests(cls):
    """``cls``'s helpers for a new test case, without its tests."""
    helpers = dict((key, value) for key, value in vars(cls).items()
                   if not key.startswith('test'))
    return type(cls.__name__ + 'Helpers', cls.__bases__, helpers)


AddForm = without_tests(test_dashboard.TestAddForm)
EditForm = without_tests(test_dashboard.TestEditForm)
BadInput = without_tests(test_genericsetup.TestBadInput)


class TestNeverOccursInTheAddForm(AddForm):

    def test_field_error_naming_the_value(self):
        for periodicity in NEVER:
            browser = self.open_add()
            self.fill(browser, periodicity=periodicity)
            browser.getControl('Add').click()
            self.assertEqual(browser.headers['status'], '200 OK')
            self.assertIn('There were some errors', browser.contents)
            error = field_block(browser.contents, 'periodicity')
            self.assertIn(NEVER_TEXT % periodicity, error)
            self.assertNotIn('not valid cron syntax', error)
            self.assertEqual(self.crontab().crons, {})


class TestNeverOccursInTheEditForm(EditForm):

    def test_field_error_naming_the_value(self):
        uid = self.add()
        browser = self.open_edit(uid)
        self.save(browser, periodicity=NEVER[0])
        self.assertEqual(browser.headers['status'], '200 OK')
        self.assertIn(NEVER_TEXT % NEVER[0],
                      field_block(browser.contents, 'periodicity'))
        self.assertEqual(self.cron(uid).periodicity, u'*/5 * * * *')


class TestNeverOccursImported(BadInput):

    def test_add(self):
        self.assert_rejected(
            crons_xml(u'<cron uid="new1" name="record" '
                      u'periodicity="0 0 31 2 *"/>'),
            ['cron new1', 'periodicity', '0 0 31 2 *', 'never occurs'])

    def test_edit(self):
        self.assert_rejected(
            crons_xml(u'<cron uid="a" periodicity="0 0 31 4 *"/>'),
            ['cron a', 'periodicity', '0 0 31 4 *', 'never occurs'])


class TestNeverOccursInTheModel(test_genericsetup.ImportTestCase):

    def test_check_and_cron(self):
        for periodicity in NEVER:
            with self.assertRaises(CronFormatError) as caught:
                check_periodicity(periodicity)
            self.assertIsInstance(caught.exception, InvalidCron)
            self.assertIn(periodicity, str(caught.exception))
            self.assertIn('never occurs', str(caught.exception))
            with self.assertRaises(CronFormatError):
                Cron(name=u'record', periodicity=periodicity)


class TestAliases(test_genericsetup.ImportTestCase):
    """6. The crontab(5) nicknames are accepted and run as their five
    fields; croniter's random and hashed fields and @reboot are refused;
    the form and the docs name the nicknames."""

    def test_each_alias_runs_as_its_five_fields(self):
        start = datetime.datetime(2008, 3, 5, 10, 30)
        for alias, fields in PERIODICITY_ALIASES.items():
            self.assertEqual(check_periodicity(alias), alias)
            self.assertEqual(next_run(alias, start), next_run(fields, start))
            self.assertEqual(Cron(name=u'record', periodicity=alias)
                             .periodicity, alias)

    def test_others_refused(self):
        for periodicity in (u'@reboot', u'@every 5m', u'@daily 5',
                            u'R * * * *', u'0 R * * *', u'0 0 * * 1,R',
                            u'H * * * *', u'0 0 1 1 * * 2020'):
            with self.assertRaises(CronFormatError) as caught:
                check_periodicity(periodicity)
            self.assertIn(periodicity, str(caught.exception))

    def test_form_and_docs_name_them(self):
        description = ICronForm['periodicity'].description
        docs = os.path.join(os.path.dirname(collective.cron.__file__),
                            os.pardir, os.pardir, os.pardir, 'docs')
        texts = [description]
        for name in ('scheduling.rst', 'api.rst', 'genericsetup.rst'):
            with open(os.path.join(docs, name)) as rst:
                texts.append(six.ensure_text(rst.read()))
        for text in texts:
            for alias in (u'@hourly', u'@daily', u'@weekly', u'@monthly',
                          u'@yearly'):
                self.assertIn(alias, text)


class TestNothingWrittenOnGet(unittest.TestCase):
    """3. No page writes to the database on a GET because of us: Site
    Setup's Users and Groups pages (PlonePAS's role manager adds the site's
    roles it does not know yet, lazily, when listing roles) and our own
    pages."""

    layer = COLLECTIVE_CRON_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer['portal']
        self.database = self.layer['app']._p_jar.db()
        # Plone itself writes once, on the first page it renders (the
        # footer portlets)
        self.browser().open(self.portal.absolute_url())

    def browser(self):
        browser = Browser(self.layer['app'])
        browser.handleErrors = True
        browser.addHeader('Authorization', 'Basic %s:%s' % (
            SITE_OWNER_NAME, SITE_OWNER_PASSWORD))
        return browser

    def assert_reads_only(self, url):
        transaction.commit()
        before = self.database.lastTransaction()
        browser = self.browser()
        browser.raiseHttpErrors = False
        browser.open(url)
        self.assertEqual(browser.headers['status'], '200 OK', url)
        self.assertNotIn('Confirm action', browser.contents, url)
        self.assertNotIn('@@confirm-action', browser.url, url)
        self.assertEqual(self.database.lastTransaction(), before,
                         '%s wrote to the database' % url)

    def test_our_roles_are_known_to_the_role_manager(self):
        roles = self.portal.acl_users.portal_role_manager._roles
        self.assertIn('CollectiveCron', roles)
        self.assertIn('CollectiveCronRO', roles)

    def test_upgrade_registers_the_roles_of_an_installed_site(self):
        manager = self.portal.acl_users.portal_role_manager
        for role in ('CollectiveCron', 'CollectiveCronRO'):
            manager.removeRole(role)
        setup = self.portal.portal_setup
        setup.setLastVersionForProfile('collective.cron:default', '3001')
        setup.upgradeProfile('collective.cron:default')
        self.test_our_roles_are_known_to_the_role_manager()
        self.assert_reads_only(self.portal.absolute_url() +
                               '/@@usergroup-userprefs')

    def test_users_and_groups(self):
        site = self.portal.absolute_url()
        for page in ('@@usergroup-userprefs', '@@usergroup-groupprefs',
                     '@@usergroup-userprefs', '@@overview-controlpanel'):
            self.assert_reads_only('%s/%s' % (site, page))

    def test_our_pages(self):
        setSite(self.portal)
        crontab = Crontab.load()
        cron = Cron(name=u'record', periodicity=u'*/5 * * * *',
                    activated=True, crontab=crontab)
        cron.log(status=OK, messages=[u'done'])
        crontab.save()
        transaction.commit()
        site = self.portal.absolute_url()
        dashboard = site + '/@@cron-settings'
        query = '?uid=' + cron.uid
        for url in (dashboard, dashboard + '/add',
                    dashboard + '/' + cron.uid,
                    dashboard + '/' + cron.uid + '/edit',
                    dashboard + '/cron_view' + query,
                    dashboard + '/cron_edit' + query,
                    site + '/@@cron-add', site + '/@@cron-status' + query):
            self.assert_reads_only(url)


class TestUnknownCrons(test_dashboard.DashboardTestCase):
    """4. Without ``ccron: View``, an existing cron id and a missing one get
    the same answer (login or insufficient privileges), for every URL of a
    cron. 5. With it, a missing cron is Plone's themed 404 page."""

    def setUp(self):
        super(TestUnknownCrons, self).setUp()
        self.uid = self.add()
        deleted = self.add()
        crontab = self.crontab()
        del crontab.crons[deleted]
        crontab.save()
        transaction.commit()
        self.deleted = deleted

    def urls(self, uid):
        base = self.dashboard
        query = '?uid=' + uid
        return [base + '/' + uid, base + '/' + uid + '/edit',
                base + '/cron_view' + query, base + '/cron_edit' + query,
                base + '/cron_action' + query,
                base + '/cron_deletelog' + query]

    def answer(self, user, url, post=False):
        browser = self.browser(user)
        browser.addHeader('Accept', 'text/html')
        browser.raiseHttpErrors = False
        if post:
            browser.post(url, 'cron_action=run-cron')
        else:
            browser.open(url)
        where = browser.url.split('?')[0]
        return browser.headers['status'], where, browser.contents

    def assert_same_answer(self, user, expected):
        for existing, missing in zip(self.urls(self.uid),
                                     self.urls(self.deleted)):
            for post in (False, True):
                status, where, html = self.answer(user, existing, post)
                self.assertEqual((status, where), self.answer(
                    user, missing, post)[:2], (missing, post))
                self.assertTrue(where.endswith(expected), (existing, where))

    def test_anonymous(self):
        self.assert_same_answer(None, '/login')

    def test_member(self):
        self.assert_same_answer('member', '/insufficient-privileges')

    def test_unknown_cron_is_plones_not_found_page(self):
        pages = self.urls(self.deleted)[:4] + [
            self.dashboard + '/nosuch', self.cron_url(self.uid) + '/nosuch']
        for url in pages:
            status, where, html = self.answer(ADMIN, url)
            self.assertEqual(status, '404 Not Found', url)
            self.assertIn('This page does not seem to exist', html, url)
            self.assertIn('id="portal-header"', html, url)
            self.assertIn('id="portal-footer"', html, url)


CHECK_SITE = '''
import os
execfile(os.environ['CREATE_SITE'])
from collective.cron.interfaces import ICrontabMarker
print('site marked: %s' % ICrontabMarker(app[SITE_ID]).marked)
'''


class TestFirstRun(unittest.TestCase):
    """7. The first `make run` (a new instance: its async database has no
    queue yet) creates and marks the site without warning that no zc.async
    database is configured. Runs the real scripts in a new instance."""

    def setUp(self):
        self.home = tempfile.mkdtemp(prefix='ccron-first-run-')

    def tearDown(self):
        shutil.rmtree(self.home)

    def run_script(self, *args):
        process = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            env=dict(os.environ, CREATE_SITE=os.path.join(
                SCRIPTS, 'create_site.py'), PORT='8099', SITE_ID='Plone'))
        output = process.communicate()[0]
        self.assertEqual(process.returncode, 0, output)
        return output

    def test_no_false_warning_and_the_site_is_marked(self):
        instance = os.path.join(self.home, 'instance')
        check = os.path.join(self.home, 'check_site.py')
        with open(check, 'w') as script:
            script.write(CHECK_SITE)
        self.run_script(sys.executable, os.path.join(
            SCRIPTS, 'make_instance.py'), instance)
        output = self.run_script(
            os.path.join(os.path.dirname(sys.executable), 'zconsole'), 'run',
            os.path.join(instance, 'setup', 'etc', 'zope.conf'), check)
        self.assertIn("installed collective.cron in 'Plone'", output)
        self.assertNotIn('no zc.async database is configured', output)
        self.assertEqual([line for line in output.splitlines()
                          if 'WARNING' in line and 'collective.cron' in line],
                         [])
        self.assertIn('site marked: True', output)


class TestInstallWithoutAsyncDatabase(test_genericsetup.ImportTestCase):
    """7. Installing in a process without a zc.async database still warns,
    naming the cause."""

    def test_warning(self):
        registry = getGlobalSiteManager()
        database = registry.getUtility(IAsyncDatabase)
        registry.unregisterUtility(database, IAsyncDatabase)
        logs = InstalledHandler('collective.cron')
        try:
            post_install(self.portal.portal_setup)
        finally:
            logs.uninstall()
            registry.registerUtility(database, IAsyncDatabase)
        self.assertEqual(
            [(record.levelname, record.getMessage())
             for record in logs.records],
            [('WARNING', 'collective.cron: installed in /plone, but no '
              'zc.async database is configured in this Zope process: no '
              'cron job can run')])
