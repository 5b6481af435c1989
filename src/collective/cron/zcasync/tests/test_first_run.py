# -*- coding: utf-8 -*-
"""Regression tests of issue 14, defect 7, with the zc.async backend
(moved from collective.cron.tests.test_defects14): the first `make run`
logs no false warning about zc.async; installing without a zc.async
database warns, naming the cause."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from plone.app.async.interfaces import IAsyncDatabase
from zope.component import getGlobalSiteManager
from zope.testing.loggingsupport import InstalledHandler

import collective.cron
from collective.cron.setuphandlers import post_install
from collective.cron.tests import test_genericsetup

SCRIPTS = os.path.join(os.path.dirname(collective.cron.__file__), os.pardir,
                       os.pardir, os.pardir, 'scripts')


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
