# -*- coding: utf-8 -*-
"""The crontab as read-only pages and services read it (the dashboard,
the REST API's GET services): the model's Crontab, whose crons are copies
of the crons read from the same records before.

Loading a crontab checks every cron and every log it holds, which is most
of the cost of reading a large crontab. A run changes only its own cron's
record, so a read keeps, per site, the cron of each record it read (a
detached copy, in no crontab) and loads only the records that are new or
changed (``Crontab.load_record``). Each read gets its own crontab, made
with the registry manager's switch and time zone, and its own copies of
the crons; next runs and queue states are computed when a cron is shown.
"""
import copy

from collective.cron.crontab import Crontab

#: site path -> {record: a detached copy of its cron, or None for a record
#: that is no valid cron}
_loaded = {}


def read_crontab(site):
    """The crontab of ``site``, for reading only (never saved)."""
    manager = Crontab(read_only=True).manager
    crontab = Crontab(activated=manager.activated, read_only=True,
                      timezone=manager.timezone)
    path = site.getPhysicalPath()
    known = _loaded.get(path, {})
    loaded = {}
    for record in manager.crontab:
        if record not in known:
            cron = crontab.load_record(record)
            loaded[record] = copy.copy(cron) if cron is not None else None
            continue
        kept = loaded[record] = known[record]
        if kept is None:
            crontab.invalid_records.append(record)
        else:
            copy.copy(kept).crontab = crontab
    _loaded[path] = loaded
    return crontab
