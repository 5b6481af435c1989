# -*- coding: utf-8 -*-
"""2.x's collective.cron.adapters.ploneappasync: the queue, the marker, the
annotated queue and the restart subscriber (see queue.py, marker.py,
restart.py)."""
from collective.cron.marker import AnnotedQueue
from collective.cron.marker import CrontabMarker
from collective.cron.marker import annotable
from collective.cron.queue import Queue
from collective.cron.queue import queue_aware
from collective.cron.restart import register_on_restart
from collective.cron.restart import restore_plone

__all__ = ['AnnotedQueue', 'CrontabMarker', 'Queue', 'annotable',
           'queue_aware', 'register_on_restart', 'restore_plone']
