# -*- coding: utf-8 -*-
"""Failure alerts: the settings, the streak rule, and the emails sent
through the site's MailHost to a real SMTP server on localhost, with jobs
run by the real zc.async queue."""
import email
import threading
import unittest
from email.header import decode_header
from email.utils import parseaddr

import six
import transaction
from six.moves import socketserver
from zope.component.hooks import setSite
from zope.testing.loggingsupport import InstalledHandler

from collective.cron import alerts
from collective.cron import crontab as model
from collective.cron.browser.base import SiteTime
from collective.cron.crontab import Cron
from collective.cron.interfaces import InvalidCron
from collective.cron.registry import encode
from collective.cron.testing import wait_for
from collective.cron.testing import queue_is_idle
from collective.cron.tests import runners
from collective.cron.tests.base import QueueTestCase
from collective.cron.tests.test_dashboard import ADMIN
from collective.cron.tests.test_dashboard import DashboardTestCase

SITE_ADDRESS = 'site@example.org'
SITE_NAME = u'Cron S\xefte'
#: a periodicity that does not come up during a test: runs are "run now"
NEVER_SOON = u'0 0 1 1 *'


def crafted(statuses, **settings):
    """A cron whose logs have ``statuses``, newest first."""
    cron = Cron(name=u'a', periodicity=NEVER_SOON, **settings)
    for status in reversed(statuses):
        cron.log(status=status, messages=[u'x'])
    return cron


F, OK = model.FAILURE, model.OK


class TestAlertSettings(unittest.TestCase):

    def test_records_without_alerts_load_and_dump_unchanged(self):
        record = {u'uid': u'u1', u'name': u'a', u'periodicity': u'* * * * *',
                  u'environ': {}, u'activated': True, u'user': None,
                  u'logs_limit': 5, u'logs': []}
        cron = Cron.load(record)
        self.assertEqual((cron.alert_after, cron.alert_to), (None, None))
        self.assertEqual(cron.dump(), record)
        self.assertNotIn('alert', encode(cron))

    def test_settings_are_stored(self):
        cron = Cron(name=u'a', periodicity=NEVER_SOON, alert_after=u'0',
                    alert_to=u'ops@example.org, dev@example.org')
        loaded = Cron.load(encode(cron))
        self.assertEqual(loaded.alert_after, 0)
        self.assertEqual(loaded.alert_to,
                         [u'ops@example.org', u'dev@example.org'])
        self.assertEqual(loaded.dump(), cron.dump())

    def test_empty_values_unset(self):
        cron = Cron(name=u'a', periodicity=NEVER_SOON, alert_after=u'',
                    alert_to=[])
        self.assertEqual((cron.alert_after, cron.alert_to), (None, None))

    def test_bad_values_name_field_and_value(self):
        for field, bad in (('alert_after', -1), ('alert_after', u'often'),
                           ('alert_after', 1.5), ('alert_after', True),
                           ('alert_to', u'ops'), ('alert_to', [3]),
                           ('alert_to', u'a@b.org c@'),
                           ('alert_to', {u'to': u'a@b.org'})):
            with self.assertRaises(InvalidCron) as caught:
                Cron(name=u'a', periodicity=NEVER_SOON, **{field: bad})
            self.assertIn(field, str(caught.exception))
            self.assertIn(repr(bad), str(caught.exception))


class TestStreak(unittest.TestCase):

    def test_streak_counts_the_newest_failures(self):
        self.assertEqual(alerts.streak(crafted([F, F, OK, F])), 2)
        self.assertEqual(alerts.streak(crafted([OK, F, F])), 0)
        self.assertEqual(alerts.streak(crafted([])), 0)

    def test_alert_when_the_streak_just_reaches_the_threshold(self):
        self.assertFalse(alerts.should_alert(crafted([F, F])))
        self.assertTrue(alerts.should_alert(crafted([F, F, F])))
        self.assertTrue(alerts.should_alert(crafted([F, F, F, OK, F])))
        self.assertFalse(alerts.should_alert(crafted([F, F, F, F])))
        self.assertFalse(alerts.should_alert(crafted([OK, F, F, F])))

    def test_alert_after_setting(self):
        self.assertTrue(alerts.should_alert(crafted([F], alert_after=1)))
        self.assertFalse(alerts.should_alert(crafted([F, F], alert_after=1)))
        for statuses in ([F], [F] * 3, [F] * 10):
            self.assertFalse(alerts.should_alert(
                crafted(statuses, alert_after=0)))

    def test_fewer_logs_kept_than_the_threshold(self):
        """A cron keeping 2 logs alerts at its 2nd failure in a row; the
        logs it had before the newest tell a continuing streak."""
        cron = crafted([F, F], alert_after=5, logs_limit=2)
        self.assertEqual(alerts.threshold(cron), 2)
        self.assertTrue(alerts.should_alert(cron, previous=crafted([F]).logs))
        self.assertFalse(alerts.should_alert(cron,
                                             previous=crafted([F, F]).logs))
        self.assertTrue(alerts.should_alert(cron,
                                            previous=crafted([F, OK]).logs))


class SMTPSession(socketserver.StreamRequestHandler):
    """One SMTP conversation (the commands Plone's mailer sends): each
    message it receives is handed to the server's ``keep``."""

    def reply(self, line):
        self.wfile.write(line.encode('ascii') + b'\r\n')
        self.wfile.flush()

    def read_line(self):
        line = self.rfile.readline()
        if not line:
            raise EOFError('the client closed the connection')
        return six.ensure_str(line.rstrip(b'\r\n'), 'latin-1')

    def handle(self):
        self.reply('220 localhost collective.cron test sink')
        self.sender, self.recipients = None, []
        try:
            while self.command(self.read_line()):
                pass
        except EOFError:
            return

    def command(self, line):
        """Answer one command line; False after QUIT."""
        verb = line.split(' ', 1)[0].upper()
        argument = line[len(verb):].strip()
        if verb == 'QUIT':
            self.reply('221 bye')
            return False
        if verb == 'MAIL':
            self.sender, self.recipients = address(argument), []
        elif verb == 'RCPT':
            self.recipients.append(address(argument))
        elif verb == 'DATA':
            self.reply('354 end data with <CR><LF>.<CR><LF>')
            self.server.keep(self.sender, self.recipients, self.read_data())
        elif verb not in ('EHLO', 'HELO', 'RSET', 'NOOP'):
            self.reply('502 %s not implemented' % verb)
            return True
        self.reply('250 OK')
        return True

    def read_data(self):
        lines = []
        line = self.read_line()
        while line != '.':
            lines.append(line[1:] if line.startswith('.') else line)
            line = self.read_line()
        return '\n'.join(lines)


def address(argument):
    """The address of a MAIL FROM:<a> or RCPT TO:<a> argument."""
    return argument.split(':', 1)[1].strip().split(' ')[0].strip('<>')


class SMTPSink(socketserver.ThreadingTCPServer):
    """An SMTP server on a free port of localhost that keeps the messages
    it receives, served by a thread of its own."""

    daemon_threads = True

    def __init__(self):
        socketserver.ThreadingTCPServer.__init__(
            self, ('127.0.0.1', 0), SMTPSession)
        self.port = self.server_address[1]
        self.messages = []
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.serve_forever,
                                       kwargs={'poll_interval': 0.05})
        self.thread.daemon = True
        self.thread.start()

    def keep(self, mailfrom, rcpttos, data):
        """(sender, recipients, message text) of a received message."""
        with self.lock:
            self.messages.append((mailfrom, rcpttos, data))

    def received(self):
        with self.lock:
            return list(self.messages)

    def stop(self):
        """Stop serving: the port refuses connections from now on."""
        self.stopped.set()
        self.shutdown()
        self.thread.join(5)
        self.server_close()


def header_text(value):
    return u''.join(six.ensure_text(part, charset or 'ascii')
                    for part, charset in decode_header(value))


def parsed(data):
    """(subject, (from name, from address), to, body) of a raw message,
    as text."""
    message = email.message_from_string(data)
    subject = header_text(message['Subject'])
    name, address = parseaddr(message['From'])
    sender = (header_text(name), address)
    body = message.get_payload(decode=True).decode(
        message.get_content_charset() or 'ascii')
    return subject, sender, message['To'], body


def configure_mail(portal, port, address=SITE_ADDRESS):
    registry = portal.portal_registry
    registry['plone.smtp_host'] = u'127.0.0.1'
    registry['plone.smtp_port'] = port
    registry['plone.email_from_address'] = address
    registry['plone.email_from_name'] = SITE_NAME
    transaction.commit()


class TestAlertMails(QueueTestCase):
    """Crons whose runner raises, run now again and again."""

    def setUp(self):
        super(TestAlertMails, self).setUp()
        self.smtp = SMTPSink()
        self.log = InstalledHandler('collective.cron')
        configure_mail(self.portal, self.smtp.port)

    def tearDown(self):
        self.log.uninstall()
        if not self.smtp.stopped.is_set():
            self.smtp.stop()
        super(TestAlertMails, self).tearDown()

    def run_now(self, uid):
        """Run the cron now; return its logs once its job finished (after
        its log is committed and its alert sent)."""
        count = len(runners.runs())
        self.force(uid)
        wait_for(lambda: len(runners.runs()) > count, 15,
                 'cron %s to run' % uid)
        wait_for(lambda: queue_is_idle(self.layer['asyncDB']), 15,
                 'the job of cron %s to finish' % uid)
        return self.cron(uid).logs

    def mails(self):
        return self.smtp.received()

    def add_failing(self, **settings):
        return self.add(name=runners.FAIL, periodicity=NEVER_SOON,
                        **settings)

    def logged(self, level):
        return [record.getMessage() for record in self.log.records
                if record.levelname == level]

    def test_one_alert_when_three_failures_in_a_row(self):
        """The cron's page is linked as runners see URLs: the server of the
        cron's environ REQUEST, the site at its root."""
        uid = self.add_failing(environ={u'REQUEST': {
            u'SERVER_NAME': u'cron.example.org', u'SERVER_PORT': u'80'}})
        for run in range(2):
            self.run_now(uid)
        self.assertEqual(self.mails(), [])
        logs = self.run_now(uid)
        self.assertEqual([log.status for log in logs], [model.FAILURE] * 3)
        self.assertEqual(len(self.mails()), 1)
        sender, recipients, data = self.mails()[0]
        self.assertEqual((sender, recipients), (SITE_ADDRESS, [SITE_ADDRESS]))
        subject, from_header, to, body = parsed(data)
        self.assertEqual(from_header, (SITE_NAME, SITE_ADDRESS))
        self.assertEqual(to, SITE_ADDRESS)
        self.assertEqual(subject, u'[%s] cron "%s" failed 3 times in a row'
                         % (six.ensure_text(self.portal.Title()),
                            runners.FAIL))
        show = SiteTime(self.portal).show
        for log in logs:
            self.assertIn(u'- %s: broken <i>on purpose</i>' % show(log.date),
                          body)
        self.assertIn(u"The cron's page: "
                      u'http://cron.example.org/@@cron-settings/%s' % uid,
                      body)

    def test_only_once_per_streak_and_again_after_a_success(self):
        uid = self.add_failing(alert_after=2)
        for run in range(2):
            self.run_now(uid)
        self.assertEqual(len(self.mails()), 1)
        self.run_now(uid)
        self.assertEqual(len(self.mails()), 1, 'the 3rd failure sends none')
        self.change(uid, name=runners.RECORD)
        self.assertEqual(self.run_now(uid)[0].status, model.OK)
        self.change(uid, name=runners.FAIL)
        self.run_now(uid)
        self.assertEqual(len(self.mails()), 1)
        self.run_now(uid)
        self.assertEqual(len(self.mails()), 2)
        self.assertIn(u'failed 2 times', parsed(self.mails()[1][2])[0])

    def test_alert_after_zero_never_alerts(self):
        uid = self.add_failing(alert_after=0)
        for run in range(4):
            self.run_now(uid)
        self.assertEqual(len(self.cron(uid).logs), 4)
        self.assertEqual(self.mails(), [])

    def test_alert_to(self):
        uid = self.add_failing(alert_after=1,
                               alert_to=[u'ops@example.org',
                                         u'dev@example.org'])
        self.run_now(uid)
        self.assertEqual(len(self.mails()), 1)
        sender, recipients, data = self.mails()[0]
        self.assertEqual(sender, SITE_ADDRESS)
        self.assertEqual(recipients, ['ops@example.org', 'dev@example.org'])
        self.assertEqual(parsed(data)[2], 'ops@example.org, dev@example.org')

    def test_fewer_logs_kept_than_alert_after(self):
        """logs_limit 2 < alert_after 3: the alert comes at the 2nd failure
        in a row, once."""
        uid = self.add_failing(logs_limit=2)
        self.run_now(uid)
        self.assertEqual(self.mails(), [])
        self.run_now(uid)
        self.assertEqual(len(self.mails()), 1)
        self.assertIn(u'failed 2 times', parsed(self.mails()[0][2])[0])
        for run in range(2):
            self.run_now(uid)
        self.assertEqual(len(self.mails()), 1)

    def test_alert_in_the_site_language(self):
        self.portal.portal_registry['plone.default_language'] = 'fr'
        transaction.commit()
        uid = self.add_failing(alert_after=1)
        self.run_now(uid)
        subject, sender, to, body = parsed(self.mails()[0][2])
        self.assertEqual(subject, u'[%s] la t\xe2che \xab %s \xbb a '
                         u'\xe9chou\xe9 1 fois de suite' % (
                             six.ensure_text(self.portal.Title()),
                             runners.FAIL))
        self.assertIn(u'La page de la t\xe2che : '
                      u'http://nohost/@@cron-settings/' + uid, body)

    def test_mail_not_configured(self):
        configure_mail(self.portal, self.smtp.port, address=None)
        uid = self.add_failing(alert_after=1)
        logs = self.run_now(uid)
        self.assertEqual(logs[0].status, model.FAILURE)
        self.assertEqual(self.mails(), [])
        warnings = [message for message in self.logged('WARNING')
                    if 'no failure alert' in message]
        self.assertEqual(len(warnings), 1, self.logged('WARNING'))
        self.assertIn(uid, warnings[0])
        self.assertIn("'From' address", warnings[0])

    def test_smtp_server_down(self):
        self.smtp.stop()
        uid = self.add_failing(alert_after=1)
        logs = self.run_now(uid)
        self.assertEqual(logs[0].status, model.FAILURE)
        errors = [message for message in self.logged('ERROR')
                  if 'could not be sent' in message]
        self.assertEqual(len(errors), 1, self.logged('ERROR'))
        self.assertIn(uid, errors[0])
        self.assertIn(SITE_ADDRESS, errors[0])
        self.assertEqual(len(self.cron(uid).logs), 1)
        self.assertEqual(self.mails(), [])


class TestDashboardMailWarning(DashboardTestCase):

    def dashboard_html(self):
        browser = self.browser(ADMIN)
        browser.open(self.dashboard)
        return browser.contents

    def set_address(self, address):
        setSite(self.portal)
        self.portal.portal_registry['plone.email_from_address'] = address
        transaction.commit()

    def test_warning_when_mail_is_not_configured(self):
        self.set_address(None)
        self.add()
        html = self.dashboard_html()
        self.assertIn('id="cron-mail-warning"', html)
        self.assertIn("No site 'From' address is set", html)
        self.assertIn('href="%s/@@mail-controlpanel"'
                      % self.portal.absolute_url(), html)

    def test_warning_in_french(self):
        registry = self.portal.portal_registry
        registry['plone.available_languages'] = ['en', 'fr']
        registry['plone.use_request_negotiation'] = True
        self.set_address(None)
        self.add()
        browser = self.browser(ADMIN)
        browser.addHeader('Accept-Language', 'fr')
        browser.open(self.dashboard)
        self.assertIn(six.ensure_str(
            u"Les alertes d'\xe9chec ne peuvent pas \xeatre "
            u"envoy\xe9es par courriel : Aucune adresse d'exp\xe9diteur du site "
            u"n'est d\xe9finie"),
                      browser.contents.replace('&#39;', "'"))
        self.assertIn(six.ensure_str(u'r\xe9glages de messagerie</a>'),
                      browser.contents)

    def test_no_warning_when_no_cron_alerts(self):
        self.set_address(None)
        self.assertNotIn('cron-mail-warning', self.dashboard_html())
        self.add(alert_after=0)
        self.assertNotIn('cron-mail-warning', self.dashboard_html())

    def test_no_warning_when_mail_is_configured(self):
        self.set_address(SITE_ADDRESS)
        self.add()
        self.assertNotIn('cron-mail-warning', self.dashboard_html())
