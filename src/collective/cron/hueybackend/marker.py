# -*- coding: utf-8 -*-
"""The marker: which sites of this Zope use cron, noted in the main ZODB.

At Zope start every marked site is re-synchronised (see startup.py). A site
is marked when collective.cron is installed (or queues a cron job) and
unmarked when it is uninstalled. The marks are in the root mapping of the
main database, in collective.cron 2.x's shape::

    root[MANAGE_KEY] = {'plone': [site path, ...]}
"""
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from zope.interface import implementer

from collective.cron.hueybackend.records import site_path
from collective.cron.interfaces import ICrontabMarker
from collective.cron.interfaces import MANAGE_KEY

SITES = 'plone'


def database_root(obj):
    """The root mapping of the main database ``obj`` was loaded from."""
    return obj._p_jar.root()


def manage_infos(root, create=False):
    """root's {'plone': [path, ...]} (None when absent, unless
    ``create``)."""
    infos = root.get(MANAGE_KEY)
    if not create:
        return infos
    if infos is None:
        infos = root[MANAGE_KEY] = PersistentMapping()
    if SITES not in infos:
        infos[SITES] = PersistentList()
    return infos


def marked_paths(root):
    """The paths of the marked sites, in marking order."""
    infos = manage_infos(root)
    return list(infos.get(SITES, ())) if infos is not None else []


def mark_path(root, path):
    """Mark ``path`` (nothing is written when it is marked)."""
    if path not in marked_paths(root):
        manage_infos(root, create=True)[SITES].append(path)


def unmark_path(root, path):
    infos = manage_infos(root)
    sites = infos.get(SITES) if infos is not None else None
    while sites is not None and path in sites:
        sites.remove(path)


@implementer(ICrontabMarker)
class CrontabMarker(object):
    """Marks / unmarks one site (2.x adapted (site, queue): the queue is
    ignored, the marks are in the main ZODB)."""

    def __init__(self, portal, queue=None):
        self.portal = self.context = portal
        self.ppath = site_path(portal)

    @property
    def root(self):
        return database_root(self.portal)

    @property
    def annotations(self):
        return manage_infos(self.root, create=True)

    @property
    def key(self):
        return self.ppath

    @property
    def marked(self):
        return self.key in marked_paths(self.root)

    def mark_crontab_aware(self):
        mark_path(self.root, self.key)

    def unmark_crontab_aware(self):
        unmark_path(self.root, self.key)

    mark = mark_crontab_aware
    unmark = unmark_crontab_aware
