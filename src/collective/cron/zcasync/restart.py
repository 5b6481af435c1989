# -*- coding: utf-8 -*-
"""The zc.async backend's start of restart recovery: plone.app.async says
its queue is ready (IQueueReady), collective.cron.restart re-synchronises
the marked sites."""
from collective.cron import restart
from collective.cron.zcasync.queue import in_dispatcher_thread


def queue_ready(event):
    """The dispatcher is active: re-synchronise the marked sites
    (subscribed to plone.app.async's IQueueReady in zcasync.zcml).

    This event comes inside the dispatcher's activation transaction, so the
    sites are synchronised in a thread of their own. Notified from any other
    thread (code or a test that says the queue is ready), it returns once
    they are re-synchronised, as 2.x did.
    """
    return restart.queue_ready(wait=not in_dispatcher_thread(event.object))


#: 2.x's name of the subscriber (collective.cron.adapters.ploneappasync)
register_on_restart = queue_ready
