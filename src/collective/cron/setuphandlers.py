# -*- coding: utf-8 -*-
"""Install and uninstall handlers of the collective.cron profiles."""
import logging

from Products.CMFCore.utils import getToolByName
from Products.CMFPlone.interfaces import INonInstallable
from zope.event import notify
from zope.interface import implementer

from collective.cron.crontab import Crontab
from collective.cron.events import CrontabSynchronisationEvent
from collective.cron.exportimport import export_crons
from collective.cron.exportimport import import_crons
from collective.cron.interfaces import ICrontabMarker
from collective.cron.interfaces import IQueue

logger = logging.getLogger('collective.cron')

HIDDEN_PROFILES = (
    'collective.cron:uninstall',
    'collective.cron.tests:crons',
)
HIDDEN_PRODUCTS = ('collective.cron.tests',)


@implementer(INonInstallable)
class HiddenProfiles(object):
    """Only collective.cron:default shows in Site Setup > Add-ons."""

    def getNonInstallableProfiles(self):
        return list(HIDDEN_PROFILES)

    def getNonInstallableProducts(self):
        return list(HIDDEN_PRODUCTS)


def portal_of(tool):
    return getToolByName(tool, 'portal_url').getPortalObject()


def register_roles(site):
    """Make the roles of rolemap.xml known to PlonePAS's role manager now.

    rolemap.xml only adds them to the site; the role manager adds a site
    role it does not know yet when it lists roles, which Site Setup's Users
    and Groups pages do: a write on every GET until someone confirms it on
    plone.protect's "Confirm action" page."""
    acl_users = getToolByName(site, 'acl_users')
    manager = getattr(acl_users, 'portal_role_manager', None)
    if manager is not None and hasattr(manager, 'updateRolesList'):
        manager.updateRolesList()


def upgrade_roles(tool):
    """Upgrade step to 3002: register_roles in a site installed before."""
    register_roles(portal_of(tool))


def post_install(tool):
    """collective.cron:default was applied: our roles are registered in the
    user folder; the crontab is readable (empty and activated on a new
    install); the site is marked in the queue (it uses cron: its jobs are
    restored at Zope start) and the jobs of any cron it already holds are
    queued (a profile applied again)."""
    site = portal_of(tool)
    register_roles(site)
    crontab = Crontab.load()
    if not IQueue(site).configured:
        log_not_queued(site, crontab)
        return
    ICrontabMarker(site).mark()
    notify(CrontabSynchronisationEvent(site, crontab=crontab))


def log_not_queued(site, crontab):
    """Say why installing queued nothing: a warning when no zc.async
    database is configured in this process, or when crons wait for a save
    to be queued; only information when zc.async's queues are not installed
    yet (no worker started on the async database) and there is no cron."""
    path = '/'.join(site.getPhysicalPath())
    if not IQueue(site).available:
        logger.warning('collective.cron: installed in %s, but no zc.async '
                       'database is configured in this Zope process: no '
                       'cron job can run', path)
    elif crontab.crons:
        logger.warning('collective.cron: installed in %s before a zc.async '
                       'worker installed its queues: its %s crons get their '
                       'jobs when the crontab is next saved', path,
                       len(crontab.crons))
    else:
        logger.info('collective.cron: installed in %s before a zc.async '
                    'worker installed its queues; the site is marked when '
                    'its first cron job is queued', path)


def post_uninstall(tool):
    """collective.cron:uninstall was applied: remove every queued job of the
    site and unmark it (its registry records are already removed)."""
    site = portal_of(tool)
    queue = IQueue(site)
    if not queue.configured:
        return
    queue.remove_all()
    ICrontabMarker(site).unmark()


def setupVarious(context):
    """2.x's import step handler: synchronise the site's queue with its
    crontab (only for a profile that holds collectivecron_various.txt, as
    2.x checked)."""
    if context.readDataFile('collectivecron_various.txt') is None:
        return
    post_install(context.getSite())


def setupCrons(context):
    """2.x's name of the crons.xml import step handler."""
    return import_crons(context)


def exportCrons(context):
    """2.x's name of the crons.xml export step handler."""
    return export_crons(context)
