# -*- coding: utf-8 -*-
"""JSON views the reliability suite drives the Zope processes with."""
import datetime
import json
import threading

from plone.protect.authenticator import createToken
from plone.protect.interfaces import IDisableCSRFProtection
from Products.Five.browser import BrowserView
from zope.component import getMultiAdapter
from zope.interface import alsoProvides

from collective.cron.crontab import Cron
from collective.cron.crontab import Crontab
from collective.cron.interfaces import ICronManager
from collective.cron.interfaces import IQueue
from collective.cron.registry import record_uid
from collective.cron.registry import saving
from collective.cron.utils import now

from cronrel.backend import JobReader
from cronrel.backend import queue_state
from cronrel.runners import RUNS_ATTRIBUTE
from cronrel.runners import runs_of

_calls = {'edit': 0}
_lock = threading.Lock()


def count_call(name):
    with _lock:
        _calls[name] += 1


def iso(value):
    return value.isoformat() if value is not None else None


class JSONView(BrowserView):

    def reply(self, data):
        self.request.response.setHeader('Content-Type', 'application/json')
        return json.dumps(data, sort_keys=True, default=repr)


class AsyncState(JSONView):
    """The job backend's state in this process, as the suite needs it
    (public, test-only): zc.async's queue and dispatchers, or Huey's
    consumer and store; and the calls of @@rel-crontab."""

    def __call__(self):
        data = {'calls': dict(_calls)}
        data.update(queue_state(self.context))
        return self.reply(data)


def cron_info(cron, jobs):
    data = cron.dump()
    data['job'] = jobs.info(cron.uid)
    return data


class SiteState(JSONView):
    """Crontab, cron jobs and recorded runs of the site."""

    def __call__(self):
        crontab = Crontab.load()
        queue = IQueue(self.context)
        jobs = JobReader(queue)
        known = set(crontab.crons)
        orphans = dict((uid, jobs.info(uid))
                       for uid in queue.cron_uids() if uid not in known)
        runs = getattr(self.context, RUNS_ATTRIBUTE, None) or {}
        return self.reply({
            'activated': crontab.activated,
            'crons': [cron_info(cron, jobs)
                      for cron in crontab.crons.values()],
            'invalid_records': len(crontab.invalid_records),
            'orphan_jobs': orphans,
            'runs': dict(runs.items()),
        })


class Token(JSONView):

    def __call__(self):
        return self.reply({'token': createToken()})


class CrontabEdit(JSONView):
    """Changes the crontab: ``op`` = add, edit, delete, force, orphan-job,
    clear-runs. Every call counts in @@rel-async's ``calls`` (a retried
    request counts once per attempt)."""

    def __call__(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        count_call('edit')
        form = self.request.form
        handler = getattr(self, 'op_' + form.get('op', '').replace('-', '_'))
        return self.reply(handler(form))

    def op_add(self, form):
        crontab = Crontab.load()
        optional = dict((key, form[key]) for key in (
            'misfire', 'misfire_grace', 'timezone', 'logs_limit')
            if form.get(key))
        crons = [Cron(name=form['name'], periodicity=form['periodicity'],
                      activated=form.get('activated', '1'),
                      environ=form.get('environ') or u'{}',
                      user=form.get('user') or None, **optional)
                 for _ in range(int(form.get('count', 1)))]
        for cron in crons:
            crontab.add_cron(cron)
        if len(crons) == 1:
            crons[0].save()
        else:
            crontab.save()
        return {'uids': [cron.uid for cron in crons]}

    def op_edit(self, form):
        cron = Crontab.load().by_uid(form['uid'])
        for key in ('environ', 'periodicity', 'activated'):
            if key in form:
                setattr(cron, key, form[key])
        cron.save()
        return {'uid': cron.uid, 'environ': cron.environ}

    def op_delete(self, form):
        crontab = Crontab.load()
        uids = [uid for uid, cron in crontab.crons.items()
                if cron.name == form.get('name') or uid in form.get('uids', '')]
        for uid in uids:
            del crontab.crons[uid]
        crontab.save()
        return {'deleted': uids}

    def op_force(self, form):
        crontab = Crontab.load()
        for uid in form['uids'].split(','):
            cron = crontab.by_uid(uid)
            getMultiAdapter((self.context, cron), ICronManager).register_job(
                force=True)
        return {'forced': form['uids']}

    def op_backdate(self, form):
        """Queue the crons' jobs ``minutes`` earlier than now, as if they
        had been due that long ago while no worker ran (done while the
        workers are stopped)."""
        crontab = Crontab.load()
        queue = IQueue(self.context)
        due = now() - datetime.timedelta(minutes=int(form['minutes']))
        for uid in form['uids'].split(','):
            queue.remove_cron_jobs(uid)
            queue.register_cron_job(crontab.by_uid(uid), due)
        return {'due': iso(due)}

    def op_orphan_job(self, form):
        """Queue a run of the cron now, then delete the cron behind the
        queue's back (as if it was deleted while its job waited)."""
        crontab = Crontab.load()
        cron = crontab.by_uid(form['uid'])
        getMultiAdapter((self.context, cron), ICronManager).register_job(
            force=True)
        del crontab.crons[cron.uid]
        manager = crontab.manager
        with saving():
            manager.crontab = [record for record in manager.crontab
                               if record_uid(record) != cron.uid]
        return {'orphaned': cron.uid}

    def op_clear_runs(self, form):
        runs_of(self.context).clear()
        return {'cleared': True}
