# -*- coding: utf-8 -*-
"""The Cron Dashboard answers what collective.cron 2.x's pages sent.

Every request below uses the URLs, form fields, values and buttons of
2.x's dashboard (its templates and its ``timed_webui.rst`` doctest): the
forms are taken from our pages, so plone.protect's token goes with them,
or posted with a token of the user.
"""

import transaction
from plone.app.testing import login
from plone.app.testing import logout
from plone.protect.authenticator import createToken
from six.moves.urllib.parse import urlencode

from collective.cron import crontab as model
from collective.cron.tests.test_dashboard import ADMIN
from collective.cron.tests.test_dashboard import DashboardTestCase
from collective.cron.tests.test_dashboard import local


class CompatTestCase(DashboardTestCase):

    def token(self, user=ADMIN):
        login(self.portal, user)
        try:
            return createToken()
        finally:
            logout()

    def post(self, path, **data):
        """POST 2.x fields to ``@@cron-settings/<path>``, with a token."""
        browser = self.browser()
        data['_authenticator'] = self.token()
        browser.post('%s/%s' % (self.dashboard, path),
                     urlencode(data, doseq=True))
        return browser

    def add_logs(self, uid, count, status=model.OK):
        super(CompatTestCase, self).add_logs(uid, count, status)

    def messages(self, uid):
        return [log.messages[0] for log in self.cron(uid).logs]


class TestForms(CompatTestCase):

    def test_add_with_the_2x_fields(self):
        browser = self.browser()
        browser.open(self.dashboard)
        browser.getLink('Add a task').click()
        browser.getControl(name='form.widgets.name').value = 'dashboard-ok'
        browser.getControl(name='form.widgets.periodicity').value = \
            '*/1 * * * *'
        browser.getControl(name='form.widgets.logs_limit').value = '25'
        browser.getControl(name='form.widgets.senviron').value = \
            '{"foo":"bar"}'
        browser.getControl('Add').click()
        self.assertEqual(browser.url, self.dashboard)
        self.assertIn('A new cron was added', browser.contents)
        cron = list(self.crontab().crons.values())[0]
        self.assertEqual((cron.name, cron.periodicity, cron.logs_limit,
                          cron.environ, cron.activated),
                         (u'dashboard-ok', u'*/1 * * * *', 25,
                          {u'foo': u'bar'}, True))
        self.assertTrue(self.queue.is_pending(cron.uid))

    def test_edit_cron_link_and_apply(self):
        uid = self.add()
        browser = self.browser()
        browser.open(self.dashboard)
        browser.getLink('dashboard-ok').click()
        browser.getLink(id='edit-cron').click()
        browser.getControl(name='form.widgets.activated:list').value = []
        browser.getControl('Apply').click()
        self.assertFalse(self.cron(uid).activated)
        self.assertFalse(self.queue.is_present(uid))
        browser.getLink(id='edit-cron').click()
        browser.getControl(name='form.widgets.activated:list').value = [
            'selected']
        browser.getControl('Apply').click()
        self.assertTrue(self.cron(uid).activated)
        self.assertTrue(self.queue.is_pending(uid))

    def test_cron_edit_url(self):
        uid = self.add()
        browser = self.browser()
        browser.open('%s/cron_edit?uid=%s' % (self.dashboard, uid))
        self.assertEqual(browser.getForm(index=1).action,
                         self.cron_url(uid) + '/edit')
        browser.getControl(name='form.widgets.name').value = 'dashboard-html'
        browser.getControl(name='form.widgets.periodicity').value = \
            '*/10 * * * *'
        browser.getControl(name='form.widgets.senviron').value = \
            '{"foo":"moo"}'
        browser.getControl(name='form.buttons.apply').click()
        cron = self.cron(uid)
        self.assertEqual((cron.name, cron.periodicity, cron.environ),
                         (u'dashboard-html', u'*/10 * * * *',
                          {u'foo': u'moo'}))
        self.assertEqual([job.args[-1].name for job in self.pending()],
                         [u'dashboard-html'])

    def test_cron_edit_posted(self):
        uid = self.add()
        browser = self.post(
            'cron_edit?uid=' + uid, **{
                'form.widgets.name': 'dashboard-ok',
                'form.widgets.periodicity': '0 3 * * *',
                'form.widgets.user': '',
                'form.widgets.activated:list': 'selected',
                'form.widgets.activated-empty-marker': '1',
                'form.widgets.logs_limit': '7',
                'form.widgets.senviron': '{}',
                'form.buttons.apply': 'Apply'})
        self.assertEqual(browser.url, self.cron_url(uid))
        self.assertEqual((self.cron(uid).periodicity,
                          self.cron(uid).logs_limit), (u'0 3 * * *', 7))


class TestActions(CompatTestCase):

    def test_crontab_toggle_form(self):
        uid = self.add()
        browser = self.browser()
        browser.open(self.dashboard)
        browser.getForm(id='cron_toggle_form').submit()
        self.assertEqual(browser.url, self.dashboard)
        self.assertFalse(self.crontab().activated)
        self.assertEqual(self.pending(), [])
        browser.getForm(id='cron_toggle_form').submit()
        self.assertTrue(self.crontab().activated)
        self.assertTrue(self.queue.is_pending(uid))

    def test_crontab_toggle_posted(self):
        self.post('crontab_toggle', activated='0')
        self.assertFalse(self.crontab().activated)
        self.post('crontab_toggle', activated='0')
        self.assertFalse(self.crontab().activated)
        browser = self.post('crontab_toggle')
        self.assertFalse(self.crontab().activated)
        self.assertIn('Nothing to do', browser.contents)
        self.post('crontab_toggle', activated='1')
        self.assertTrue(self.crontab().activated)

    def test_run_cron(self):
        uid = self.add()
        browser = self.browser()
        browser.open(self.dashboard)
        browser.getLink('dashboard-ok').click()
        browser.getControl(name='cron_action').value = 'run-cron'
        browser.getForm(id='cron_action_form').submit()
        self.assertEqual(browser.url, self.cron_url(uid))
        self.assertIn('Cron %s/dashboard-ok was queued' % str(uid),
                      browser.contents)
        self.assertEqual(self.wait_logs(uid, 1)[0].status, model.OK)

    def test_delete_cron(self):
        uid, other = self.add(), self.add(u'dashboard-html')
        browser = self.browser()
        browser.open(self.cron_url(uid))
        browser.getControl(name='cron_action').value = 'delete-cron'
        browser.getForm(id='cron_action_form').submit()
        self.assertEqual(browser.url, self.dashboard)
        self.assertIn('Cron %s/dashboard-ok was deleted' % str(uid),
                      browser.contents)
        self.assertEqual(list(self.crontab().crons), [other])
        self.assertFalse(self.queue.is_present(uid))

    def test_cron_action_posted(self):
        uid = self.add()
        self.post('cron_action', uid=uid, cron_action='nothing')
        self.assertEqual(self.pending()[0].args[-1].uid, uid)
        browser = self.post('cron_action', uid=uid, cron_action='run-cron')
        self.assertIn('was queued', browser.contents)
        self.wait_logs(uid, 1)
        self.wait_idle(uid)
        browser = self.post('cron_action?uid=' + uid,
                            cron_action='delete-cron')
        self.assertEqual(browser.url, self.dashboard)
        self.assertEqual(self.crontab().crons, {})

    def test_process_multiple(self):
        uids = [self.add(), self.add(u'dashboard-html'),
                self.add(u'dashboard-broken')]
        browser = self.browser()
        browser.open(self.dashboard)
        browser.getControl(name='uids_to_delete').value = [uids[1]]
        browser.getForm(id='cron-list').submit()
        self.assertEqual(browser.url, self.dashboard)
        self.assertEqual(list(self.crontab().crons), [uids[0], uids[2]])
        self.post('process_multiple', uids_to_delete=uids[0])
        self.assertEqual(list(self.crontab().crons), [uids[2]])
        self.assertEqual(self.queue.cron_uids(), [uids[2]])

    def test_send_button(self):
        uids = [self.add(), self.add(u'dashboard-html')]
        browser = self.browser()
        browser.open(self.dashboard)
        self.assertIn('Crontab Preferences', browser.contents)
        browser.getControl(name='uids_to_delete').value = [uids[1]]
        browser.getControl('Send').click()
        self.assertEqual(browser.url, self.dashboard)
        self.assertIn('Cron %s/dashboard-html was deleted' % str(uids[1]),
                      browser.contents)
        self.assertEqual(list(self.crontab().crons), [uids[0]])


class TestLogs(CompatTestCase):

    def test_delete_logs_by_position(self):
        uid = self.add()
        self.add_logs(uid, 4)
        browser = self.browser()
        browser.open(self.cron_url(uid))
        browser.getControl(name='logs_to_delete').value = ['1']
        browser.getControl(name='logdelete').click()
        self.assertIn('Selected logs have been deleted', browser.contents)
        self.assertEqual(self.messages(uid), [u'log 3', u'log 1', u'log 0'])
        browser.getControl(name='logs_to_delete').value = ['0', '2']
        browser.getControl(name='logdeletetop').click()
        self.assertEqual(self.messages(uid), [u'log 1'])

    def test_ten_shown_positions_in_the_full_list(self):
        uid = self.add(logs_limit=25)
        self.add_logs(uid, 24)
        browser = self.browser()
        browser.open(self.cron_url(uid))
        self.assertIn('10/24 last logs', browser.contents)
        browser.getControl(name='logs_to_delete').value = ['14']
        browser.getControl(name='logdelete').click()
        self.assertIn('Selected logs have been deleted', browser.contents)
        self.assertIn('10/23 last logs', browser.contents)
        self.assertNotIn(u'log 9', self.messages(uid))
        self.assertEqual(len(self.messages(uid)), 23)

    def test_delete_all_logs(self):
        uid = self.add()
        self.add_logs(uid, 3)
        browser = self.browser()
        browser.open(self.cron_url(uid))
        browser.getControl(name='alllogs_to_delete').value = True
        browser.getControl(name='logdeletetop').click()
        self.assertIn('All logs have been deleted', browser.contents)
        self.assertNotIn('last logs', browser.contents)
        self.assertEqual(self.cron(uid).logs, [])

    def test_cron_deletelog_posted(self):
        uid = self.add()
        self.add_logs(uid, 4)
        self.post('cron_deletelog?uid=' + uid,
                  logs_to_delete=['3', '0', '9', 'x'])
        self.assertEqual(self.messages(uid), [u'log 2', u'log 1'])
        browser = self.post('cron_deletelog', uid=uid, logdelete='Send',
                            alllogs_to_delete='on')
        self.assertEqual(browser.url, self.cron_url(uid))
        self.assertEqual(self.cron(uid).logs, [])

    def test_logs_changed_since_the_page_was_shown(self):
        uid = self.add()
        self.add_logs(uid, 2)
        browser = self.browser()
        browser.open(self.cron_url(uid))
        crontab = self.crontab()
        crontab.crons[uid].log(date=local(2007, 12, 31, 13),
                               messages=[u'newer'])
        crontab.save()
        transaction.commit()
        browser.getControl(name='logs_to_delete').value = ['0']
        browser.getControl(name='logdelete').click()
        self.assertIn('The logs changed since the page was shown',
                      browser.contents)
        self.assertEqual(self.messages(uid), [u'newer', u'log 1', u'log 0'])


class TestPages(CompatTestCase):

    def test_cron_view_url(self):
        uid = self.add()
        browser = self.browser()
        browser.open('%s/cron_view?uid=%s' % (self.dashboard, uid))
        self.assertIn('Cron dashboard-ok', browser.contents)
        self.assertEqual(browser.getLink('dashboard-ok').url,
                         self.cron_url(uid))
        self.assertEqual(browser.getLink(id='edit-cron').url,
                         self.cron_url(uid) + '/edit')

    def test_unknown_or_missing_uid(self):
        self.add()
        for path in ('cron_view?uid=nosuchuid', 'cron_view', 'cron_edit',
                     'cron_edit?uid=nosuchuid', 'cron_action',
                     'crontab_toggle/more'):
            browser = self.browser()
            browser.raiseHttpErrors = False
            browser.open('%s/%s' % (self.dashboard, path))
            self.assertEqual(browser.headers['status'].split()[0], '404',
                             path)

    def test_get_of_an_action_url_shows_the_page(self):
        uid = self.add()
        browser = self.browser()
        browser.open('%s/cron_action?uid=%s&cron_action=delete-cron' % (
            self.dashboard, uid))
        self.assertEqual(browser.url, self.cron_url(uid))
        browser.open(self.dashboard + '/crontab_toggle?activated=0')
        self.assertEqual(browser.url, self.dashboard)
        crontab = self.crontab()
        self.assertTrue(crontab.activated)
        self.assertEqual(list(crontab.crons), [uid])
