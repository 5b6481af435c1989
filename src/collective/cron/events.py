# -*- coding: utf-8 -*-
"""The events of collective.cron."""
from zope.interface import implementer
from zope.interface.interfaces import ObjectEvent

from collective.cron import interfaces


class CrontabEvent(ObjectEvent):
    """cron: the one cron saved, or None when the whole crontab was."""

    def __init__(self, object, cron=None):
        super(CrontabEvent, self).__init__(object)
        self.cron = cron


@implementer(interfaces.IModifiedCrontabEvent)
class ModifiedCrontabEvent(CrontabEvent):
    """object: the crontab that was saved."""


@implementer(interfaces.ICrontabSynchronisationEvent)
class CrontabSynchronisationEvent(ObjectEvent):
    """object: the site whose queue must follow its crontab; crontab: the
    crontab just saved (None: read it from the registry); cron: the one
    cron saved (None: all of them). 2.x signature: (object, crontab)."""

    def __init__(self, object, crontab=None, cron=None):
        super(CrontabSynchronisationEvent, self).__init__(object)
        self.crontab = crontab
        self.cron = cron


@implementer(interfaces.IServerRestartEvent)
class ServerRestartEvent(ObjectEvent):
    """object: a marked site, after the async queue became ready; crontab:
    its crontab (2.x signature), or None to read it from the registry."""

    def __init__(self, object, crontab=None):
        super(ServerRestartEvent, self).__init__(object)
        self.crontab = crontab


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
