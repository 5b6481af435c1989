# -*- coding: utf-8 -*-
"""Upgrade steps of collective.cron:default (from the 1.x / 2.x profiles).

The crontab records keep their 2.x names; their values are read before the
registry step runs again (plone.registry would reset a value its field no
longer validates) and written back, then the crontab is saved in the 3.x
record format, which synchronises the site's queue.
"""
import logging

from plone.registry.interfaces import IRegistry
from zope.component import getUtility

from collective.cron.crontab import Crontab
from collective.cron.registry import ACTIVATED
from collective.cron.registry import CRONTAB
from collective.cron.registry import saving
from collective.cron.utils import text

logger = logging.getLogger('collective.cron')

PROFILE = 'profile-collective.cron:default'
#: the steps of collective.cron:default that upgrades import again
STEPS = ('plone.app.registry', 'controlpanel', 'rolemap', 'browserlayer')


def record_values():
    """name -> value of the crontab records that exist."""
    records = getUtility(IRegistry).records
    return dict((name, records[name].value)
                for name in (ACTIVATED, CRONTAB) if name in records)


def coerce(name, value):
    """A 2.x record value as the 3.x field expects it."""
    if name == ACTIVATED:
        return bool(value)
    return [text(record) for record in value]


def restore_values(values):
    """Put back record values lost or changed by the registry step."""
    records = getUtility(IRegistry).records
    with saving():
        for name, value in values.items():
            if value is None:
                continue
            value = coerce(name, value)
            if records[name].value != value:
                records[name].value = value


def reimport_profile_steps(tool):
    """Import the registry, configlet, rolemap and browser layer steps of
    collective.cron:default again; the crontab records keep their values."""
    values = record_values()
    registered = tool.getSortedImportSteps()
    for step in STEPS:
        if step in registered:
            tool.runImportStepFromProfile(PROFILE, step,
                                          run_dependencies=False)
    restore_values(values)


def resave_crontab(tool):
    """Load the crontab and save it again (3.x records, queue synchronised);
    records that cannot be read are kept as they are."""
    crontab = Crontab.load()
    crontab.save()
    logger.info('collective.cron: upgraded a crontab of %s crons (%s '
                'unreadable records kept)', len(crontab.crons),
                len(crontab.invalid_records))
