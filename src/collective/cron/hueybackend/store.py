# -*- coding: utf-8 -*-
"""The Huey instance of this process (the task store) and the cron task.

``get_huey()`` makes it from the settings on first use: SqliteHuey on a file
in the instance's var directory, or RedisHuey. Tests (and scripts) give
their own with ``set_huey``. Task results are not stored (a cron's result
is its log in the registry).
"""
import threading
import weakref

import huey

from collective.cron.hueybackend import settings
from collective.cron.hueybackend.tasks import run_task

#: the name of the cron task in Huey's registry
TASK_NAME = 'collective.cron.run'
_state = {'huey': None, 'task': None}
_lock = threading.Lock()
#: Huey instance -> its cron task wrapper
_tasks = weakref.WeakKeyDictionary()


def make_huey(config=None):
    """A Huey instance as the settings say."""
    kind = settings.storage(config)
    if kind == settings.REDIS:
        return huey.RedisHuey(settings.QUEUE_NAME, results=False,
                              url=settings.redis_url(config))
    return huey.SqliteHuey(settings.QUEUE_NAME, results=False,
                           filename=settings.huey_file(config))


def register_task(instance):
    """The cron task wrapper of ``instance`` (registered on first use)."""
    task = _tasks.get(instance)
    if task is None:
        task = _tasks[instance] = instance.task(name=TASK_NAME)(run_task)
    return task


def set_huey(instance):
    """Use ``instance`` as this process's task store (None: made again from
    the settings on next use); return its cron task."""
    with _lock:
        _state['huey'] = instance
        _state['task'] = register_task(instance) if instance else None
        return _state['task']


def get_huey():
    """This process's Huey instance."""
    with _lock:
        if _state['huey'] is None:
            instance = make_huey()
            _state['huey'] = instance
            _state['task'] = register_task(instance)
        return _state['huey']


def cron_task():
    """The cron task wrapper of this process's Huey instance."""
    get_huey()
    return _state['task']
