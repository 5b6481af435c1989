# -*- coding: utf-8 -*-
"""Failure alerts: one email when a cron keeps failing.

A cron alerts when its consecutive FAILURE logs (newest first) reach its
threshold: its ``alert_after`` setting (DEFAULT_ALERT_AFTER, 3, when
unset; 0 never alerts), capped at its ``logs_limit`` since a cron keeps no
more logs than that. One email per streak: the run that makes the streak
reach the threshold sends it, the following failures send nothing, and a
run that does not fail (OK, WARN, NOTRUN) ends the streak.

The job wrapper (collective.cron.job) calls ``after_log`` once a run's log
is committed, with the logs the cron had before it: an attempt whose
commit failed sends nothing. The email goes to the cron's ``alert_to``
addresses, else to the site's address, from the site's name and address
(Plone's mail settings), through the site's MailHost. It is sent at once
(``immediate=True``) rather than with the transaction: MailHost's
transactional delivery connects to the SMTP server when the transaction
votes, so a server that is down would abort the commit of the log. When
mail is not configured, or the server fails, nothing is sent and the Zope
log says why; the run's log is saved either way.
"""
import logging
import re
import smtplib
import socket
from email.utils import formataddr

from plone.registry.interfaces import IRegistry
from Products.CMFCore.utils import getToolByName
from Products.CMFPlone.interfaces import IMailSchema
from Products.MailHost.MailHost import MailHostError
from zope.component import queryUtility
from zope.i18n import translate

from collective.cron import _
from collective.cron.browser.base import SiteTime
from collective.cron.browser.base import cron_url
from collective.cron.crontab import DEFAULT_ALERT_AFTER
from collective.cron.crontab import FAILURE
from collective.cron.utils import context_with_request
from collective.cron.utils import text

logger = logging.getLogger('collective.cron')

#: Plone's mail control panel, where the dashboard's warning points to
MAIL_CONTROL_PANEL = '@@mail-controlpanel'
#: what a failed send may raise (socket and SMTP errors, and zope.sendmail's
#: RuntimeError for a refused greeting or a missing TLS)
SEND_ERRORS = (socket.error, smtplib.SMTPException, MailHostError,
               RuntimeError)


def mail_settings(site):
    """Plone's mail settings (IMailSchema) of ``site``; None without a
    registry."""
    registry = queryUtility(IRegistry, context=site)
    if registry is None:
        return None
    return registry.forInterface(IMailSchema, prefix='plone', check=False)


def mail_problem(site):
    """None when the site can send mail, else a translatable text saying
    what is missing in Plone's mail settings."""
    settings = mail_settings(site)
    if settings is None or not settings.smtp_host:
        return _(u'No SMTP server is set in the mail settings.')
    if not settings.email_from_address:
        return _(u"No site 'From' address is set in the mail settings.")
    return None


def threshold(cron):
    """The consecutive failures that alert (0: never)."""
    after = cron.alert_after
    if after is None:
        after = DEFAULT_ALERT_AFTER
    return min(after, cron.logs_limit)


def failures(logs):
    """How many of ``logs`` (newest first) are FAILUREs in a row."""
    count = 0
    for log in logs:
        if log.status != FAILURE:
            break
        count += 1
    return count


def streak(cron):
    """The cron's consecutive FAILURE logs, newest first, counted over the
    logs it keeps."""
    return failures(cron.logs)


def should_alert(cron, previous=None):
    """True when the cron's newest log makes its failure streak reach its
    threshold.

    ``previous``: the cron's logs before its newest was added (default:
    the logs after it, which misses a log that the newest pushed out: pass
    them when the cron keeps no more logs than its threshold).
    """
    count = threshold(cron)
    if count < 1 or cron.last_status != FAILURE:
        return False
    if previous is None:
        previous = cron.logs[1:]
    return failures(previous) == count - 1


def after_log(site, cron, previous):
    """Send the cron's alert when its newest log (committed) calls for one
    (``previous``: its logs before that one); True when one was sent."""
    if not should_alert(cron, previous):
        return False
    return send_alert(site, cron)


def one_line(value):
    """Text on one line (for a subject)."""
    return re.sub(r'\s+', u' ', text(value)).strip()


def site_language(site):
    registry = queryUtility(IRegistry, context=site)
    language = registry.get('plone.default_language') if registry else None
    return language or 'en'


def compose(site, cron):
    """(subject, body) of the cron's alert, translated in the site's
    language, for its current failure streak."""
    language = site_language(site)
    count = threshold(cron) or streak(cron)
    mapping = {u'site': one_line(site.Title() or site.getId()),
               u'name': one_line(cron.name), u'count': count}
    subject = _(u'[${site}] cron "${name}" failed ${count} times in a row',
                mapping=mapping)
    site_time = SiteTime(site)
    lines = [
        _(u'The cron "${name}" of ${site} failed ${count} times in a row. '
          u'No other alert is sent until one of its runs does not fail.',
          mapping=mapping),
        u'',
        _(u'Its last failures, newest first:'),
    ]
    for log in cron.logs[:count]:
        messages = u' / '.join(text(message) for message in log.messages)
        lines.append(u'- %s: %s' % (site_time.show(log.date), messages))
    lines.extend([u'', _(u'The cron\'s page: ${url}',
                         mapping={u'url': text(cron_url(site, cron))})])
    body = u'\n'.join(translate(line, target_language=language)
                      for line in lines)
    return translate(subject, target_language=language), body


def recipients(site, cron):
    """The cron's ``alert_to``, else the site's 'From' address."""
    if cron.alert_to:
        return list(cron.alert_to)
    return [text(mail_settings(site).email_from_address)]


def send_alert(site, cron):
    """Email the cron's failure alert through the site's MailHost; True
    when it was sent. Nothing is sent when mail is not configured; a
    failure to send is logged, never raised."""
    problem = mail_problem(site)
    if problem is not None:
        logger.warning('collective.cron: no failure alert sent for cron %s '
                       '(%s): %s', cron.name, cron.uid,
                       translate(problem, target_language='en'))
        return False
    # The job's fake request gives the cron's page its URL, as runners see
    # URLs (the server of the cron's environ REQUEST, default http://nohost,
    # the site at its root), and makes the site the current one: Plone's
    # SMTP mailer reads its settings from the current site's registry.
    with context_with_request(site, cron) as site:
        settings = mail_settings(site)
        subject, body = compose(site, cron)
        sender = formataddr((text(settings.email_from_name or u''),
                             text(settings.email_from_address)))
        to = recipients(site, cron)
        try:
            getToolByName(site, 'MailHost').send(
                body, mto=to, mfrom=sender, subject=subject,
                charset='utf-8', immediate=True)
        except SEND_ERRORS as exc:
            logger.error('collective.cron: the failure alert of cron %s '
                         '(%s) could not be sent to %s: %s', cron.name,
                         cron.uid, ', '.join(to), exc)
            return False
    logger.info('collective.cron: failure alert of cron %s (%s) sent to %s',
                cron.name, cron.uid, ', '.join(to))
    return True
