# -*- coding: utf-8 -*-
"""The collective.cron reliability suite (``make reliability``).

Starts a ZEO server (main + async storages) and Zope ZEO clients on
127.0.0.1: workers (collective.cron:worker.zcml, poll interval 1 s) and
instances (instance.zcml, no dispatcher), plus the test-only package
``cronrel`` (recording runners, JSON views). Then checks R1 to R5, R9 and
R10, prints
a table, writes reliability/results.json and exits 1 when a figure falls
short. Every process it started is stopped, whatever happens.

On Python 3 (``make reliability PLONE=6``: .venv6, Plone 6, the Huey
backend) it starts a Redis server (Huey's task store) next to the ZEO
server (main storage only), the clients' role is the product-config's
``worker on|off``, and it checks R1 to R4, and R11 (a worker killed for
good: the other takes its job back) when named (the results go under
``plone6`` in results.json, beside the Python 2 ones).

    .venv/bin/python reliability/run.py [--r3-minutes N] [--keep-var]
    .venv6/bin/python reliability/run.py [--huey-storage sqlite]
"""
from __future__ import print_function

import argparse
import json
import os
import platform
import sys
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import procs  # noqa: E402
from procs import get_json  # noqa: E402
from procs import wait_for  # noqa: E402

SITES = ('site1', 'site2', 'site3')
YEARLY = '0 0 1 1 *'
EVERY_MINUTE = '* * * * *'
RESULTS = os.path.join(procs.HERE, 'results.json')
MAX_RESTART_DELAY = 60
HUEY = procs.BACKEND == 'huey'
#: a cron's job waiting for its time, as @@rel-state shows it
PENDING_STATUS = 'pending' if HUEY else 'pending-status'
#: the key of the Python 3 (Huey) results in results.json
PLONE6 = 'plone6'
#: the checks run when --only does not say (R5, R9, R10: Python 2 only)
DEFAULT_CHECKS = ('R1', 'R2', 'R3', 'R4') if HUEY else None


def minute_key(timestamp):
    return time.strftime('%Y-%m-%d %H:%M', time.gmtime(timestamp))


def read_events():
    path = os.path.join(procs.VAR, 'events.jsonl')
    if not os.path.exists(path):
        return []
    with open(path) as handle:
        return [json.loads(line) for line in handle if line.strip()]


class Suite(object):

    def __init__(self, options):
        self.options = options
        self.results = {}
        self.zeo_port = procs.free_port()
        self.zeo = None
        self.redis = None
        self.clients = {}
        #: the Huey settings of the clients (Python 3)
        self.huey = {'storage': options.huey_storage,
                     'file': os.path.join(procs.VAR, 'huey.db'),
                     'redis_url': None,
                     'dead_after': options.dead_after}

    # -- processes -----------------------------------------------------

    def client(self, name, role):
        if name not in self.clients:
            self.clients[name] = procs.ZopeClient(name, role, self.zeo_port,
                                                  huey=self.huey)
        return self.clients[name]

    def start_clients(self, *names):
        for name in names:
            self.clients[name].start()
        for name in names:
            self.clients[name].wait_http()
            if self.clients[name].role == 'worker':
                self.wait_active(self.clients[name])

    def async_state(self, name='A'):
        return get_json(self.clients[name].url + '/@@rel-async', auth=False)

    def wait_active(self, worker, timeout=120):
        """Wait until the worker's dispatcher is active in the queue (and
        the queue has its 'default' quota), or its Huey consumer runs;
        return the time."""
        def active():
            if HUEY:
                state = get_json(worker.url + '/@@rel-async', auth=False)
                return (state or {}).get('consumer')
            state = get_json(worker.url + '/@@rel-async', auth=False) or {}
            info = (state.get('dispatchers') or {}).get(worker.uuid) or {}
            ready = 'default' in (state.get('quotas') or [])
            return ready and info.get('activated') and not info.get('dead')
        if not wait_for(active, timeout, step=0.5):
            raise RuntimeError('dispatcher of %s not active' % worker.name)
        return time.time()

    def setup(self):
        procs.fresh_var()
        if HUEY and self.huey['storage'] == 'redis':
            self.redis = procs.RedisServer().start()
            self.huey['redis_url'] = self.redis.url
        self.zeo = procs.zeo_server(self.zeo_port).start()
        self.client('W1', 'worker')
        self.client('W2', 'worker')
        self.client('A', 'instance')
        self.client('B', 'instance')
        self.client('setup', 'instance')
        self.start_clients('W1')
        self.start_clients('A')
        if HUEY:  # one site per process on Plone 6 (see setup_sites.py)
            for site in SITES:
                self.clients['setup'].zconsole('setup_sites.py', site)
        else:
            self.clients['setup'].zconsole('setup_sites.py', *SITES)

    # -- site helpers --------------------------------------------------

    def site_url(self, site, name='A'):
        return '%s/%s' % (self.clients[name].url, site)

    def state(self, site, name='A'):
        data = get_json(self.site_url(site, name) + '/@@rel-state')
        if data is None:
            raise RuntimeError('no @@rel-state from %s/%s' % (name, site))
        return data

    def edit(self, site, via='A', **form):
        url = self.site_url(site, via) + '/@@rel-crontab'
        data = get_json(url, data=form)
        if data is None:
            raise RuntimeError('@@rel-crontab %r failed on %s' % (form, site))
        return data

    def add(self, site, name, periodicity, count=1, activated='1',
            environ=None, **settings):
        """Add crons; ``settings``: misfire, misfire_grace, timezone,
        logs_limit (text)."""
        return self.edit(site, op='add', name=name, periodicity=periodicity,
                         count=str(count), activated=activated,
                         environ=json.dumps(environ or {}),
                         **settings)['uids']

    def pending(self, site, activated=True):
        """uids of the activated (or deactivated) crons with a pending job
        (on Huey, whose task is in Huey's store too), and all of them."""
        crons = [cron for cron in self.state(site)['crons']
                 if cron['activated'] == activated]
        queued = [cron['uid'] for cron in crons if queued_job(cron['job'])]
        return queued, [cron['uid'] for cron in crons]

    def pending_counts(self, activated=True):
        counts = [self.pending(site, activated) for site in SITES]
        return (sum(len(queued) for queued, _ in counts),
                sum(len(every) for _, every in counts))

    def wipe_queue(self):
        """What a lost queue looks like: every zc.async job removed (the
        marks kept), or Huey's task store emptied (the job records and the
        marks, in the main ZODB, kept). No worker runs meanwhile."""
        if not HUEY:
            self.clients['setup'].zconsole('wipe_queue.py')
        elif self.redis is not None:
            if not self.redis.flush():
                raise RuntimeError('FLUSHDB failed')
        else:
            self.remove_sqlite_store()

    def remove_sqlite_store(self):
        """Delete Huey's SQLite file; the clients that have it open are
        stopped meanwhile (and started again)."""
        running = [name for name, client in sorted(self.clients.items())
                   if client.process is not None and client.process.running()]
        for name in running:
            self.clients[name].process.stop()
        for suffix in ('', '-wal', '-shm'):
            if os.path.exists(self.huey['file'] + suffix):
                os.remove(self.huey['file'] + suffix)
        self.start_clients(*running)

    # -- R1 ------------------------------------------------------------

    def r1_restart(self):
        for site in SITES:
            self.add(site, 'rel-record', YEARLY, count=5)
            self.add(site, 'rel-record', YEARLY, activated='0')
        before, total = self.pending_counts()
        worker = self.clients['W1']
        clean = worker.process.stop()
        self.wipe_queue()
        lost, _ = self.pending_counts()
        worker.start()
        started = worker.process.started
        worker.wait_http()
        wait_for(lambda: self.pending_counts()[0] == total, 180, step=1)
        after, total = self.pending_counts()
        figures = {
            'sites': len(SITES), 'activated_crons': total,
            'pending_before_stop': before, 'clean_stop': clean,
            'pending_after_wipe': lost, 'pending_after_restart': after,
            'seconds_restart_to_all_queued': round(time.time() - started, 1),
        }
        deactivated = self.pending_counts(activated=False)
        figures.update(deactivated_crons=deactivated[1],
                       deactivated_pending_after_restart=deactivated[0])
        figures['ok'] = (after == total == before and lost == 0
                         and deactivated[0] == 0)
        if HUEY:
            figures['huey_storage'] = self.huey['storage']
        return figures

    # -- R2 ------------------------------------------------------------

    def r2_crash(self):
        site = 'site1'
        sleeper = self.add(site, 'rel-sleep', EVERY_MINUTE,
                           environ={'sleep': 20})[0]
        recorder = self.add(site, 'rel-record', EVERY_MINUTE)[0]
        worker = self.clients['W1']
        start = wait_for(lambda: self.event('start', sleeper,
                                            pid=worker.process.pid), 150)
        if start is None:
            raise RuntimeError('the sleep runner never started')
        time.sleep(3)
        worker.process.kill()
        killed = time.time()
        stale = self.r2_stale(worker, site, sleeper)
        figures = self.r2_restart(worker, start, sleeper, recorder)
        figures.update(stale, killed_at=killed)
        self.edit(site, op='delete', uids=','.join([sleeper, recorder]))
        return figures

    def r2_stale(self, worker, site, sleeper):
        """What the killed worker left: its activation in zc.async's queue,
        or the sleeper's job record still claimed by it (Huey)."""
        if not HUEY:
            stale = self.async_state()['dispatchers'].get(worker.uuid) or {}
            return {'stale_activation_after_kill': bool(stale.get(
                'activated'))}
        job = (self.cron(site, sleeper) or {}).get('job') or {}
        claimed = (job.get('status') == 'running'
                   and job.get('worker') == worker.name)
        return {'job_claimed_by_dead_worker': claimed}

    def r2_released(self, worker):
        """The restarted worker released what its dead run held: the
        activation (zc.async) or the claimed job, given back and scheduled
        again (Huey's restart recovery)."""
        if not HUEY:
            return {'stale_registration_released': worker.log_count(
                'released the activation') > 0}
        return {'claimed_job_given_back': worker.log_count(
            'lost task(s) scheduled again') > 0}

    def event(self, kind, uid=None, pid=None, after=0):
        for event in read_events():
            if (event['event'] == kind and event['time'] > after
                    and uid in (None, event['uid'])
                    and pid in (None, event['pid'])):
                return event
        return None

    def r2_restart(self, worker, start, sleeper, recorder):
        worker.start()
        spawned = worker.process.started
        ready = worker.wait_http()
        first = wait_for(lambda: self.event('start', pid=worker.process.pid),
                         240, step=0.5)
        delay = first['time'] - spawned if first else None
        rerun = wait_for(lambda: self.run_of('site1', start['key']), 180)
        due = start['key'].split('|')[1]
        following = wait_for(lambda: self.later_run('site1', sleeper, due),
                             180)
        cron = self.cron('site1', sleeper)
        figures = self.r2_released(worker)
        figures.update({
            'seconds_restart_to_first_job': round(delay, 1) if delay else None,
            'seconds_http_ready_to_first_job':
                round(first['time'] - ready, 1) if first else None,
            'interrupted_run': start['key'],
            'interrupted_run_rerun_count': (rerun or [0])[0],
            'next_scheduled_run': following,
            'recorder_ran_after_restart': bool(self.later_run(
                'site1', recorder, due)),
            'cron_still_in_crontab': cron is not None,
            'cron_job_status': ((cron or {}).get('job') or {}).get('status'),
            'ok': bool(first and delay <= MAX_RESTART_DELAY and rerun
                       and following and cron),
        })
        return figures

    def run_of(self, site, key):
        return self.state(site)['runs'].get(key)

    def later_run(self, site, uid, due):
        for key in sorted(self.state(site)['runs']):
            run_uid, run_due = key.split('|')
            if run_uid == uid and run_due > due:
                return key
        return None

    def cron(self, site, uid):
        for cron in self.state(site)['crons']:
            if cron['uid'] == uid:
                return cron
        return None

    # -- R11 -----------------------------------------------------------

    def r11_takeover(self):
        """A worker killed during a run and never started again: the other
        worker takes its job back after the bound (Huey's heartbeats), the
        interrupted run is made once and the next run follows."""
        site = 'site2'
        self.running('W1', 'W2')
        sleeper = self.add(site, 'rel-sleep', EVERY_MINUTE,
                           environ={'sleep': 20})[0]
        start = wait_for(lambda: self.event('start', sleeper), 150)
        if start is None:
            raise RuntimeError('the sleep runner never started')
        dead, alive = self.r11_workers(start['pid'])
        time.sleep(3)
        dead.process.kill()
        killed = time.time()
        claimed = ((self.cron(site, sleeper) or {}).get('job') or {})
        rerun = wait_for(lambda: self.event('start', sleeper, after=killed),
                         self.options.dead_after * 3 + 120, step=0.5)
        counted = wait_for(lambda: self.run_of(site, start['key']), 120)
        due = start['key'].split('|')[1]
        following = wait_for(lambda: self.later_run(site, sleeper, due),
                             180)
        taken = alive.log_count('held by dead worker %s was taken back'
                                % dead.name)
        self.edit(site, op='delete', uids=sleeper)
        return {
            'bound_seconds': self.options.dead_after,
            'killed': dead.name, 'survivor': alive.name,
            'job_claimed_by_killed_worker': (
                claimed.get('status') == 'running'
                and claimed.get('worker') == dead.name),
            'seconds_kill_to_rerun': (round(rerun['time'] - killed, 1)
                                      if rerun else None),
            'rerun_by_survivor': bool(rerun and
                                      rerun['pid'] == alive.process.pid),
            'interrupted_run_count': counted[0] if counted else 0,
            'next_scheduled_run': following,
            'takeover_log_lines': taken,
            'ok': bool(rerun and rerun['key'] == start['key']
                       and rerun['pid'] == alive.process.pid
                       and counted and counted[0] == 1 and following
                       and taken == 1),
        }

    def r11_workers(self, pid):
        """(the worker running ``pid``, the other one)."""
        first, second = self.clients['W1'], self.clients['W2']
        if first.process.pid == pid:
            return first, second
        return second, first

    # -- R3 ------------------------------------------------------------

    def r3_start(self):
        self.start_clients('W2')
        uids = {}
        for site in ('site1', 'site3'):
            self.edit(site, op='clear-runs')
            uids[site] = self.add(site, 'rel-record', EVERY_MINUTE,
                                  count=self.options.r3_crons // 2)
        first = (int(time.time()) // 60 + 1) * 60
        minutes = [first + 60 * index
                   for index in range(self.options.r3_minutes)]
        return uids, minutes

    def r3_finish(self, uids, minutes):
        settle = minutes[-1] + 60 + 45
        time.sleep(max(0, settle - time.time()))
        figures = {'crons': sum(len(values) for values in uids.values()),
                   'minutes': len(minutes), 'expected': 0, 'executed': 0,
                   'duplicates': 0, 'missed': 0, 'by_worker_pid': {},
                   'max_start_delay_s': 0}
        for site, site_uids in uids.items():
            self.r3_count(figures, self.state(site)['runs'], site_uids,
                          minutes)
            self.edit(site, op='delete', uids=','.join(site_uids))
        figures['ok'] = (figures['expected'] >= 200
                         and figures['duplicates'] == 0
                         and figures['missed'] == 0)
        return figures

    def r3_count(self, figures, runs, uids, minutes):
        for uid in uids:
            for minute in minutes:
                figures['expected'] += 1
                run = runs.get('%s|%s' % (uid, minute_key(minute)))
                if run is None:
                    figures['missed'] += 1
                    continue
                figures['executed'] += 1
                figures['duplicates'] += run[0] - 1
                pid = str(run[3])
                figures['by_worker_pid'][pid] = (
                    figures['by_worker_pid'].get(pid, 0) + 1)
                figures['max_start_delay_s'] = round(max(
                    figures['max_start_delay_s'], run[1] - minute), 1)

    # -- R4 ------------------------------------------------------------

    def r4_edits(self):
        site = 'site2'
        self.start_clients('B')
        targets = self.add(site, 'rel-record', YEARLY, count=8)
        calls_before = sum(self.async_state(name)['calls']['edit']
                           for name in ('A', 'B'))
        outcomes = []
        threads = [threading.Thread(target=self.r4_worker, args=(
            site, name, index, targets[2 * (2 * i + index):][:2], outcomes))
            for i, name in enumerate(('A', 'B')) for index in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        calls = sum(self.async_state(name)['calls']['edit']
                    for name in ('A', 'B')) - calls_before
        return self.r4_check(site, outcomes, calls)

    def r4_worker(self, site, name, index, targets, outcomes):
        url = self.site_url(site, name) + '/@@rel-crontab'
        for step in range(self.options.r4_rounds):
            tag = '%s%s-%s' % (name, index, step)
            status, body = procs.request(url, data={
                'op': 'add', 'name': 'rel-record', 'periodicity': YEARLY,
                'environ': json.dumps({'tag': tag})})
            outcomes.append(('add', tag, None, status, body[:300]))
            target = targets[step % len(targets)]
            status, body = procs.request(url, data={
                'op': 'edit', 'uid': target,
                'environ': json.dumps({'v': step, 'by': tag})})
            outcomes.append(('edit', tag, target, status, body[:300]))

    def r4_check(self, site, outcomes, calls):
        crons = self.state(site)['crons']
        tags = [cron['environ'].get('tag') for cron in crons]
        environs = dict((cron['uid'], cron['environ']) for cron in crons)
        added = [o for o in outcomes if o[0] == 'add']
        edits = [o for o in outcomes if o[0] == 'edit']
        ok_adds = [o[1] for o in added if o[3] == 200]
        failed = [o for o in outcomes if o[3] != 200]
        lost_adds = [tag for tag in ok_adds if tags.count(tag) != 1]
        ghost_adds = [o[1] for o in added if o[3] != 200 and o[1] in tags]
        lost_edits = self.r4_lost_edits(edits, environs)
        return {
            'saves': len(outcomes), 'succeeded': len(outcomes) - len(failed),
            'failed_with_error': len(failed),
            'errors': sorted(set('%s %s' % (o[3], o[4][:80])
                                 for o in failed))[:5],
            'view_calls_incl_conflict_retries': calls,
            'conflict_retries': calls - len(outcomes),
            'lost_adds': len(lost_adds), 'half_written': len(ghost_adds),
            'lost_edits': len(lost_edits),
            'ok': (len(outcomes) >= 100 and not lost_adds and not ghost_adds
                   and not lost_edits),
        }

    def r4_lost_edits(self, edits, environs):
        last = {}
        for kind, tag, uid, status, body in edits:
            if status == 200:
                last[uid] = tag
        return [uid for uid, tag in last.items()
                if environs.get(uid, {}).get('by') != tag]

    # -- R5 ------------------------------------------------------------

    def r5_bad_input(self):
        site = 'site2'
        self.add(site, 'rel-record', YEARLY, count=3)
        before = self.valid_crons(site)
        cases = get_json(self.site_url(site) + '/@@rel-bad-input',
                         data={'go': '1'}, timeout=300)
        if cases is None:
            cases = [{'case': '@@rel-bad-input', 'entry': 'Python API',
                      'result': 'error', 'message': 'the view failed (see '
                      'var/A/event.log)', 'others_intact': False}]
        cases.extend(self.r5_forms(site))
        cases.extend(self.r5_jobs(site))
        after = self.valid_crons(site)
        intact = all(item in after.items() for item in before.items())
        bad = [case for case in cases
               if case['result'] in ('ACCEPTED', 'error', 'LOST')
               or not case['others_intact']]
        return {'cases': len(cases), 'refused_or_logged': len(cases) - len(bad),
                'not_handled': [case['case'] for case in bad],
                'other_crons_intact': intact,
                'invalid_records_kept': self.state(site)['invalid_records'],
                'details': cases,
                'ok': len(cases) >= 30 and not bad and intact}

    def valid_crons(self, site):
        return dict((cron['uid'], (cron['name'], cron['periodicity'],
                                   json.dumps(cron['environ'])))
                    for cron in self.state(site)['crons']
                    if not cron['name'].startswith('rel-odd'))

    def r5_forms(self, site):
        from badforms import form_cases
        return form_cases(self, site)

    def r5_jobs(self, site):
        from badjobs import job_cases
        return job_cases(self, site)

    # -- R9 ------------------------------------------------------------

    def running(self, *names):
        """Start those of the clients that are not running."""
        stopped = [name for name in names
                   if self.clients[name].process is None
                   or not self.clients[name].process.running()]
        self.start_clients(*stopped)

    def r9_overlap(self):
        """Long runs (rel-sleep) every minute on two workers, and "run
        now" on every cron every few seconds: a job of a cron whose run is
        still going must not run (NOTRUN), whichever worker takes it."""
        site = 'site2'
        self.running('W1', 'W2')
        began = time.time()
        uids = self.add(site, 'rel-sleep', EVERY_MINUTE,
                        count=self.options.r9_crons, logs_limit='25',
                        environ={'sleep': self.options.r9_sleep})
        until = began + self.options.r9_seconds
        while time.time() < until:
            self.edit(site, op='force', uids=','.join(uids))
            time.sleep(self.options.r9_every)
        for uid in uids:
            self.edit(site, op='edit', uid=uid, activated='0')
        time.sleep(self.options.r9_sleep + 10)
        figures = self.r9_count(site, uids, began)
        self.edit(site, op='delete', uids=','.join(uids))
        return figures

    def r9_count(self, site, uids, began):
        runs = dict((uid, []) for uid in uids)
        pids = {}
        for event in read_events():
            if event['uid'] in runs and event['time'] >= began:
                runs[event['uid']].append(event)
                if event['event'] == 'start':
                    pids[str(event['pid'])] = pids.get(str(event['pid']),
                                                       0) + 1
        overlaps = sum(overlapping(events) for events in runs.values())
        skipped = 0
        for cron in self.state(site)['crons']:
            if cron['uid'] in runs:
                skipped += len([log for log in cron['logs']
                                if log['status'] == 3 and log['messages']
                                and log['messages'][0].startswith(
                                    'previous run still running')])
        started = sum(pids.values())
        return {'crons': len(uids), 'runs': started,
                'not_run_previous_still_running': skipped,
                'due_runs': started + skipped, 'overlaps': overlaps,
                'runs_by_worker_pid': pids,
                'ok': (overlaps == 0 and started + skipped >= 50
                       and skipped > 0 and len(pids) == 2)}

    # -- R10 -----------------------------------------------------------

    def r10_downtime(self):
        """Crons (yearly) whose job was due 10 minutes ago while no worker
        ran: the workers are stopped, the jobs are queued again 10 minutes
        in the past (the downtime, simulated), one worker is started.
        Crons without a policy behave as 2.x: no run and no log, their
        next run queued, whether the start's re-synchronisation (in a
        thread of its own) replaces the overdue job or the dispatcher takes
        it first (the job wrapper then drops it, see job.zombie)."""
        site = 'site3'
        self.edit(site, op='clear-runs')
        count = self.options.r10_crons
        uids = {}
        for policy in ('run_once', 'skip', ''):
            uids[policy or 'none'] = self.add(site, 'rel-record', YEARLY,
                                              count=count, misfire=policy)
        stopped = [name for name in ('W1', 'W2')
                   if self.clients[name].process is not None
                   and self.clients[name].process.running()]
        for name in stopped:
            self.clients[name].process.stop()
        every = [uid for group in uids.values() for uid in group]
        due = self.edit(site, op='backdate', uids=','.join(every),
                        minutes=str(self.options.r10_minutes))['due']
        self.start_clients('W1')
        wait_for(lambda: self.r10_settled(site, uids, due), 120, step=1)
        time.sleep(5)
        figures = self.r10_count(site, uids, due)
        figures.update(due=due, downtime_minutes=self.options.r10_minutes)
        self.edit(site, op='delete', uids=','.join(every))
        return figures

    def r10_settled(self, site, uids, due):
        """True when every run_once and skip cron has a log and every cron
        without a policy has its next run queued."""
        crons = dict((cron['uid'], cron) for cron in self.state(site)['crons'])
        return (all(crons[uid]['logs'] for policy in ('run_once', 'skip')
                    for uid in uids[policy])
                and all(requeued(crons[uid], due) for uid in uids['none']))

    def r10_count(self, site, uids, due):
        runs = self.state(site)['runs']
        crons = dict((cron['uid'], cron) for cron in self.state(site)['crons'])
        figures = {}
        for policy, group in uids.items():
            counts = [sum(run[0] for key, run in runs.items()
                          if key.startswith(uid + '|')) for uid in group]
            skipped = [uid for uid in group if any(
                log['status'] == 3 and log['messages'][0].startswith(
                    'missed, skipped') for log in crons[uid]['logs'])]
            queued = [uid for uid in group if requeued(crons[uid], due)]
            figures[policy] = {'crons': len(group),
                               'catch_up_runs_per_cron': sorted(set(counts)),
                               'logged_missed_skipped': len(skipped),
                               'with_logs': len([uid for uid in group
                                                 if crons[uid]['logs']]),
                               'next_run_queued': len(queued)}
        figures['ok'] = (
            figures['none']['catch_up_runs_per_cron'] == [0]
            and figures['none']['with_logs'] == 0
            and figures['run_once']['catch_up_runs_per_cron'] == [1]
            and figures['skip']['catch_up_runs_per_cron'] == [0]
            and figures['skip']['logged_missed_skipped'] == len(uids['skip'])
            and all(figures[policy]['next_run_queued'] == len(uids[policy])
                    for policy in uids))
        return figures

    # -- driver --------------------------------------------------------

    def step(self, name, function, *args):
        only = self.options.only
        if only and name != 'setup' and name.split()[0] not in only:
            return None
        began = time.time()
        print('--- %s' % name)
        sys.stdout.flush()
        try:
            figures = function(*args)
        except Exception as exc:  # noqa: B902 (reported, next step runs)
            traceback.print_exc()
            figures = {'ok': False, 'error': '%s: %s' % (
                type(exc).__name__, exc)}
        figures['seconds'] = round(time.time() - began, 1)
        self.results[name] = figures
        print(json.dumps(dict((k, v) for k, v in figures.items()
                              if k != 'details'), sort_keys=True))
        sys.stdout.flush()
        return figures

    def run(self):
        self.step('setup', self.setup_step)
        if not self.results['setup']['ok']:
            return
        self.step('R1 restart', self.r1_restart)
        self.step('R2 crash', self.r2_crash)
        r3 = {}
        self.step('R3 start', self.r3_start_step, r3)
        self.step('R4 concurrent edits', self.r4_edits)
        if r3.get('minutes'):
            self.step('R3 two workers', self.r3_finish, r3['uids'],
                      r3['minutes'])
        self.step('R5 bad input', self.r5_bad_input)
        self.step('R9 no overlap', self.r9_overlap)
        self.step('R10 downtime', self.r10_downtime)
        if HUEY:
            self.step('R11 takeover', self.r11_takeover)

    def setup_step(self):
        self.setup()
        return {'ok': True}

    def r3_start_step(self, holder):
        holder['uids'], holder['minutes'] = self.r3_start()
        return {'ok': True, 'first_due': minute_key(holder['minutes'][0])}


def queued_job(job):
    """True when a cron's job (as the state view shows it) is pending; on
    Huey, its task must be in Huey's store too (the job records are the
    truth, the store carries the tasks)."""
    job = job or {}
    return (job.get('status') == PENDING_STATUS
            and job.get('task_stored', True))


def requeued(cron, due):
    """True when the cron (as the state view shows it) has a pending job
    that is not the one due at ``due`` (its next run is queued)."""
    job = cron['job'] or {}
    return job.get('status') == PENDING_STATUS and job.get('begins') != due


def overlapping(events):
    """How many runs started while another run of the cron was going on
    (``events``: the start and end events of one cron's runs)."""
    count, going = 0, 0
    for event in sorted(events, key=lambda item: (item['time'],
                                                  item['event'] == 'start')):
        if event['event'] == 'start':
            count += 1 if going else 0
            going += 1
        else:
            going = max(0, going - 1)
    return count


def table(results):
    lines = ['%-22s %-5s %s' % ('check', 'ok', 'figures')]
    for name in sorted(results):
        figures = results[name]
        shown = dict((k, v) for k, v in figures.items()
                     if k not in ('ok', 'details'))
        lines.append('%-22s %-5s %s' % (name, 'yes' if figures['ok'] else
                                        'NO', json.dumps(shown,
                                                         sort_keys=True)))
    return '\n'.join(lines)


def write_results(suite, began):
    """Write this run's figures: Python 2's at the top of results.json,
    Python 3's under PLONE6; the other Python's are kept."""
    data = {'date': time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()),
            'machine': '%s, %s cores, %s' % (platform.node(),
                                             os.sysconf('SC_NPROCESSORS_ONLN'),
                                             platform.platform()),
            'python': platform.python_version(),
            'minutes': round((time.time() - began) / 60.0, 1),
            'results': suite.results}
    if HUEY:
        data['huey_storage'] = suite.huey['storage']
    stored = {}
    if os.path.exists(RESULTS):
        with open(RESULTS) as handle:
            stored = json.load(handle)
    if HUEY:
        stored[PLONE6] = data
    else:
        stored = dict(data, **dict((key, value) for key, value in
                                   stored.items() if key == PLONE6))
    with open(RESULTS, 'w') as handle:
        json.dump(stored, handle, indent=2, sort_keys=True,
                  separators=(',', ': '))
    return data


def options():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    # Python 3: 70 crons x 3 minutes = 210 due runs in about 5 minutes
    parser.add_argument('--r3-minutes', type=int, default=3 if HUEY else 6)
    parser.add_argument('--r3-crons', type=int, default=70 if HUEY else 40)
    parser.add_argument('--r4-rounds', type=int, default=20)
    parser.add_argument('--r9-crons', type=int, default=10)
    parser.add_argument('--r9-seconds', type=int, default=90)
    parser.add_argument('--r9-sleep', type=int, default=20)
    parser.add_argument('--r9-every', type=int, default=6)
    parser.add_argument('--r10-crons', type=int, default=5)
    parser.add_argument('--r10-minutes', type=int, default=10)
    parser.add_argument('--only', nargs='*', default=DEFAULT_CHECKS,
                        help='run only these checks (R1 ... R5, R9, R10; '
                        'on Python 3 the default is R1 to R4; R11 on '
                        'Python 3 only)')
    parser.add_argument('--dead-after', type=int, default=30,
                        help='Python 3: the workers\' worker-dead-after '
                        '(seconds; R11 waits for it)')
    parser.add_argument('--huey-storage', choices=('redis', 'sqlite'),
                        default='redis',
                        help='Python 3: Huey\'s task store (sqlite: one '
                        'file shared by the processes)')
    return parser.parse_args()


def main():
    procs.install_cleanup()
    began = time.time()
    suite = Suite(options())
    try:
        suite.run()
    finally:
        procs.stop_all()
        data = write_results(suite, began)
    print()
    print(table(suite.results))
    print('total %s minutes; results in %s' % (data['minutes'], RESULTS))
    failed = [name for name, figures in suite.results.items()
              if not figures['ok']]
    return 1 if failed or not suite.results else 0


if __name__ == '__main__':
    sys.exit(main())
