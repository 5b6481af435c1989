# -*- coding: utf-8 -*-
"""The marker: which sites of this Zope use cron, noted in the async queue.

At Zope start every marked site is re-synchronised (see restart.py), so a
job lost with the queue is queued again. A site is marked when it first
queues a cron job and unmarked when collective.cron is uninstalled.
"""
from BTrees.OOBTree import OOBTree
from plone.app.async.interfaces import IAsyncService
from Products.CMFCore.interfaces import ISiteRoot
from zope.component import adapter
from zope.component import getUtility
from zope.interface import implementer

from collective.cron.interfaces import ICrontabMarker
from collective.cron.queue import annotations
from collective.cron.queue import site_path

SITES_KEY = 'collective.cron.sites'


def marked_paths(queue):
    """The paths of the marked sites, sorted."""
    sites = annotations(queue).get(SITES_KEY)
    return list(sites.keys()) if sites is not None else []


def mark(queue, site):
    path = site_path(site)
    notes = annotations(queue)
    sites = notes.get(SITES_KEY)
    if sites is None:
        sites = notes[SITES_KEY] = OOBTree()
    if path not in sites:
        sites[path] = True


def unmark_path(queue, path):
    sites = annotations(queue).get(SITES_KEY)
    if sites is not None and path in sites:
        del sites[path]


@implementer(ICrontabMarker)
@adapter(ISiteRoot)
class CrontabMarker(object):
    """Marks / unmarks one site."""

    def __init__(self, context):
        self.context = context

    @property
    def queue(self):
        return getUtility(IAsyncService).getQueues()['']

    @property
    def marked(self):
        return site_path(self.context) in marked_paths(self.queue)

    def mark(self):
        mark(self.queue, self.context)

    def unmark(self):
        unmark_path(self.queue, site_path(self.context))
