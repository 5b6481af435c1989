# -*- coding: utf-8 -*-
"""Restart recovery: when the job backend's queue is ready at Zope start
(the backend's subscriber calls ``queue_ready``), every marked site gets a
ServerRestartEvent, which re-synchronises its crontab (jobs lost with the
queue are queued again). The marked sites are the IJobBackend utility's.

2.x names: restore_plone and server_restart (the IServerRestartEvent
subscriber); 2.x's register_on_restart is the zc.async backend's
subscriber (collective.cron.zcasync.restart)."""
import logging
import threading
import time

import transaction
import Zope2
from Products.CMFCore.interfaces import ISiteRoot
from ZODB.POSException import ConflictError
from zope.component import adapter
from zope.component import getUtility
from zope.component.hooks import setSite
from zope.event import notify

from collective.cron.crontab import Crontab
from collective.cron.events import CrontabSynchronisationEvent
from collective.cron.events import ServerRestartEvent
from collective.cron.interfaces import IJobBackend
from collective.cron.interfaces import IServerRestartEvent
from collective.cron.utils import now
from collective.cron.utils import security_of

logger = logging.getLogger('collective.cron')
ATTEMPTS = 3
#: how long queue_ready(wait=True) waits for the re-synchronisation
JOIN_SECONDS = 60
#: this process's last queue-ready event: [(clock instant, epoch seconds)]
_activation = []


def resync_marked_sites(app):
    """Fire ServerRestartEvent in every marked site; return their paths.

    A marked site that no longer exists is unmarked with a warning; a site
    whose synchronisation fails is logged and does not stop the others.
    """
    transaction.begin()
    backend = getUtility(IJobBackend)
    synced = []
    for path in backend.marked_paths(app):
        site = app.unrestrictedTraverse(path, None)
        if site is None or not ISiteRoot.providedBy(site):
            logger.warning('collective.cron: marked site %s no longer '
                           'exists; unmarked', path)
            backend.unmark_path(app, path)
            transaction.commit()
        elif resync(site):
            synced.append(path)
    return synced


def resync(site):
    """Fire ServerRestartEvent in ``site`` and commit (retrying conflicts)."""
    path = '/'.join(site.getPhysicalPath())
    for attempt in range(1, ATTEMPTS + 1):
        setSite(site)
        try:
            notify(ServerRestartEvent(site))
            transaction.commit()
            logger.info('collective.cron: %s re-synchronised at start', path)
            return True
        except ConflictError:
            transaction.abort()
            logger.info('collective.cron: conflict re-synchronising %s '
                        '(attempt %s)', path, attempt)
        except Exception:
            transaction.abort()
            logger.exception('collective.cron: could not re-synchronise %s',
                             path)
            return False
        finally:
            setSite(None)
    return False


def resync_in_thread():
    """Run resync_marked_sites on a fresh connection, in its own thread."""
    def work():
        app = Zope2.app()
        try:
            resync_marked_sites(app)
        finally:
            transaction.abort()
            app._p_jar.close()
    thread = threading.Thread(target=work, name='collective.cron restart')
    thread.daemon = True
    thread.start()
    return thread


def queue_ready(wait=True):
    """The backend's queue is ready in this process: record it and
    re-synchronise the marked sites in a thread of their own (the backend
    may call this inside a transaction of its own). With ``wait``, return
    once the sites are re-synchronised (as 2.x did); return the thread."""
    record_activation()
    thread = resync_in_thread()
    if wait:
        thread.join(JOIN_SECONDS)
    return thread


def record_activation():
    """Remember that the queue is ready in this process, now."""
    _activation[:] = [(now(), time.time())]


def activation():
    """When the queue was last ready in this process: (the clock's instant,
    aware UTC; the real epoch seconds, which the test time machine does not
    move), or None before that.

    The dispatcher may claim an overdue job in the poll that activates it,
    before the re-synchronisation (in its own thread) replaces it: the job
    wrapper compares the job with this instant (see job.zombie).
    """
    return _activation[0] if _activation else None


@adapter(IServerRestartEvent)
def server_restarted(event):
    """Synchronise the site as its owner (jobs queued now run as the owner
    unless the cron has a user)."""
    site = event.object
    sync = CrontabSynchronisationEvent(site, getattr(event, 'crontab', None))
    owner = site.getWrappedOwner()
    if owner is None or not hasattr(owner, 'getId'):
        notify(sync)
        return
    with security_of(owner):
        notify(sync)


def restore_plone(context, ppath):
    """2.x: fire ServerRestartEvent in the site at ``ppath`` (traversed
    from ``context``), which becomes the current site."""
    site = context.unrestrictedTraverse(ppath)
    setSite(site)
    notify(ServerRestartEvent(site, Crontab.load()))
    logger.info('collective.cron: %s re-synchronised', ppath)


#: 2.x's name of the subscriber (the same function)
server_restart = server_restarted
