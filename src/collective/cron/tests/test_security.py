# -*- coding: utf-8 -*-
"""Who may see and change crons through the Cron Dashboard.

Anonymous and Members are refused every page and action (GET and POST,
with a valid CSRF token of their own); the CollectiveCronRO role only
reads, CollectiveCron reads and edits; a POST without the CSRF token, or a
GET, changes nothing; user data is escaped. The action URLs are those of
collective.cron 2.x.
"""

import six
import transaction
from plone.app.testing import login
from plone.app.testing import logout
from plone.protect.authenticator import createToken
from six.moves.urllib.parse import urlencode

from collective.cron import crontab as model
from collective.cron.tests.test_dashboard import ADMIN
from collective.cron.tests.test_dashboard import DashboardTestCase
from collective.cron.tests.test_dashboard import local
from collective.cron.tests.test_dashboard import without_filter

FORM = {
    'form.widgets.name': 'dashboard-html',
    'form.widgets.periodicity': '0 4 * * *',
    'form.widgets.user': '',
    'form.widgets.activated:list': 'selected',
    'form.widgets.activated-empty-marker': '1',
    'form.widgets.logs_limit': '3',
    'form.widgets.senviron': '{"changed": true}',
}
XSS = u'<script>alert(1)</script>'


class SecurityTestCase(DashboardTestCase):
    """Two crons with logs; every action URL with its POST data."""

    def setUp(self):
        super(SecurityTestCase, self).setUp()
        self.uid = self.add(user=ADMIN)
        self.other = self.add(u'dashboard-html', activated=False)
        crontab = self.crontab()
        crontab.crons[self.uid].log(date=local(2007, 12, 31), status=model.OK,
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
                sorted((uid, queue.cron_job(uid)._p_oid, queue.status(uid))
                       for uid in queue.cron_uids()))

    def pages(self):
        site = self.portal.absolute_url()
        cron = self.cron_url(self.uid)
        query = '?uid=' + self.uid
        return [self.dashboard, self.dashboard + '/add', cron, cron + '/edit',
                self.dashboard + '/cron_view' + query,
                self.dashboard + '/cron_edit' + query,
                site + '/@@cron-view', site + '/@@cron-add',
                site + '/@@cron-edit']

    def actions(self):
        """(url, data) of every state-changing request."""
        url = self.dashboard + '/'
        cron = {'uid': self.uid}
        apply_ = dict(FORM, **{'form.buttons.apply': 'Apply'})
        return [
            (url + 'crontab_toggle', {'activated': '0'}),
            (url + 'process_multiple', {'uids_to_delete': [self.uid,
                                                           self.other]}),
            (url + 'cron_action', dict(cron, cron_action='run-cron')),
            (url + 'cron_action', dict(cron, cron_action='delete-cron')),
            (url + 'cron_action', dict(cron, **{'form.button.run': ''})),
            (url + 'cron_action', dict(cron, **{'form.button.delete': ''})),
            (url + 'cron_deletelog', dict(cron, logs_to_delete='0')),
            (url + 'cron_deletelog', dict(cron, alllogs_to_delete='on')),
            (url + 'add', dict(FORM, **{'form.buttons.add': 'Add'})),
            (self.cron_url(self.uid) + '/edit', apply_),
            (url + 'cron_edit?uid=' + self.uid, apply_),
        ]

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
    """CollectiveCronRO: reads the dashboard and the cron pages only."""

    def test_reads_without_edit_controls(self):
        browser = self.browser('viewer')
        browser.open(self.dashboard)
        self.assertIn('id="cron-table"', browser.contents)
        browser.getLink('dashboard-ok').click()
        self.assertIn('<li>kept</li>', browser.contents)
        for html in ('<button type="submit"', 'Run now', 'logs_to_delete',
                     'edit-cron',
                     'name="cron_action"', 'alllogs_to_delete'):
            self.assertNotIn(html, browser.contents)
        browser.open(self.dashboard)
        for html in ('<button type="submit"', 'uids_to_delete', 'Add a task',
                     'name="activated"'):
            self.assertNotIn(html, without_filter(browser.contents))

    def test_forms_refused(self):
        for url in (self.dashboard + '/add', self.cron_url(self.uid) +
                    '/edit', self.dashboard + '/cron_edit?uid=' + self.uid):
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
            separator = '&' if '?' in url else '?'
            browser.open(url + separator + urlencode(data, doseq=True))
            self.assertEqual(browser.headers['status'], '200 OK', url)
            self.assertEqual(self.snapshot(), before, (url, data))

    def test_the_token_is_what_makes_the_difference(self):
        token = self.token(ADMIN)
        browser = self.browser()
        self.request(browser, self.dashboard + '/crontab_toggle',
                     {'activated': '0'}, token)
        self.assertEqual(browser.url, self.dashboard)
        self.assertFalse(self.crontab().activated)


class TestCronManager(SecurityTestCase):
    """CollectiveCron: the dashboard, its forms and every action."""

    def test_sees_the_edit_controls(self):
        browser = self.browser('cronmanager')
        browser.open(self.dashboard)
        self.assertIn('Deactivate the crontab', browser.contents)
        browser.getLink('dashboard-ok').click()
        for html in ('Run now', 'logs_to_delete', 'id="edit-cron"'):
            self.assertIn(html, browser.contents)

    def test_every_page(self):
        for url in self.pages()[:6]:
            browser = self.browser('cronmanager')
            self.request(browser, url)
            self.assertEqual(browser.headers['status'], '200 OK', url)

    def test_every_action(self):
        """Each action, in an order where each one still has its cron."""
        token = self.token('cronmanager')
        actions = self.actions()
        for url, data in (actions[2:3] + actions[4:5] + actions[6:] +
                          actions[:2]):
            browser = self.browser('cronmanager')
            self.request(browser, url, data, token)
            self.assertEqual(browser.headers['status'], '200 OK', url)
            self.assertNotIn('insufficient-privileges', browser.url)
        crontab = self.crontab()
        self.assertEqual([cron.name for cron in crontab.crons.values()],
                         [u'dashboard-html'])
        self.assertFalse(crontab.activated)

    def test_edits_through_the_pages(self):
        browser = self.browser('cronmanager')
        browser.open(self.cron_url(self.uid))
        browser.getLink(id='edit-cron').click()
        browser.getControl(name='form.widgets.periodicity').value = \
            u'0 4 * * *'
        browser.getControl('Apply').click()
        self.assertEqual(self.cron(self.uid).periodicity, u'0 4 * * *')
        browser.getControl('Run now').click()
        self.assertIn('queued to run now', browser.contents)
        self.wait_logs(self.uid, 2)


class TestEscaping(SecurityTestCase):

    def assert_escaped(self, html, text=XSS):
        escaped = text.replace(u'&', u'&amp;').replace(
            u'<', u'&lt;').replace(u'>', u'&gt;')
        self.assertNotIn(six.ensure_str(text), html)
        self.assertIn(six.ensure_str(escaped), html)

    def test_cron_name_environ_and_logs(self):
        crontab = self.crontab()
        cron = crontab.crons[self.uid]
        cron.name = XSS
        cron.environ = {u'html': u'</pre><b>env</b>'}
        cron.log(date=local(2008, 1, 1), status=model.WARN,
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
        self.assertIn('queued to run now', browser.contents)
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
