# -*- coding: utf-8 -*-
"""2.x's collective.cron.adapters.registry: the registry manager (see
registry.py) and 2.x's record subscribers.

collective.cron registers one subscriber for the crontab records,
``registry.record_changed``; the three 2.x functions below are not
registered. An add-on may call them (or register them itself): each asks
for the synchronisation of the current site's queue with its crontab.
"""
from zope.component.hooks import getSite
from zope.event import notify

from collective.cron.crontab import Crontab
from collective.cron.events import CrontabSynchronisationEvent
from collective.cron.interfaces import AsyncQueueNotReady
from collective.cron.interfaces import RegistryCrontabNotReady
from collective.cron.registry import CrontabRegistryManager


def synchronize_queue(*ignored):
    """Synchronise the current site's queue with its crontab; nothing
    happens without crontab records or without a queue."""
    site = getSite()
    try:
        notify(CrontabSynchronisationEvent(site, Crontab.load()))
    except (AsyncQueueNotReady, RegistryCrontabNotReady):
        return False
    return True


def synchronize_queue_edited(record, event):
    """2.x: a crontab record was edited."""
    return synchronize_queue(record, event)


def synchronize_queue_added(record, event):
    """2.x: a crontab record was added."""
    return synchronize_queue(record, event)


def synchronize_queue_removed(record, event):
    """2.x: a crontab record was removed."""
    return synchronize_queue(record, event)


__all__ = ['CrontabRegistryManager', 'synchronize_queue_added',
           'synchronize_queue_edited', 'synchronize_queue_removed']
