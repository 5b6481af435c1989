# -*- coding: utf-8 -*-
"""2.x's helpers for job runners: ICCRONUtils, adapting (site, cron)."""
from Products.CMFCore.interfaces import ISiteRoot
from zope.component import adapter
from zope.interface import implementer

from collective.cron.interfaces import ICCRONUtils
from collective.cron.interfaces import ICron


@implementer(ICCRONUtils)
@adapter(ISiteRoot, ICron)
class CCRONUtils(object):
    """Helpers for the runner of ``cron`` in the site ``context``."""

    def __init__(self, context, cron):
        self.context = context
        self.cron = cron

    def getFolder(self, id, title='Folder', context=None):
        """The item ``id`` of ``context`` (the site by default); a Folder
        titled ``title`` is made when there is none."""
        if context is None:
            context = self.context
        if id not in context.objectIds():
            id = context.invokeFactory('Folder', id, title=title)
        return context[id]
