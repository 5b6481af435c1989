# -*- coding: utf-8 -*-
"""The Huey backend's IJobBackend utility: the marked sites, read from the
main database before any site is open (restart recovery)."""
from zope.interface import implementer

from collective.cron.hueybackend import marker
from collective.cron.interfaces import IJobBackend


@implementer(IJobBackend)
class Backend(object):
    """Huey; the marks are in the main database's root mapping."""

    name = 'Huey'

    def marked_paths(self, app):
        return marker.marked_paths(marker.database_root(app))

    def unmark_path(self, app, path):
        marker.unmark_path(marker.database_root(app), path)
