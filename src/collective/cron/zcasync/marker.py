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
from zope.annotation.interfaces import IAttributeAnnotatable
from zope.interface import alsoProvides
from zope.interface import implementer

from collective.cron import sitemarks
from collective.cron.interfaces import IAnnotedQueue
from collective.cron.sitemarks import SITES  # noqa: F401 (API)
from collective.cron.sitemarks import SiteMarker
from collective.cron.zcasync.queue import annotations
from collective.cron.zcasync.queue import default_queue
from collective.cron.zcasync.queue import site_path


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
    return sitemarks.manage_infos(annotations(queue), create)


def marked_paths(queue):
    """The paths of the sites marked in ``queue``, in marking order."""
    return sitemarks.marked_paths(annotations(queue))


def mark_path(queue, path):
    sitemarks.mark_path(annotations(queue), path)


def mark(queue, site):
    """Mark ``site`` in ``queue`` (nothing is written if it is marked)."""
    mark_path(queue, site_path(site))


def unmark_path(queue, path):
    sitemarks.unmark_path(annotations(queue), path)


@implementer(IAnnotedQueue)
class AnnotedQueue(object):
    """The collective.cron annotations of the backend's queue (2.x)."""

    def __init__(self, queue):
        self.queue = queue

    @property
    def annotations(self):
        return manage_infos(self.queue, create=True)


class CrontabMarker(SiteMarker):
    """Marks / unmarks one site in the backend's queue (2.x adapts
    (site, queue); without a queue, the site's default queue)."""

    def __init__(self, portal, queue=None):
        super(CrontabMarker, self).__init__(portal)
        self._queue = queue

    @property
    def queue(self):
        if self._queue is None:
            self._queue = default_queue()
        return self._queue

    @property
    def notes(self):
        return annotations(self.queue)
