# -*- coding: utf-8 -*-
"""The zc.async backend's IJobBackend utility: the marked sites, read from
the async database before any site is open (restart recovery)."""
from zope.interface import implementer

from collective.cron.interfaces import IJobBackend
from collective.cron.zcasync.marker import marked_paths
from collective.cron.zcasync.marker import unmark_path
from collective.cron.zcasync.queue import async_queue


@implementer(IJobBackend)
class Backend(object):
    """zc.async through plone.app.async; the marks are in the annotations
    of the default queue."""

    name = 'zc.async'

    def marked_paths(self, app):
        return marked_paths(async_queue(app))

    def unmark_path(self, app, path):
        unmark_path(async_queue(app), path)
