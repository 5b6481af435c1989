# -*- coding: utf-8 -*-
"""2.x's collective.cron.adapters.ploneappasync: the queue, the marker, the
annotated queue and the restart subscriber (see queue.py, marker.py,
restart.py)."""
from collective.cron.marker import AnnotedQueue  # noqa: F401
from collective.cron.marker import CrontabMarker  # noqa: F401
from collective.cron.marker import annotable  # noqa: F401
from collective.cron.queue import Queue  # noqa: F401
from collective.cron.queue import queue_aware  # noqa: F401
from collective.cron.restart import register_on_restart  # noqa: F401
from collective.cron.restart import restore_plone  # noqa: F401
