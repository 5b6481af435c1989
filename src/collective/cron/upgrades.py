# -*- coding: utf-8 -*-
"""Upgrade steps of collective.cron:default (from the 1.x / 2.x profiles).

They run in this order, from any profile version to 3000, and each may run
again (a second run changes nothing) or on a site that never had 2.x:

1. ``reimport_profile_steps``: the registry, configlet, rolemap and browser
   layer steps of our profile again. The crontab records keep their 2.x
   names; their values are read before the registry step runs (it would
   reset a value its field no longer validates) and written back; the
   records it adds again do not synchronise the queue (step 3 does). The
   browser layer is registered anew, so that the site's component registry
   no longer stores the 2.x name of its interface; 2.x's skin layer (a
   directory that no longer exists) is removed.
2. ``remove_legacy_jobs``: the jobs that 2.x queued in zc.async (their
   pickles hold 2.x crons and crontabs) are taken out of the queue, and the
   jobs 2.x ran are taken out of the agents' completed jobs and of the
   quotas. In a Zope process without the zc.async database this step
   raises AsyncQueueNotReady: the upgrade must run where the queue is.
3. ``resave_crontab``: the crontab is loaded and saved in the 3.x record
   format, which queues one job per activated cron and marks the site.

From 3000 to 3001, ``add_zone_record`` adds the record of the crontab-wide
time zone (``ICrontabZoneSettings``), empty: crons keep the server's local
time zone. (The registry step of the first step above adds it too.)
"""
import logging

from plone.browserlayer.utils import unregister_layer
from plone.registry.interfaces import IRegistry
from Products.CMFCore.utils import getToolByName
from zope.component import getUtility

from collective.cron.crontab import Crontab
from collective.cron.interfaces import AsyncQueueNotReady
from collective.cron.interfaces import ICrontabZoneSettings
from collective.cron.interfaces import IQueue
from collective.cron.registry import ACTIVATED
from collective.cron.registry import CRONTAB
from collective.cron.registry import ZONE
from collective.cron.registry import saving
from collective.cron.utils import text

logger = logging.getLogger('collective.cron')

PROFILE = 'profile-collective.cron:default'
#: the steps of collective.cron:default that upgrades import again
STEPS = ('plone.app.registry', 'controlpanel', 'rolemap', 'browserlayer')
#: the name of our browser layer (2.x registered the same interface under
#: its 2.x name, ``collective.cron.interfaces.ILayer``)
LAYER_NAME = 'collective.cron'
#: the skin layer of 2.x (a directory view of a folder 3.x does not ship)
LEGACY_SKIN = 'ccron_custom_templates'


def portal_of(tool):
    return getToolByName(tool, 'portal_url').getPortalObject()


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


def forget_browser_layer():
    """Unregister our browser layer (the browserlayer step registers it
    again), so that a 2.x registration is written anew."""
    try:
        unregister_layer(LAYER_NAME)
    except KeyError:
        return False
    return True


def remove_legacy_skin(site):
    """Remove 2.x's skin layer from every skin and from portal_skins."""
    skins = getToolByName(site, 'portal_skins', None)
    if skins is None:
        return False
    found = False
    for skin, path in skins.getSkinPaths():
        layers = [layer.strip() for layer in path.split(',')]
        if LEGACY_SKIN in layers:
            layers.remove(LEGACY_SKIN)
            skins.addSkinSelection(skin, ','.join(layers))
            found = True
    if LEGACY_SKIN in skins.objectIds():
        skins.manage_delObjects([LEGACY_SKIN])
        found = True
    return found


def reimport_profile_steps(tool):
    """Import the registry, configlet, rolemap and browser layer steps of
    collective.cron:default again; the crontab records keep their values;
    2.x's skin layer is removed."""
    values = record_values()
    registered = tool.getSortedImportSteps()
    with saving():
        for step in STEPS:
            if step not in registered:
                continue
            if step == 'browserlayer':
                forget_browser_layer()
            tool.runImportStepFromProfile(PROFILE, step,
                                          run_dependencies=False)
    restore_values(values)
    if remove_legacy_skin(portal_of(tool)):
        logger.info('collective.cron: removed the 2.x skin layer %s',
                    LEGACY_SKIN)


def remove_legacy_jobs(tool):
    """Remove the site's cron jobs that collective.cron 2.x queued, and the
    ones it ran from the agents' completed jobs."""
    queue = IQueue(portal_of(tool))
    if not queue.configured:
        raise AsyncQueueNotReady(
            'collective.cron: run this upgrade in a Zope process that has '
            'the zc.async database (collective.cron:instance.zcml or '
            'worker.zcml): the jobs that collective.cron 2.x queued there '
            'must be replaced')
    pending = queue.legacy_jobs()
    for job in pending:
        queue.remove(job)
    completed = queue.clear_legacy_completed()
    queue.clean_quotas()
    logger.info('collective.cron: removed %s pending and %s completed jobs '
                'queued before the upgrade', len(pending), completed)


def resave_crontab(tool):
    """Load the crontab and save it again (3.x records, queue synchronised);
    records that cannot be read are kept as they are."""
    crontab = Crontab.load()
    crontab.save()
    logger.info('collective.cron: upgraded a crontab of %s crons (%s '
                'unreadable records kept)', len(crontab.crons),
                len(crontab.invalid_records))


def add_zone_record(tool):
    """Add the crontab-wide time zone record (empty) when it is missing; an
    existing value is kept."""
    registry = getUtility(IRegistry)
    if ZONE in registry.records:
        return
    with saving():
        registry.registerInterface(ICrontabZoneSettings)
    logger.info('collective.cron: added the record %s', ZONE)
