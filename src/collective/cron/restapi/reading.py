# -*- coding: utf-8 -*-
"""The crontab as the GET services read it, with each record's cron reused
while the record is unchanged.

Loading a crontab checks every cron and every log it holds, which is most
of the cost of reading a large crontab. A run changes only its own cron's
record, so a read keeps the crons of the records it read last time
(per site) and loads only the records that are new or changed. The crons
are the model's (``Cron.load``); they are shared between requests, so the
services only read them. Next runs and queue states are computed when a
cron is shown, never kept.
"""
import logging
from collections import OrderedDict

from plone.registry.interfaces import IRegistry
from zope.component import getUtility

from collective.cron.crontab import Cron
from collective.cron.interfaces import InvalidObject
from collective.cron.interfaces import RegistryCrontabNotReady
from collective.cron.registry import ACTIVATED
from collective.cron.registry import CRONTAB

logger = logging.getLogger('collective.cron')

#: site path -> {record: its cron, or None for a record that is no cron}
_loaded = {}


class ReadCrontab(object):
    """What a read shows of a crontab: its switch, its crons (uid -> cron,
    in order; of two crons with one uid the last wins, as when a crontab
    is loaded) and the records that are no valid cron."""

    def __init__(self, activated):
        self.activated = activated
        self.crons = OrderedDict()
        self.invalid_records = []


def load_record(record):
    try:
        return Cron.load(record)
    except (InvalidObject, TypeError) as exc:
        logger.warning('collective.cron: skipped an invalid crontab record '
                       '(kept in the registry): %s', exc)
        return None


def read_crontab(site):
    """The crontab of ``site``, for reading only."""
    registry = getUtility(IRegistry)
    if ACTIVATED not in registry.records or CRONTAB not in registry.records:
        raise RegistryCrontabNotReady('the registry has no crontab records: '
                                      'install collective.cron:default')
    path = site.getPhysicalPath()
    known = _loaded.get(path, {})
    loaded = {}
    crontab = ReadCrontab(bool(registry[ACTIVATED]))
    for record in registry[CRONTAB] or ():
        cron = known[record] if record in known else load_record(record)
        loaded[record] = cron
        if cron is None:
            crontab.invalid_records.append(record)
        else:
            crontab.crons[cron.uid] = cron
    _loaded[path] = loaded
    return crontab
