# -*- coding: utf-8 -*-
"""The Cron Dashboard in headless Chromium, on the live instance that
run.py starts (its URL in BROWSER_TEST_URL). Not collected by `make test`:
run by `make browser-test`."""
from __future__ import unicode_literals

import os
import unittest

from browser import Dashboard
from instance import ADMIN
from instance import READER

URL = os.environ.get('BROWSER_TEST_URL', 'http://localhost:8080/Plone')

_admin = []


def admin():
    """The admin's browser, shared by the tests (one login)."""
    if not _admin:
        browser = Dashboard(URL)
        browser.log_in(*ADMIN)
        _admin.append(browser)
    return _admin[0]


def tearDownModule():
    while _admin:
        _admin.pop().quit()


class AdminTests(unittest.TestCase):

    def setUp(self):
        self.browser = admin()

    def assertMessage(self, text):
        messages = ' '.join(self.browser.messages())
        self.assertIn(text, messages)

    def test_add_and_edit(self):
        browser = self.browser
        browser.add_cron('browser-test/add-edit', '0 4 * * *')
        self.assertMessage('A new cron was added')
        browser.open_cron('browser-test/add-edit')
        self.assertEqual(browser.text('#cron-settings code'), '0 4 * * *')
        browser.submit('#edit-cron')
        browser.fill('#form-widgets-periodicity', '30 5 * * 1')
        browser.submit('#form-buttons-apply')
        self.assertMessage('Changes saved')
        self.assertEqual(browser.text('#cron-settings code'), '30 5 * * 1')
        browser.open_dashboard()
        row = [tr.text for tr in browser.find_all('#cron-table tbody tr')
               if 'browser-test/add-edit' in tr.text]
        self.assertEqual(len(row), 1)
        self.assertIn('30 5 * * 1', row[0])

    def add_run(self, name):
        """A cron named ``name`` that ran once; its page is open."""
        browser = self.browser
        browser.add_cron(name, '0 0 1 1 *')
        browser.open_cron(name)
        self.assertTrue(browser.present('#cron-no-logs'))
        browser.run_now()
        self.assertMessage('was queued')
        browser.wait_for_log()

    def test_run_now(self):
        self.add_run('portal_url/getPortalPath')
        self.assertEqual(self.browser.text('tr.cron-log .cron-status'),
                         'WARN')
        self.assertEqual(self.browser.text('tr.cron-log .cron-log-messages'),
                         '/Plone')

    def test_delete_logs(self):
        browser = self.browser
        self.add_run('portal_types/listContentTypes')
        browser.click('#cron-all-logs')
        browser.submit('#cron-logs [name="logdelete"]')
        self.assertMessage('All logs have been deleted.')
        self.assertTrue(browser.present('#cron-no-logs'))
        self.assertFalse(browser.present('tr.cron-log'))

    def test_delete_cron(self):
        browser = self.browser
        browser.add_cron('browser-test/delete-me', '0 0 1 1 *')
        browser.open_cron('browser-test/delete-me')
        browser.submit('#cron_action_form [name="form.button.delete"]')
        self.assertMessage('was deleted')
        self.assertNotIn('browser-test/delete-me',
                         [text for text, url in browser.cron_links()])

    def test_toggle_crontab(self):
        browser = self.browser
        browser.open_dashboard()
        self.assertTrue(browser.present('#cron_toggle_form.cron-on'))
        browser.submit('#cron_toggle_form button')
        self.assertMessage('The crontab was deactivated')
        self.assertTrue(browser.present('#cron_toggle_form.cron-off'))
        browser.submit('#cron_toggle_form button')
        self.assertMessage('The crontab was activated.')
        self.assertTrue(browser.present('#cron_toggle_form.cron-on'))


class ReadOnlyTests(unittest.TestCase):
    """A member with only the CollectiveCronRO role sees the dashboard and
    the crons' pages and no button they cannot use."""

    EDIT_CONTROLS = ('#cron-add', '#cron_toggle_form button',
                     '[name="uids_to_delete"]', '#cron-list button',
                     '#cron_action_form', '#edit-cron',
                     '[name="form.button.run"]',
                     '[name="form.button.delete"]',
                     '[name="logs_to_delete"]', '#cron-all-logs',
                     '#cron-logs button')

    @classmethod
    def setUpClass(cls):
        admin().add_cron('browser-test/read-only', '0 0 1 1 *')
        cls.browser = Dashboard(URL)
        cls.browser.log_in(*READER)

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()

    def assertNoEditControl(self):
        shown = [css for css in self.EDIT_CONTROLS
                 if self.browser.present(css)]
        self.assertEqual(shown, [])

    def test_dashboard(self):
        self.browser.open_dashboard()
        self.assertIn('browser-test/read-only',
                      [text for text, url in self.browser.cron_links()])
        self.assertNoEditControl()

    def test_cron_page(self):
        self.browser.open_cron('browser-test/read-only')
        self.assertNoEditControl()

    def test_no_add_form(self):
        self.browser.open('/@@cron-settings/add')
        self.assertFalse(self.browser.present('#form-buttons-add'))


class FrenchTests(unittest.TestCase):
    """Accept-Language: fr, 1024 px wide."""

    @classmethod
    def setUpClass(cls):
        admin().add_cron('portal_catalog/searchResults', '*/10 * * * *',
                         environ='{"note": "une tâche au nom assez long"}')
        cls.browser = Dashboard(URL, language='fr', width=1024, height=800)
        cls.browser.log_in(*ADMIN)

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()

    def assertFits(self, css):
        widths = self.browser.script(
            'var table = document.querySelector(arguments[0]);'
            'return [table.scrollWidth, table.parentElement.clientWidth];',
            css)
        self.assertLessEqual(widths[0], widths[1],
                             '%s overflows: %s > %s px' % (css, widths[0],
                                                          widths[1]))

    def test_dashboard_in_french(self):
        browser = self.browser
        browser.open_dashboard()
        self.assertEqual(browser.text('h1'), 'Tableau de bord cron')
        self.assertEqual(browser.text('#cron-crontab-preferences'),
                         'Préférences de la crontab')
        self.assertIn('Ajouter une tâche', browser.text('#cron-add'))
        self.assertIn('Désactiver la crontab',
                      browser.text('#cron_toggle_form'))

    def test_cron_page_in_french(self):
        browser = self.browser
        browser.open_cron('portal_catalog/searchResults')
        self.assertIn('Exécuter maintenant',
                      browser.text('#cron_action_form'))
