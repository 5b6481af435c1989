# -*- coding: utf-8 -*-
"""Who may see and change crons through the Cron Dashboard.

Anonymous and Members are refused every page and action (GET and POST,
with a valid CSRF token of their own); a CronViewer only reads; a POST
without the CSRF token, or a GET, changes nothing; user data is escaped.
"""
from urllib import urlencode

import transaction
from plone.app.testing import login
from plone.app.testing import logout
from plone.protect.authenticator import createToken

from collective.cron import crontab as model
from collective.cron.browser.cronview import log_key
from collective.cron.tests.test_dashboard import ADMIN
from collective.cron.tests.test_dashboard import DashboardTestCase
from collective.cron.tests.test_dashboard import utc

FORM = {
    'form.widgets.name': 'dashboard-html',
    'form.widgets.periodicity': '0 4 * * *',
    'form.widgets.user': '',
    'form.widgets.activated:list': 'selected',
    'form.widgets.activated-empty-marker': '1',
    'form.widgets.logs_limit': '3',
    'form.widgets.environ': '{"changed": true}',
}
XSS = u'<script>alert(1)</script>'


class SecurityTestCase(DashboardTestCase):
    """Two crons with logs; every action URL with its POST data."""

    def setUp(self):
        super(SecurityTestCase, self).setUp()
        self.uid = self.add(user=ADMIN)
        self.other = self.add(u'dashboard-html', activated=False)
        crontab = self.crontab()
        crontab.crons[self.uid].log(date=utc(2007, 12, 31), status=model.OK,
                                    messages=[u'kept'])
        crontab.save()
        transaction.commit()

    def token(self, user):
        login(self.portal, user)
        try:
            return createToken()
        finally:
            logout()

    def snapshot(self):
        """The crontab and the jobs, to compare before and after."""
        crontab = self.crontab()
        queue = self.queue
        return (crontab.activated, crontab.dump(),
                sorted((uid, queue.job(uid)._p_oid, queue.status(uid))
                       for uid in queue.cron_uids()))

    def pages(self):
        site = self.portal.absolute_url()
        cron = self.cron_url(self.uid)
        return [self.dashboard, self.dashboard + '/add', cron, cron + '/edit',
                site + '/@@cron-view', site + '/@@cron-add',
                site + '/@@cron-edit']

    def actions(self):
        """(url, data) of every state-changing request."""
        cron = self.cron_url(self.uid)
        logs = self.cron_logs()
        return [
            (self.dashboard, {'form.button.deactivate': '1'}),
            (self.dashboard, {'form.button.activate': '1'}),
            (self.dashboard, {'form.button.delete': '1',
                              'uids:list': [self.uid, self.other]}),
            (cron, {'form.button.run': '1'}),
            (cron, {'form.button.delete': '1'}),
            (cron, {'form.button.delete_logs': '1', 'logs:list': logs}),
            (cron, {'form.button.delete_all_logs': '1'}),
            (self.dashboard + '/add', dict(FORM, **{'form.buttons.add':
                                                    'Add'})),
            (cron + '/edit', dict(FORM, **{'form.buttons.save': 'Save'})),
        ]

    def cron_logs(self):
        return [log_key(log) for log in self.cron(self.uid).logs]

    def request(self, browser, url, data=None, token=None):
        browser.raiseHttpErrors = False
        if data is None:
            browser.open(url)
            return
        data = dict(data)
        if token is not None:
            data['_authenticator'] = token
        browser.post(url, urlencode(data, doseq=True))

    def assert_login(self, browser):
        self.assertIn('/login?came_from=', browser.url)
        self.assertIn('__ac_password', browser.contents)

    def assert_insufficient(self, browser):
        self.assertTrue(browser.url.endswith('/insufficient-privileges'),
                        browser.url)


class TestRefused(SecurityTestCase):

    def test_anonymous_pages(self):
        for url in self.pages():
            browser = self.browser(None)
            self.request(browser, url)
            self.assert_login(browser)

    def test_anonymous_actions(self):
        before = self.snapshot()
        for url, data in self.actions():
            browser = self.browser(None)
            self.request(browser, url, data)
            self.assert_login(browser)
            self.assertEqual(self.snapshot(), before, (url, data))

    def test_member_pages(self):
        for url in self.pages():
            browser = self.browser('member')
            self.request(browser, url)
            self.assert_insufficient(browser)

    def test_member_actions_with_a_valid_token(self):
        token = self.token('member')
        before = self.snapshot()
        for url, data in self.actions():
            browser = self.browser('member')
            self.request(browser, url, data, token)
            self.assert_insufficient(browser)
            self.assertEqual(self.snapshot(), before, (url, data))

    def test_member_sees_no_configlet(self):
        browser = self.browser('member')
        browser.raiseHttpErrors = False
        browser.open(self.portal.absolute_url() + '/@@overview-controlpanel')
        self.assertNotIn('@@cron-settings', browser.contents)


class TestViewer(SecurityTestCase):
    """CronViewer: reads the dashboard and the cron pages only."""

    def test_reads_without_edit_controls(self):
        browser = self.browser('viewer')
        browser.open(self.dashboard)
        self.assertIn('id="cron-table"', browser.contents)
        browser.getLink('dashboard-ok').click()
        self.assertIn('<li>kept</li>', browser.contents)
        for html in ('form.button', 'Run now', 'logs:list',
                     'id="cron-edit"'):
            self.assertNotIn(html, browser.contents)
        browser.open(self.dashboard)
        for html in ('form.button', 'uids:list', 'Add a task'):
            self.assertNotIn(html, browser.contents)

    def test_forms_refused(self):
        for url in (self.dashboard + '/add', self.cron_url(self.uid) +
                    '/edit'):
            browser = self.browser('viewer')
            self.request(browser, url)
            self.assert_insufficient(browser)

    def test_actions_refused(self):
        token = self.token('viewer')
        before = self.snapshot()
        for url, data in self.actions():
            browser = self.browser('viewer')
            self.request(browser, url, data, token)
            self.assert_insufficient(browser)
            self.assertEqual(self.snapshot(), before, (url, data))


class TestCSRF(SecurityTestCase):

    def test_post_without_token_is_forbidden(self):
        before = self.snapshot()
        for url, data in self.actions():
            browser = self.browser()
            self.request(browser, url, data)
            self.assertEqual(browser.headers['status'], '403 Forbidden',
                             (url, data))
            self.assertEqual(self.snapshot(), before, (url, data))

    def test_post_with_a_wrong_token_is_forbidden(self):
        before = self.snapshot()
        wrong = self.token('member')
        for url, data in self.actions():
            browser = self.browser()
            self.request(browser, url, data, wrong)
            self.assertEqual(browser.headers['status'], '403 Forbidden',
                             (url, data))
            self.assertEqual(self.snapshot(), before, (url, data))

    def test_get_changes_nothing(self):
        token = self.token(ADMIN)
        before = self.snapshot()
        for url, data in self.actions():
            data = dict(data, _authenticator=token)
            browser = self.browser()
            browser.raiseHttpErrors = False
            browser.open(url + '?' + urlencode(data, doseq=True))
            self.assertEqual(browser.headers['status'], '200 OK', url)
            self.assertEqual(self.snapshot(), before, (url, data))

    def test_the_token_is_what_makes_the_difference(self):
        token = self.token(ADMIN)
        browser = self.browser()
        self.request(browser, self.dashboard,
                     {'form.button.deactivate': '1'}, token)
        self.assertEqual(browser.url, self.dashboard)
        self.assertFalse(self.crontab().activated)


class TestEscaping(SecurityTestCase):

    def assert_escaped(self, html, text=XSS):
        escaped = text.replace(u'&', u'&amp;').replace(
            u'<', u'&lt;').replace(u'>', u'&gt;')
        self.assertNotIn(text.encode('utf-8'), html)
        self.assertIn(escaped.encode('utf-8'), html)

    def test_cron_name_environ_and_logs(self):
        crontab = self.crontab()
        cron = crontab.crons[self.uid]
        cron.name = XSS
        cron.environ = {u'html': u'</pre><b>env</b>'}
        cron.log(date=utc(2008, 1, 1), status=model.WARN,
                 messages=[u'<img src=x onerror=alert(3)>'])
        crontab.save()
        transaction.commit()
        browser = self.browser()
        browser.open(self.dashboard)
        self.assert_escaped(browser.contents)
        browser.open(self.cron_url(self.uid))
        self.assert_escaped(browser.contents)
        self.assert_escaped(browser.contents, u'<img src=x onerror=alert(3)>')
        self.assert_escaped(browser.contents, u'</pre><b>env</b>')
        browser.getControl('Run now').click()
        self.assert_escaped(browser.contents)
        self.assertIn('was queued', browser.contents)
        browser.open(self.cron_url(self.uid) + '/edit')
        self.assert_escaped(browser.contents)

    def test_runner_messages(self):
        browser = self.browser()
        browser.open(self.cron_url(self.other))
        crontab = self.crontab()
        crontab.crons[self.other].activated = True
        crontab.save()
        transaction.commit()
        browser.open(self.cron_url(self.other))
        browser.getControl('Run now').click()
        self.wait_logs(self.other, 1)
        browser.open(self.cron_url(self.other))
        self.assertNotIn('<b id="injected">', browser.contents)
        self.assertIn('&lt;b id="injected"&gt;bold&lt;/b&gt;',
                      browser.contents)
        self.assert_escaped(browser.contents, u'<script>alert(2)</script>')

    def test_invalid_value_echoed_escaped(self):
        browser = self.browser()
        browser.open(self.dashboard + '/add')
        browser.getControl(name='form.widgets.name').value = u'x'
        browser.getControl(name='form.widgets.periodicity').value = XSS
        browser.getControl(name='form.widgets.user').value = u'<b>u</b>'
        browser.getControl('Add').click()
        self.assertIn('There were some errors', browser.contents)
        self.assert_escaped(browser.contents)
        self.assert_escaped(browser.contents, u'<b>u</b>')
