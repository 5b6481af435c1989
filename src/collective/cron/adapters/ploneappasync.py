# -*- coding: utf-8 -*-
"""2.x's collective.cron.adapters.ploneappasync: the queue, the marker, the
annotated queue and the restart subscriber (see collective.cron.zcasync:
queue.py, marker.py, restart.py; and restart.py)."""
from collective.cron.restart import restore_plone
from collective.cron.zcasync.marker import AnnotedQueue
from collective.cron.zcasync.marker import CrontabMarker
from collective.cron.zcasync.marker import annotable
from collective.cron.zcasync.queue import Queue
from collective.cron.zcasync.queue import queue_aware
from collective.cron.zcasync.restart import register_on_restart

__all__ = ['AnnotedQueue', 'CrontabMarker', 'Queue', 'annotable',
           'queue_aware', 'register_on_restart', 'restore_plone']
