# -*- coding: utf-8 -*-
"""``@@cron-status?uid=<uid>``: a cron's state as JSON, for the cron page's
script (``cronpage.js``) that follows a run after *Run now*.

Read only (GET; it writes nothing), ``ccron: View`` (checked by Zope before
the view is called, so anyone without it gets the same answer whether the
uid exists or not). Answers ``404`` with ``{"error": "not found"}`` for an
unknown uid. See ``cron_status`` for the fields.
"""
import json
import math

import six
from Products.Five import BrowserView

from collective.cron.browser.base import CrontabAccess
from collective.cron.browser.base import queue_state
from collective.cron.interfaces import IQueue
from collective.cron.states import RUNNING
from collective.cron.utils import now
from collective.cron.utils import to_utc


def iso(value):
    """A datetime (naive: local time) as ISO 8601 UTC, or None."""
    if value is None:
        return None
    return to_utc(value).strftime('%Y-%m-%dT%H:%M:%SZ')


def seconds(log):
    """How many seconds the logged run took (None without a start)."""
    if log.duration is None:
        return None
    # halves round up, as Python 2's round() (Python 3's rounds to even)
    return max(0, int(math.floor(log.duration.total_seconds() + 0.5)))


def log_status(log):
    """The last run's fields (None when the cron has no log)."""
    if log is None:
        return None
    return {'status': log.status, 'title': log.sstatus,
            'end': iso(log.date), 'start': iso(log.start),
            'duration': seconds(log), 'messages': list(log.messages)}


def is_busy(queue, uid):
    """True while the cron's job runs or is due (queued for now or
    earlier, as *Run now* queues it): the page follows it."""
    if not queue.configured:
        return False
    status, begins = queue.state(uid)
    if status == RUNNING:
        return True
    return begins is not None and begins <= now()


def cron_status(queue, cron):
    """The JSON of ``@@cron-status``: ``uid``, ``name``, ``busy`` (running
    or due), ``queue`` (``state``: queued / running / not-queued / unknown;
    ``next``: when the queued job begins, ISO UTC, or null), ``late``
    (the queued job was due more than the cron's grace period ago and no
    worker started it: see collective.cron.late), ``logs`` (how
    many), ``last`` (the newest log: ``status`` number and ``title``,
    ``start`` (null for logs written before starts were recorded),
    ``end``, ``duration`` in seconds, ``messages``; null without logs)."""
    state = queue_state(queue, cron)
    begins = queue.begins(cron.uid) if state['state'] == 'queued' else None
    return {'uid': cron.uid, 'name': cron.name,
            'busy': is_busy(queue, cron.uid), 'late': state['late'],
            'queue': {'state': state['state'], 'next': iso(begins)},
            'logs': len(cron.logs), 'last': log_status(cron.last)}


class CronStatusView(CrontabAccess, BrowserView):
    """``@@cron-status?uid=<uid>`` (permission ``ccron: View``)."""

    def __call__(self):
        response = self.request.response
        response.setHeader('Content-Type', 'application/json; charset=utf-8')
        response.setHeader('Cache-Control', 'no-store')
        uid = self.request.form.get('uid')
        cron = None
        if isinstance(uid, six.string_types):
            cron = self.crontab.crons.get(uid)
        if cron is None:
            response.setStatus(404)
            return json.dumps({'error': 'not found'})
        return json.dumps(cron_status(IQueue(self.context), cron),
                          sort_keys=True)
