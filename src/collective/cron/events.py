# -*- coding: utf-8 -*-
"""The events of collective.cron."""
from zope.interface import implementer
from zope.interface.interfaces import ObjectEvent

from collective.cron import interfaces


@implementer(interfaces.IModifiedCrontabEvent)
class ModifiedCrontabEvent(ObjectEvent):
    """object: the crontab that was saved."""


@implementer(interfaces.ICrontabSynchronisationEvent)
class CrontabSynchronisationEvent(ObjectEvent):
    """object: the site whose queue must follow its crontab."""


@implementer(interfaces.IServerRestartEvent)
class ServerRestartEvent(ObjectEvent):
    """object: a marked site, after the async queue became ready."""


class CronJobEvent(ObjectEvent):
    """object: the site; cron: the cron being run."""

    def __init__(self, context, cron):
        super(CronJobEvent, self).__init__(context)
        self.cron = cron


@implementer(interfaces.IStartedCronJobEvent)
class StartedCronJobEvent(CronJobEvent):
    """A cron job started."""


@implementer(interfaces.IFinishedCronJobEvent)
class FinishedCronJobEvent(CronJobEvent):
    """A cron job finished."""
