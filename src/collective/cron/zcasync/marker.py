# -*- coding: utf-8 -*-
"""The marker: which sites of this Zope use cron, noted in the async queue.

At Zope start every marked site is re-synchronised (see restart.py), so a
job lost with the queue is queued again. A site is marked when
collective.cron is installed (or when it queues a cron job) and unmarked
when collective.cron is uninstalled.

The storage is collective.cron 2.x's, so that sites marked by 2.x are
found: the queue's annotation MANAGE_KEY is ``{'plone': [site path, ...]}``
(a PersistentDict holding a PersistentList). The adapters are 2.x's:
``CrontabMarker`` adapts (site, the backend's queue) -- our own code also
adapts the site alone -- and ``AnnotedQueue`` adapts the backend's queue.
They are registered for zc.async's IQueue in zcasync.zcml.
"""
from persistent.dict import PersistentDict
from persistent.list import PersistentList
from zope.annotation.interfaces import IAttributeAnnotatable
from zope.interface import alsoProvides
from zope.interface import implementer

from collective.cron.interfaces import IAnnotedQueue
from collective.cron.interfaces import ICrontabMarker
from collective.cron.interfaces import MANAGE_KEY
from collective.cron.zcasync.queue import annotations
from collective.cron.zcasync.queue import default_queue
from collective.cron.zcasync.queue import site_path

SITES = 'plone'


def annotable(func):
    """2.x: a method of an adapter whose ``queue`` gets annotatable first."""
    def wrapper(self, *args, **kwargs):
        if not IAttributeAnnotatable.providedBy(self.queue):
            alsoProvides(self.queue, IAttributeAnnotatable)
        return func(self, *args, **kwargs)
    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


def manage_infos(queue, create=False):
    """The queue's {'plone': [path, ...]} (None when absent and not
    ``create``)."""
    notes = annotations(queue)
    infos = notes.get(MANAGE_KEY)
    if not create:
        return infos
    if infos is None:
        infos = notes[MANAGE_KEY] = PersistentDict()
    if SITES not in infos:
        infos[SITES] = PersistentList()
    return infos


def marked_paths(queue):
    """The paths of the marked sites, in marking order."""
    infos = manage_infos(queue)
    return list(infos.get(SITES, ())) if infos is not None else []


def mark_path(queue, path):
    sites = manage_infos(queue, create=True)[SITES]
    if path not in sites:
        sites.append(path)


def mark(queue, site):
    """Mark ``site`` in ``queue`` (nothing is written if it is marked)."""
    infos = manage_infos(queue)
    path = site_path(site)
    if infos is None or path not in infos.get(SITES, ()):
        mark_path(queue, path)


def unmark_path(queue, path):
    infos = manage_infos(queue)
    sites = infos.get(SITES) if infos is not None else None
    while sites is not None and path in sites:
        sites.remove(path)


@implementer(IAnnotedQueue)
class AnnotedQueue(object):
    """The collective.cron annotations of the backend's queue (2.x)."""

    def __init__(self, queue):
        self.queue = queue

    @property
    def annotations(self):
        return manage_infos(self.queue, create=True)


@implementer(ICrontabMarker)
class CrontabMarker(object):
    """Marks / unmarks one site in the backend's queue (2.x adapts
    (site, queue); without a queue, the site's default queue)."""

    def __init__(self, portal, queue=None):
        self.portal = self.context = portal
        self._queue = queue
        self.ppath = site_path(portal)

    @property
    def queue(self):
        if self._queue is None:
            self._queue = default_queue()
        return self._queue

    @property
    def annotations(self):
        return AnnotedQueue(self.queue).annotations

    @property
    def key(self):
        return self.ppath

    @property
    def marked(self):
        return self.key in marked_paths(self.queue)

    def mark_crontab_aware(self):
        """Mark the site so that it is synchronised at Zope start."""
        mark_path(self.queue, self.key)

    def unmark_crontab_aware(self):
        unmark_path(self.queue, self.key)

    mark = mark_crontab_aware
    unmark = unmark_crontab_aware
