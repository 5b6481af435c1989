# -*- coding: utf-8 -*-
"""What the Cron Dashboard pages share.

Permissions, state-changing actions (POST only, with plone.protect's CSRF
token and the Edit permission), status messages, the crontab of the
request and the queue state of a cron.
"""
from AccessControl import getSecurityManager
from AccessControl import Unauthorized
from plone.protect import CheckAuthenticator
from Products.Five import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from Products.statusmessages.interfaces import IStatusMessage
from zExceptions import NotFound
from zope.component import getMultiAdapter

from collective.cron import _
from collective.cron.crontab import Crontab
from collective.cron.crontab import format_date
from collective.cron.queue import RUNNING
from collective.cron.utils import to_local

VIEW = 'ccron: View'
EDIT = 'ccron: Edit'
DASHBOARD = '@@cron-settings'


def is_post(request):
    return request.get('REQUEST_METHOD', 'GET').upper() == 'POST'


def form_list(request, name):
    """A list from the form (one value arrives as a string)."""
    value = request.form.get(name, [])
    if isinstance(value, basestring):
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


def dashboard_url(site):
    return '%s/%s' % (site.absolute_url(), DASHBOARD)


def cron_url(site, cron, base=None):
    return '%s/%s' % (base or dashboard_url(site), cron.uid)


def queue_state(queue, cron):
    """'running', 'queued' (with the date it begins, in the server's local
    time like periodicities and log dates), 'not-queued' or
    'unknown' (no zc.async in this Zope), for the IQueue ``queue``."""
    if not queue.configured:
        return {'state': 'unknown', 'date': u''}
    status, begins = queue.state(cron.uid)
    if status in RUNNING:
        return {'state': 'running', 'date': u''}
    if begins is None:
        return {'state': 'not-queued', 'date': u''}
    return {'state': 'queued', 'date': format_date(to_local(begins))}


def deleted_text(cron):
    """The message of a deleted cron (uid/name, as 2.x: names repeat)."""
    return _(u'Cron ${uid}/${name} was deleted',
             mapping={u'uid': cron.uid, u'name': cron.name})


def status_class(status, prefix=u'cron-status'):
    """The CSS class of a log status (FAILURE and WARN stand out)."""
    if status is None:
        return u'%s-none' % prefix
    return u'%s-%d' % (prefix, status)


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
            raise NotFound(self.context, self.uid or self.missing_name,
                           self.request)
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
    #: the action URL this view was traversed as (None: the page itself)
    endpoint = None
    cron_macros = ViewPageTemplateFile('templates/macros.pt')

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
        raise NotFound(self.context, name, self.request)

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
        if checked_post(self.request, self.context):
            url = action()
        else:
            url = self.page_url
        self.request.response.redirect(url)
        return u''

    def render(self):
        return self.index()
