# -*- coding: utf-8 -*-
"""collective.cron: cron-like scheduled tasks for Plone sites."""
from zope.i18nmessageid import MessageFactory

from collective.cron import legacy

_ = MessageFactory('collective.cron')

legacy.install()
