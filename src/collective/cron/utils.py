# -*- coding: utf-8 -*-
"""Small helpers shared by the components (and used by 2.x add-ons).

Dates follow collective.cron 2.x: a naive datetime is local time.
"""
import contextlib
import datetime
import time

import pytz
import six
from AccessControl.SecurityManagement import getSecurityManager
from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SecurityManagement import setSecurityManager
from croniter import croniter as base_croniter
from Testing.makerequest import makerequest
from zope.component.hooks import getSite
from zope.component.hooks import setSite

from collective.cron.interfaces import NoSuchUserError  # noqa: F401 (2.x)


class croniter(base_croniter):
    """croniter whose get_next() returns a datetime by default (2.x)."""

    def get_next(self, ret_type=None, *args, **kwargs):
        if ret_type is None:
            ret_type = datetime.datetime
        return super(croniter, self).get_next(ret_type, *args, **kwargs)


def splitstrip(value):
    """The words of ``value``, stripped."""
    return [word.strip() for word in value.split() if word.strip()]


def asbool(value):
    """2.x's lenient boolean: text containing on/yes/true/1 is True,
    off/no/false/0 is False, 't'/'y' and 'n'/'f' too; -1 is False; any
    other value is its truth. (The model checks its own booleans strictly.)
    """
    if isinstance(value, six.string_types):
        word = value.lower()
        for words, result in ((('on', 'yes', 'true', '1'), True),
                              (('off', 'no', 'false', '0'), False)):
            if any(part in word for part in words):
                return result
        if word in ('t', 'y'):
            return True
        if word in ('n', 'f'):
            return False
    if value == -1:
        return False
    return bool(value)


def now():
    """The current time, timezone-aware UTC (follows the test time machine)."""
    return datetime.datetime.now(pytz.UTC)


def is_datetime(value):
    """True for a datetime, whichever class made it (the test time machine
    replaces ``datetime.datetime`` with a subclass)."""
    return isinstance(value, datetime.date) and hasattr(value, 'hour')


def to_tz(value, tz):
    """``value`` in the zone ``tz``; a naive datetime is local time.

    Zope ``DateTime`` objects are accepted too.
    """
    if hasattr(value, 'asdatetime'):
        value = value.asdatetime()
    if not is_datetime(value):
        raise ValueError('not a datetime: %r' % (value,))
    if value.tzinfo is None:
        stamp = time.mktime(value.timetuple()) + value.microsecond / 1e6
        value = datetime.datetime.fromtimestamp(stamp, pytz.UTC)
    return value.astimezone(tz)


def to_utc(value):
    """``value`` as timezone-aware UTC; a naive datetime is local time."""
    return to_tz(value, pytz.UTC)


def local_naive(value):
    """``value`` as a naive datetime in local time (naive: as is)."""
    if value.tzinfo is None:
        return value
    utc = value.astimezone(pytz.UTC)
    stamp = (utc - datetime.datetime(1970, 1, 1, tzinfo=pytz.UTC))
    return datetime.datetime.fromtimestamp(stamp.total_seconds())


def to_local(value):
    """``value`` as a naive datetime in local time (2.x returned None for
    an aware datetime; we convert it)."""
    return local_naive(value)


def find_user(portal, userid):
    """The user ``userid`` (a user id, or a login name) wrapped in its user
    folder: the site's, then the Zope root's; None when neither knows it."""
    for folder in (portal, portal.getPhysicalRoot()):
        acl_users = getattr(folder, 'acl_users', None)
        if acl_users is None:
            continue
        user = acl_users.getUserById(userid) or acl_users.getUser(userid)
        if user is not None:
            return user.__of__(acl_users)
    return None


def su_plone(app, plone, userids=None):
    """Log in as the first of ``userids`` (login names or user ids) known
    to ``plone`` or to the Zope root ``app`` for the rest of this thread's
    work; return that user.

    ``userids`` is a name or a list of them. Raises NoSuchUserError when
    none of them exists.
    """
    if isinstance(userids, six.string_types):
        userids = [userids]
    for userid in userids or ():
        user = find_user(plone, userid)
        if user is None and app is not None:
            user = find_user(app, userid)
        if user is not None:
            newSecurityManager(None, user)
            return user
    raise NoSuchUserError('There are no user matching %r in %s or in the '
                          'Zope root' % (userids,
                                         '/'.join(plone.getPhysicalPath())))


def lacked_permissions(site, userid, editor=None):
    """The permissions on ``site`` of the user ``userid`` that ``editor``
    (the current user by default) lacks there, sorted; empty when
    ``editor`` may make a cron run as that user.

    A cron runs with its user's rights, so whoever saves a cron may only
    name as its user someone who has no permission on the site that they
    lack themselves. This keeps a member who may edit crons from running
    code as a Site Administrator or a Manager. An unknown ``userid``
    lacks nothing (the forms and the API refuse it on their own).
    """
    editor = editor or getSecurityManager().getUser()
    user = find_user(site, userid)
    if user is None or user.getId() == editor.getId():
        return []
    names = [entry[0] for entry in site.ac_inherited_permissions(1)]
    return sorted(name for name in names
                  if user.has_permission(name, site)
                  and not editor.has_permission(name, site))


def lacked_text(permissions, shown=3):
    """``permissions`` for a message: the first ``shown`` and how many
    more."""
    text = u', '.join(permissions[:shown])
    if len(permissions) > shown:
        text += u' and %d more' % (len(permissions) - shown)
    return text


#: the settings of a cron that decide what its runs do
RUN_SETTINGS = ('name', 'environ', 'user')


def lacked_to_save(site, settings, cron=None):
    """The permissions the current user lacks to save ``settings`` (a dict
    of cron settings) on ``cron`` (None: a new cron); see
    lacked_permissions.

    Only a change of what runs (name, environ, user) is checked: anyone
    who may edit crons may still reschedule, switch or trim the logs of a
    cron that runs as a user with more rights.
    """
    changed = [key for key in RUN_SETTINGS if key in settings and (
        cron is None or getattr(cron, key) != settings[key])]
    if not changed:
        return []
    userid = settings['user'] if 'user' in settings else cron.user
    return lacked_permissions(site, userid) if userid else []


@contextlib.contextmanager
def security_of(user):
    """Run the block with ``user``'s security, then restore the caller's."""
    previous = getSecurityManager()
    newSecurityManager(None, user)
    try:
        yield user
    finally:
        setSecurityManager(previous)


@contextlib.contextmanager
def context_with_request(context, cron):
    """``context`` (a site) traversed again from a Zope root that has a
    fake REQUEST, made from ``cron.environ['REQUEST']`` (a dict of request
    environment variables, optional); the site is the current site inside
    the block (2.8).
    """
    previous = getSite()
    environ = dict((cron.environ or {}).get('REQUEST', None) or {})
    app = makerequest(context.unrestrictedTraverse('/'), environ=environ)
    site = app.unrestrictedTraverse(context.getPhysicalPath())
    site.REQUEST['PARENTS'] = [site]
    site.REQUEST.setVirtualRoot('')
    setSite(site)
    try:
        yield site
    finally:
        setSite(previous)


def text(value):
    """``value`` as unicode (bytes are read as UTF-8)."""
    if isinstance(value, six.text_type):
        return value
    if isinstance(value, bytes):
        return value.decode('utf-8', 'replace')
    try:
        return six.text_type(value)
    except UnicodeError:
        return six.ensure_text(repr(value), 'ascii', 'replace')
