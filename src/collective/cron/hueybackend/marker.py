# -*- coding: utf-8 -*-
"""The marker: which sites of this Zope use cron, noted in the main ZODB.

At Zope start every marked site is re-synchronised (see startup.py). A site
is marked when collective.cron is installed (or queues a cron job) and
unmarked when it is uninstalled. The marks are in the root mapping of the
main database, in collective.cron 2.x's shape::

    root[MANAGE_KEY] = {'plone': [site path, ...]}
"""
from collective.cron.sitemarks import SITES  # noqa: F401 (API)
from collective.cron.sitemarks import SiteMarker
from collective.cron.sitemarks import manage_infos  # noqa: F401 (API)
from collective.cron.sitemarks import mark_path  # noqa: F401 (API)
from collective.cron.sitemarks import marked_paths  # noqa: F401 (API)
from collective.cron.sitemarks import unmark_path  # noqa: F401 (API)


def database_root(obj):
    """The root mapping of the main database ``obj`` was loaded from."""
    return obj._p_jar.root()


class CrontabMarker(SiteMarker):
    """Marks / unmarks one site (2.x adapted (site, queue): the queue is
    ignored, the marks are in the main ZODB)."""

    @property
    def root(self):
        return database_root(self.portal)

    @property
    def notes(self):
        return self.root
