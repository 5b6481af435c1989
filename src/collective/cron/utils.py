# -*- coding: utf-8 -*-
"""Small helpers shared by the components (and used by 2.x add-ons)."""
import contextlib
import datetime

import pytz
from AccessControl.SecurityManagement import getSecurityManager
from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SecurityManagement import setSecurityManager

TRUE_WORDS = frozenset([u'1', u'true', u'yes', u'on', u'y', u't'])
FALSE_WORDS = frozenset([u'', u'0', u'false', u'no', u'off', u'n', u'f',
                         u'none'])


def asbool(value):
    """``value`` as a bool; text is read as 'true'/'false', 'yes'/'no'...

    Unknown text raises ValueError naming the value.
    """
    if value is None:
        return False
    if isinstance(value, bytes):
        value = value.decode('utf-8', 'replace')
    if isinstance(value, unicode):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError('not a boolean: %r' % (value,))
    return bool(value)


def now():
    """The current time, timezone-aware UTC (follows the test time machine)."""
    return datetime.datetime.now(pytz.UTC)


def to_utc(value):
    """A datetime as timezone-aware UTC; a naive one is taken as UTC.

    Zope ``DateTime`` objects are accepted too.
    """
    if hasattr(value, 'asdatetime'):
        value = value.asdatetime()
    if not isinstance(value, datetime.date) or not hasattr(value, 'hour'):
        raise ValueError('not a datetime: %r' % (value,))
    if value.tzinfo is None:
        return pytz.UTC.localize(value)
    return value.astimezone(pytz.UTC)


def find_user(portal, userid):
    """The user ``userid`` wrapped in its user folder: the site's, then the
    Zope root's; None when neither knows it."""
    for folder in (portal, portal.getPhysicalRoot()):
        acl_users = getattr(folder, 'acl_users', None)
        if acl_users is None:
            continue
        user = acl_users.getUserById(userid)
        if user is not None:
            return user.__of__(acl_users)
    return None


def su_plone(app, plone, userids=None):
    """Log in as the first of ``userids`` known to ``plone`` (or to the Zope
    root ``app``) for the rest of this thread's work; return that user.

    ``userids`` is a user id or a list of them. Raises ValueError when none
    of them exists.
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
    raise ValueError('no such user in %s or in the Zope root: %r'
                     % ('/'.join(plone.getPhysicalPath()), userids))


@contextlib.contextmanager
def security_of(user):
    """Run the block with ``user``'s security, then restore the caller's."""
    previous = getSecurityManager()
    newSecurityManager(None, user)
    try:
        yield user
    finally:
        setSecurityManager(previous)


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
