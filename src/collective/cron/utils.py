# -*- coding: utf-8 -*-
"""Small helpers shared by the components (and used by 2.x add-ons).

Dates follow collective.cron 2.x: a naive datetime is local time.
"""
import contextlib
import datetime
import time

import pytz
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
    if isinstance(value, basestring):
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
    if isinstance(userids, basestring):
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
    if isinstance(value, unicode):
        return value
    if isinstance(value, bytes):
        return value.decode('utf-8', 'replace')
    try:
        return unicode(value)
    except UnicodeError:
        return repr(value).decode('ascii', 'replace')
