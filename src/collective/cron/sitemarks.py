# -*- coding: utf-8 -*-
"""The marks of the sites that use cron, the same for every job backend.

At Zope start every marked site is re-synchronised. A site is marked when
collective.cron is installed (or queues a cron job) and unmarked when it
is uninstalled. The marks are kept in collective.cron 2.x's shape, in a
mapping that the backend chooses (``notes``: the async queue's
annotations for zc.async, the main database's root for Huey)::

    notes[MANAGE_KEY] = {'plone': [site path, ...]}

This module imports no backend (tests/test_seam.py).
"""
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from zope.interface import implementer

from collective.cron.interfaces import ICrontabMarker
from collective.cron.interfaces import MANAGE_KEY

SITES = 'plone'


def manage_infos(notes, create=False):
    """notes' {'plone': [path, ...]} (None when absent, unless
    ``create``)."""
    infos = notes.get(MANAGE_KEY)
    if not create:
        return infos
    if infos is None:
        infos = notes[MANAGE_KEY] = PersistentMapping()
    if SITES not in infos:
        infos[SITES] = PersistentList()
    return infos


def marked_paths(notes):
    """The paths of the marked sites, in marking order."""
    infos = manage_infos(notes)
    return list(infos.get(SITES, ())) if infos is not None else []


def mark_path(notes, path):
    """Mark ``path`` (nothing is written when it is marked)."""
    if path not in marked_paths(notes):
        manage_infos(notes, create=True)[SITES].append(path)


def unmark_path(notes, path):
    infos = manage_infos(notes)
    sites = infos.get(SITES) if infos is not None else None
    while sites is not None and path in sites:
        sites.remove(path)


@implementer(ICrontabMarker)
class SiteMarker(object):
    """Marks / unmarks one site (2.x's ICrontabMarker); the backend's
    subclass gives ``notes``, the mapping holding the marks."""

    def __init__(self, portal, queue=None):
        self.portal = self.context = portal
        self.ppath = '/'.join(portal.getPhysicalPath())

    @property
    def notes(self):
        raise NotImplementedError

    @property
    def annotations(self):
        """2.x: the marks' mapping, {'plone': [path, ...]}."""
        return manage_infos(self.notes, create=True)

    @property
    def key(self):
        return self.ppath

    @property
    def marked(self):
        return self.key in marked_paths(self.notes)

    def mark_crontab_aware(self):
        """Mark the site so that it is synchronised at Zope start."""
        mark_path(self.notes, self.key)

    def unmark_crontab_aware(self):
        unmark_path(self.notes, self.key)

    mark = mark_crontab_aware
    unmark = unmark_crontab_aware
