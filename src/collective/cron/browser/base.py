# -*- coding: utf-8 -*-
"""What the Cron Dashboard pages share.

Permissions, state-changing actions (POST only, with plone.protect's CSRF
token and the Edit permission), the confirmation step of destructive
actions, status messages, the crontab of the request and the queue state
of a cron.

Confirmations (see docs/dashboard.rst, "Confirmations"): an action URL of
a ``CronBrowserView`` (one of its ``endpoints``) may ask before acting.

1. Name a method in the view's ``confirmations`` (endpoint -> method
   name); it returns a ``Confirmation`` (or None: act without asking).
2. Give the destructive button of the page's form the marker ``ASK``:
   ``<button type="submit" name="cron_confirm" value="1">``.

A checked POST that carries ``ASK`` then answers with the confirmation
page (templates/confirm.pt): it posts the same fields again to the same
URL, with a fresh token, and ``CONFIRMED`` (act) or ``CANCEL`` (back to
``page_url`` with the message "Cancelled"). A request without ``ASK`` -
the fields that collective.cron 2.x's pages sent, and 2.x's clients -
acts at once, as in 2.x. Override ``asks_confirmation`` when a page's own
button names should ask (the confirmation page sends them again with
``CONFIRMED``, which answers the question).
"""
import os
import time

import pytz
import six
from AccessControl import getSecurityManager
from dateutil.tz import tzlocal
from plone.registry.interfaces import IRegistry
from AccessControl import Unauthorized
from plone.protect import CheckAuthenticator
from Products.Five import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from Products.statusmessages.interfaces import IStatusMessage
from zExceptions import NotFound
from zope.component import getMultiAdapter
from zope.component import queryUtility

from collective.cron import _
from collective.cron.crontab import Crontab
from collective.cron.crontab import format_date
from collective.cron.late import overdue
from collective.cron.states import RUNNING
from collective.cron.utils import text
from collective.cron.utils import to_local
from collective.cron.utils import to_tz

VIEW = 'ccron: View'
EDIT = 'ccron: Edit'
DASHBOARD = '@@cron-settings'
#: Plone's registry record of the site's time zone
TIMEZONE_RECORD = 'plone.portal_timezone'

#: sent by our destructive buttons: show the confirmation page first
ASK = 'cron_confirm'
#: sent by the confirmation page's confirm button: act
CONFIRMED = 'cron_confirmed'
#: sent by the confirmation page's cancel button: do nothing
CANCEL = 'cron_cancel'
#: sent by our other buttons (the new wording of messages, see new_ui)
UI = 'cron_ui'
#: fields the confirmation page does not post again
NOT_REPOSTED = frozenset(['_authenticator', ASK, CONFIRMED, CANCEL])


def is_post(request):
    return request.get('REQUEST_METHOD', 'GET').upper() == 'POST'


def form_list(request, name):
    """A list from the form (one value arrives as a string)."""
    value = request.form.get(name, [])
    if isinstance(value, six.string_types):
        return [value]
    return list(value)


def has_permission(permission, context):
    return bool(getSecurityManager().checkPermission(permission, context))


def require(permission, context):
    """Raise Unauthorized (login or "insufficient privileges" page)."""
    if not has_permission(permission, context):
        raise Unauthorized('collective.cron: %s is required' % permission)


def checked_post(request, context):
    """True for a POST with a valid CSRF token by a user allowed to edit.

    False for any other method: a GET never changes anything. A POST
    without the token raises Forbidden, without the permission
    Unauthorized.
    """
    if not is_post(request):
        return False
    require(EDIT, context)
    CheckAuthenticator(request)
    return True


def new_ui(request):
    """True for a request of this version's buttons (``UI``, or confirmed
    on the confirmation page), False for the fields of 2.x's pages, which
    get 2.x's messages (2.x's test suite reads them)."""
    return UI in request.form or CONFIRMED in request.form


def form_pairs(form):
    """(name, unicode value) of each value of a request's form, for hidden
    inputs that post it again (lists give one pair per item)."""
    pairs = []
    for name in sorted(form):
        if name in NOT_REPOSTED:
            continue
        values = form[name]
        if not isinstance(values, (list, tuple)):
            values = [values]
        pairs.extend((name, as_text(value)) for value in values)
    return pairs


def as_text(value):
    if isinstance(value, bytes):
        return value.decode('utf-8', 'replace')
    return six.text_type(value)


class Confirmation(object):
    """What the confirmation page asks.

    ``title``: its heading (a question); ``items``: the names of what the
    action changes (listed, escaped); ``button``: the label of the confirm
    button; ``details``: an optional sentence under the list.
    """

    def __init__(self, title, items=(), button=None, details=None):
        self.title = title
        self.items = list(items)
        self.button = button if button is not None else _(u'Confirm')
        self.details = details


def dashboard_url(site):
    return '%s/%s' % (site.absolute_url(), DASHBOARD)


def cron_url(site, cron, base=None):
    return '%s/%s' % (base or dashboard_url(site), cron.uid)


def local_text(value):
    """A date as text in the server's local time."""
    return format_date(to_local(value))


def queue_state(queue, cron, show=local_text, now=None):
    """'running', 'queued' (with the date it begins, as ``show`` writes
    it: by default in the server's local time like periodicities and log
    dates), 'not-queued' or 'unknown' (no job backend in this Zope), for the
    IQueue ``queue``; ``late``: whether the queued job is late at ``now``
    (see collective.cron.late)."""
    if not queue.configured:
        return {'state': 'unknown', 'date': u'', 'late': False}
    status, begins = queue.state(cron.uid)
    if status == RUNNING:
        return {'state': 'running', 'date': u'', 'late': False}
    if begins is None:
        return {'state': 'not-queued', 'date': u'', 'late': False}
    return {'state': 'queued', 'date': show(begins),
            'late': overdue(cron, begins, now)}


def zone_of(name):
    """The pytz zone named ``name``, None when there is none."""
    try:
        return pytz.timezone(name) if name else None
    except (pytz.UnknownTimeZoneError, ValueError, UnicodeError):
        return None


def server_zone():
    """(tzinfo, name) of the server's local zone: $TZ when it names a zone
    pytz knows, else the local zone with its abbreviation ("CET")."""
    name = os.environ.get('TZ', '').lstrip(':')
    zone = zone_of(name)
    if zone is not None:
        return zone, name
    return tzlocal(), six.ensure_text(time.strftime('%Z'), 'utf-8', 'replace')


class SiteTime(object):
    """Dates shown in the site's time zone (Plone's registry record
    ``plone.portal_timezone``; the server's local zone when it is not
    set), with the zone named: "2026-12-02 03:00 Europe/Paris"."""

    FORMAT = '%Y-%m-%d %H:%M'

    def __init__(self, site):
        registry = queryUtility(IRegistry, context=site)
        name = registry.get(TIMEZONE_RECORD) if registry is not None \
            else None
        zone = zone_of(name)
        if zone is None:
            zone, name = server_zone()
        self.zone = zone
        self.name = text(name)

    def show(self, value):
        """``value`` (aware, or naive local time as log dates) as text."""
        if value is None:
            return u''
        shown = to_tz(value, self.zone).strftime(self.FORMAT)
        return u'%s %s' % (shown, self.name)


def deleted_text(cron, new=False):
    """The message of a deleted cron: with ``new`` (a request of this
    version's buttons, see new_ui) ``"name" was deleted``, else 2.x's
    ``Cron uid/name was deleted``."""
    if new:
        return _(u'"${name}" was deleted', mapping={u'name': cron.name})
    return _(u'Cron ${uid}/${name} was deleted',
             mapping={u'uid': cron.uid, u'name': cron.name})


def queued_text(cron, new=False):
    """The message of a cron queued to run now (as deleted_text)."""
    if new:
        return _(u'"${name}" queued to run now',
                 mapping={u'name': cron.name})
    return _(u'Cron ${uid}/${name} was queued',
             mapping={u'uid': cron.uid, u'name': cron.name})


def status_class(status, prefix=u'cron-status'):
    """The CSS class of a log status (FAILURE and WARN stand out)."""
    if status is None:
        return u'%s-none' % prefix
    return u'%s-%d' % (prefix, status)


def not_found(site, request, name):
    """Raise NotFound, shown as Plone's themed "page not found".

    Zope renders the error page in the context of the request's first
    parent, here one of our views (which has no main template: Plone
    would fall back to its bare error page); the site becomes that
    parent."""
    request['PARENTS'] = [site] + list(request.get('PARENTS') or ())
    raise NotFound(site, name, request)


class CrontabAccess(object):
    """The site's crontab, loaded once per view, and the cron of ``uid``."""

    uid = None
    #: the name reported as not found when no uid was traversed
    missing_name = 'cron'

    @property
    def crontab(self):
        crontab = getattr(self, '_crontab', None)
        if crontab is None:
            crontab = self._crontab = Crontab.load()
        return crontab

    @property
    def cron(self):
        return self.find_cron()

    def find_cron(self):
        cron = self.crontab.crons.get(self.uid) if self.uid else None
        if cron is None:
            not_found(self.context, self.request,
                      self.uid or self.missing_name)
        return cron


class CronBrowserView(CrontabAccess, BrowserView):
    """Base class of the dashboard pages (context: the site root).

    The state-changing actions have the URLs of collective.cron 2.x: a
    page traversed as one of its ``endpoints`` (``@@cron-settings/
    crontab_toggle``, ...) runs that method on a checked POST and redirects
    to the URL it returns; any other request of such a URL redirects to the
    page.
    """

    permission = VIEW
    #: action URL name -> method name
    endpoints = {}
    #: action URL name -> name of the method returning its Confirmation
    confirmations = {}
    #: the action URL this view was traversed as (None: the page itself)
    endpoint = None
    cron_macros = ViewPageTemplateFile('templates/macros.pt')
    confirm_page = ViewPageTemplateFile('templates/confirm.pt')

    @property
    def can_edit(self):
        return has_permission(EDIT, self.context)

    @property
    def dashboard_url(self):
        return dashboard_url(self.context)

    @property
    def page_url(self):
        """Where a GET of an action URL goes."""
        return self.dashboard_url

    def cron_url(self, cron):
        return cron_url(self.context, cron)

    def message(self, text, kind=u'info'):
        IStatusMessage(self.request).add(text, type=kind)

    def subview(self, name):
        """A registered view of the site (its permission is checked when
        it is published)."""
        return getMultiAdapter((self.context, self.request), name=name)

    def endpoint_view(self, view_name, endpoint):
        """The view ``view_name`` traversed as the action URL ``endpoint``
        (None for the page itself)."""
        view = self.subview(view_name)
        view.endpoint = endpoint
        return view

    def not_found(self, name):
        not_found(self.context, self.request, name)

    def requested_action(self):
        if self.endpoint is None:
            return None
        return getattr(self, self.endpoints[self.endpoint])

    def check(self):
        """Before anything: the page's permission (and its object)."""
        require(self.permission, self.context)

    def __call__(self):
        self.check()
        action = self.requested_action()
        if action is None:
            return self.render()
        if not checked_post(self.request, self.context):
            return self.redirect(self.page_url)
        if CANCEL in self.request.form:
            self.message(_(u'Cancelled'))
            return self.redirect(self.page_url)
        confirmation = self.confirmation()
        if confirmation is not None:
            return self.confirm_page(confirmation=confirmation)
        return self.redirect(action())

    def redirect(self, url):
        self.request.response.redirect(url)
        return u''

    def asks_confirmation(self):
        """True when the request asks to confirm first (our buttons send
        ``ASK``; 2.x's fields do not)."""
        form = self.request.form
        return ASK in form and CONFIRMED not in form

    def confirmation(self):
        """The Confirmation to show before the action, or None."""
        method = self.confirmations.get(self.endpoint)
        if method is None or not self.asks_confirmation():
            return None
        return getattr(self, method)()

    @property
    def action_url(self):
        """The URL of the action this view was traversed as."""
        return '%s/%s' % (self.dashboard_url, self.endpoint)

    @property
    def reposted(self):
        """The request's fields, posted again by the confirmation page."""
        return form_pairs(self.request.form)

    def render(self):
        return self.index()
