# -*- coding: utf-8 -*-
"""The Cron Dashboard in headless Chromium, on the live instance that
run.py starts (its URL in BROWSER_TEST_URL). Not collected by `make test`:
run by `make browser-test`."""
from __future__ import unicode_literals

import os
import unittest

import six
from selenium.webdriver.common.by import By

from browser import RUN_TIMEOUT
from browser import Dashboard
from browser import replaced
from instance import ADMIN
from instance import PLONE
from instance import READER

URL = os.environ.get('BROWSER_TEST_URL', 'http://localhost:8080/Plone')

#: the classes of an info status message: Plone 5.2's, and Plone 6's
#: Bootstrap 5 alert (Classic UI)
INFO_CLASSES = {
    '5.2': {'portalMessage', 'info'},
    '6': {'portalMessage', 'statusmessage', 'statusmessage-info', 'alert',
          'alert-info'},
}[PLONE]
#: the label of Site Setup's link to the dashboard: Plone 6's overview
#: shows a card per configlet (an icon, whose title is the configlet's
#: too, then the label)
SETUP_LINK = '#content a[href$="/@@cron-settings"]'
SETUP_LABEL = {
    '5.2': SETUP_LINK,
    '6': SETUP_LINK + ' > div.text-center',
}[PLONE]

_admin = []


def admin():
    """The admin's browser, shared by the tests (one login)."""
    if not _admin:
        _admin.append(Dashboard.logged_in(URL, ADMIN))
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

    def test_status_message_is_the_versions_info_message(self):
        browser = self.browser
        browser.add_cron('browser-test/message', '0 0 1 1 *')
        infos = [message for message in browser.find_all('.portalMessage')
                 if 'A new cron was added' in message.text]
        self.assertEqual(len(infos), 1)
        classes = set(infos[0].get_attribute('class').split())
        self.assertTrue(INFO_CLASSES <= classes,
                        '%s not in %s' % (sorted(INFO_CLASSES),
                                          sorted(classes)))

    def test_site_setup_links_to_the_dashboard(self):
        browser = self.browser
        browser.open('/@@overview-controlpanel')
        links = [link for link in browser.find_all(SETUP_LABEL)
                 if link.is_displayed()]
        self.assertEqual([link.text.strip() for link in links],
                         ['Cron Dashboard'])
        html = browser.find('html')
        browser.click_element(links[0])
        browser.wait(replaced(html))
        self.assertEqual(browser.text('h1'), 'Cron Dashboard')

    def test_schedule_preview_as_one_types(self):
        """The add form's script shows the periodicity in words and its
        next runs under the field, from @@cron-schedule, as one types."""
        browser = self.browser
        browser.open(browser.DASHBOARD + '/add')
        preview = '#cron-schedule-preview'
        browser.fill('#form-widgets-periodicity', '0 4 * * *')
        browser.fill('#form-widgets-timezone', 'Europe/Paris')
        browser.wait_text(preview + ' .cron-schedule-text',
                          'At 04:00 - Next runs (Europe/Paris):')
        runs = [item.text for item in
                browser.find_all(preview + ' .cron-schedule-next li')]
        self.assertEqual(len(runs), 5, runs)
        for run in runs:
            six.assertRegex(self, run,
                            r'^\d{4}-\d\d-\d\d 04:00:00\+0[12]:00$')
        self.assertTrue(browser.script(
            'return document.getElementById("form-widgets-periodicity")'
            '.parentNode.contains(document.querySelector(arguments[0]));',
            preview))
        self.assertTrue(browser.find(preview).is_displayed())
        browser.fill('#form-widgets-periodicity', 'often')
        # clearing the field asks about '' first: wait for the last answer
        browser.wait_text(preview + ' .cron-schedule-text', 'often')
        browser.find(preview + '.cron-invalid')
        self.assertIn("often", browser.text(preview + ' .cron-schedule-text'))
        self.assertEqual(
            browser.find_all(preview + ' .cron-schedule-next li'), [])

    def test_post_without_csrf_token_is_refused(self):
        """Every form that changes something carries plone.protect's
        token; a confirmation posted without it changes nothing."""
        browser = self.browser
        browser.open_dashboard()
        tokens = [form.get_attribute('id') for form in
                  browser.find_all('form[method="post"]')
                  if form.find_elements(By.CSS_SELECTOR,
                                        'input[name="_authenticator"]')]
        self.assertIn('cron_toggle_form', tokens)
        browser.submit('#cron-crontab-deactivate')
        browser.script('var token = document.querySelector('
                       '"#cron-confirm-form input[name=_authenticator]");'
                       'token.parentNode.removeChild(token);')
        browser.submit('#cron-confirm')
        self.assertNotIn('The crontab was deactivated',
                         ' '.join(browser.messages()))
        browser.open_dashboard()
        self.assertTrue(browser.present('#cron_toggle_form.cron-on'))

    def add_run(self, name):
        """A cron named ``name`` that ran once; its page is open."""
        browser = self.browser
        browser.add_cron(name, '0 0 1 1 *')
        browser.open_cron(name)
        browser.run_now()
        browser.wait_for_log()

    def test_run_now_shows_the_result_without_reload(self):
        browser = self.browser
        browser.add_cron('portal_url/getPortalPath', '0 0 1 1 *')
        browser.open_cron('portal_url/getPortalPath')
        self.assertTrue(browser.present('#cron-no-logs'))
        browser.run_now()
        self.assertMessage('"portal_url/getPortalPath" queued to run now')
        browser.script('window.cronNotReloaded = true;')
        browser.find('tr.cron-log', RUN_TIMEOUT)
        self.assertTrue(browser.script('return window.cronNotReloaded;'))
        self.assertEqual(browser.text('tr.cron-log .cron-status'), 'WARN')
        self.assertEqual(browser.text('tr.cron-log .cron-log-messages'),
                         '/Plone')
        # the run by the instance's worker (zc.async's dispatcher on Plone
        # 5.2, Huey's consumer on Plone 6), on the dashboard too
        self.assertIn('WARN', browser.row_text('portal_url/getPortalPath'))

    def test_delete_logs_after_confirmation(self):
        browser = self.browser
        self.add_run('portal_types/listContentTypes')
        browser.click('#cron-all-logs')
        browser.submit('#cron-delete-logs-top')
        self.assertEqual(
            browser.text('#cron-confirm-title'),
            'Delete all 1 logs of "portal_types/listContentTypes"?')
        browser.submit('#cron-confirm')
        self.assertMessage('"portal_types/listContentTypes": all logs deleted')
        self.assertTrue(browser.present('#cron-no-logs'))
        self.assertFalse(browser.present('tr.cron-log'))

    def test_delete_cron_after_confirmation(self):
        browser = self.browser
        name = 'browser-test/delete-me'
        browser.add_cron(name, '0 0 1 1 *')
        browser.open_cron(name)
        browser.submit('#cron_action_form [name="form.button.delete"]')
        self.assertEqual(browser.text('#cron-confirm-title'),
                         'Delete the cron "%s"?' % name)
        browser.submit('#cron-cancel')
        self.assertMessage('Cancelled')
        browser.open_cron(name)
        browser.submit('#cron_action_form [name="form.button.delete"]')
        browser.submit('#cron-confirm')
        self.assertMessage('"%s" was deleted' % name)
        self.assertNotIn(name, browser.cron_names())

    def test_delete_selected_crons_after_confirmation(self):
        browser = self.browser
        name = 'browser-test/delete-selected'
        browser.add_cron(name, '0 0 1 1 *')
        browser.click('#cron-table input[name="uids_to_delete"][title="%s"]'
                      % name)
        browser.submit('#cron-delete-selected')
        self.assertEqual(browser.text('#cron-confirm-title'),
                         'Delete 1 cron(s)?')
        self.assertEqual(browser.text('#cron-confirm-items'), name)
        browser.submit('#cron-confirm')
        self.assertMessage('"%s" was deleted' % name)
        self.assertNotIn(name, browser.cron_names())

    def test_row_actions(self):
        browser = self.browser
        name = 'portal_url/getPortalObject'
        browser.add_cron(name, '0 0 1 1 *')
        browser.submit(browser.row_button(name, 'cron_deactivate'))
        self.assertMessage('"%s" was deactivated' % name)
        self.assertIn('deactivated', browser.row_text(name))
        browser.submit(browser.row_button(name, 'cron_activate'))
        self.assertMessage('"%s" was activated' % name)
        browser.submit(browser.row_button(name, 'cron_run'))
        self.assertMessage('"%s" queued to run now' % name)

    def visible_2x_buttons(self):
        """2.x's submit buttons kept for 2.x's clients, if shown."""
        return [button.get_attribute('value') for button in
                self.browser.find_all('input[type="submit"][hidden]')
                if button.is_displayed()]

    def test_2x_buttons_stay_hidden(self):
        browser = self.browser
        self.add_run('portal_url/getPortalHostname')
        self.assertEqual(self.visible_2x_buttons(), [])
        browser.open_dashboard()
        self.assertEqual(self.visible_2x_buttons(), [])

    def test_toggle_crontab_asks_before_deactivating(self):
        browser = self.browser
        browser.open_dashboard()
        self.assertTrue(browser.present('#cron_toggle_form.cron-on'))
        browser.submit('#cron-crontab-deactivate')
        self.assertEqual(browser.text('#cron-confirm-title'),
                         'Deactivate the crontab?')
        browser.submit('#cron-confirm')
        self.assertMessage('The crontab was deactivated')
        self.assertTrue(browser.present('#cron_toggle_form.cron-off'))
        browser.submit('#cron-crontab-activate')
        self.assertMessage('The crontab was activated.')
        self.assertTrue(browser.present('#cron_toggle_form.cron-on'))


class ReadOnlyTests(unittest.TestCase):
    """A member with only the CollectiveCronRO role sees the dashboard and
    the crons' pages and no button they cannot use."""

    EDIT_CONTROLS = ('#cron-add', '#cron_toggle_form button',
                     '[name="uids_to_delete"]', '#cron-list button',
                     '[name="cron_run"]', '[name="cron_activate"]',
                     '[name="cron_deactivate"]', '#cron_action_form',
                     '#edit-cron', '[name="form.button.run"]',
                     '[name="form.button.delete"]',
                     '[name="logs_to_delete"]', '#cron-all-logs',
                     '#cron-logs button')

    @classmethod
    def setUpClass(cls):
        admin().add_cron('browser-test/read-only', '0 0 1 1 *')
        cls.browser = Dashboard.logged_in(URL, READER)

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()

    def assertNoEditControl(self):
        shown = [css for css in self.EDIT_CONTROLS
                 if self.browser.present(css)]
        self.assertEqual(shown, [])

    def test_dashboard(self):
        self.browser.open_dashboard()
        self.assertIn('browser-test/read-only', self.browser.cron_names())
        self.assertNoEditControl()

    def test_cron_page(self):
        self.browser.open_cron('browser-test/read-only')
        self.assertNoEditControl()

    def test_no_add_form(self):
        self.browser.open('/@@cron-settings/add')
        self.assertFalse(self.browser.present('#form-buttons-add'))


class FrenchTests(unittest.TestCase):
    """Accept-Language: fr, in a window 1024 px wide: the pages speak
    French and their tables fit in their column."""

    NAME = 'portal_catalog/getpath'

    @classmethod
    def setUpClass(cls):
        browser = admin()
        browser.add_cron(cls.NAME, '*/10 * * * *',
                         environ='{"note": "rapport"}')
        browser.open_cron(cls.NAME)
        browser.run_now()
        browser.wait_for_log()
        cls.browser = Dashboard.logged_in(URL, ADMIN, language='fr',
                                          width=1024, height=800)

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()

    def assertFits(self, css):
        """The table is no wider than the element that holds it."""
        widths = self.browser.script(
            'var table = document.querySelector(arguments[0]);'
            'return [table.scrollWidth, table.parentElement.clientWidth];',
            css)
        self.assertLessEqual(widths[0], widths[1],
                             '%s overflows: %s > %s px' % (css, widths[0],
                                                          widths[1]))

    def test_dashboard(self):
        browser = self.browser
        browser.open_dashboard()
        self.assertEqual(browser.text('h1'), 'Tableau de bord cron')
        self.assertTrue(browser.text('.documentDescription').startswith(
            'Les tâches planifiées de ce site.'))
        self.assertEqual(browser.text('#cron-crontab-preferences'),
                         'Préférences de la crontab')
        self.assertIn('Ajouter une tâche', browser.text('#cron-add'))
        headers = browser.text('#cron-table thead')
        for header in ('Nom', 'Prochaine exécution', 'Dernier statut',
                       'Fin de la dernière exécution', 'Durée'):
            self.assertIn(header, headers)
        self.assertIn('Exécuter maintenant', browser.row_text(self.NAME))
        self.assertIn('Supprimer les tâches sélectionnées',
                      browser.text('#cron-delete-selected'))
        self.assertFits('#cron-table')

    def test_confirmation_page(self):
        browser = self.browser
        browser.open_dashboard()
        browser.submit('#cron-crontab-deactivate')
        self.assertEqual(browser.text('#cron-confirm-title'),
                         'Désactiver la crontab ?')
        self.assertEqual(browser.text('#cron-cancel'), 'Annuler')
        browser.submit('#cron-cancel')
        self.assertIn('Annulé', ' '.join(browser.messages()))
        self.assertTrue(browser.present('#cron_toggle_form.cron-on'))

    def test_cron_page(self):
        browser = self.browser
        browser.open_cron(self.NAME)
        self.assertIn('Exécuter maintenant',
                      browser.text('#cron_action_form'))
        self.assertEqual(browser.text('#cron-settings th'), 'Nom')
        self.assertEqual(browser.text('tr.cron-log .cron-status'), 'ÉCHEC')
        self.assertIn('getpath()', browser.text('tr.cron-log'))
        for table in ('#cron-summary', '#cron-settings', '#cron-logs-table'):
            self.assertFits(table)
