# -*- coding: utf-8 -*-
"""R5 in the worker: jobs whose runner raises, returns odd types, does not
exist, runs as a missing user, or whose cron was deleted meanwhile."""
import json

from procs import wait_for

YEARLY = '0 0 1 1 *'
FAILURE, OK, WARN, NOTRUN = 0, 1, 2, 3
ODD_KINDS = ('dict', 'int', 'float', 'bool', 'bytes', 'object', 'generator',
             'mixed-list', 'huge', 'datetime')


def job_crons():
    """(case name, cron settings, accepted statuses)."""
    crons = [('runner raises', {'name': 'rel-raise'}, (FAILURE,)),
             ('no runner of that name', {'name': 'no-such-runner'},
              (NOTRUN,)),
             ('cron user does not exist', {'name': 'rel-record',
                                           'user': 'ghost'}, (FAILURE,))]
    crons.extend(('runner returns %s' % kind,
                  {'name': 'rel-odd', 'environ': json.dumps({'kind': kind})},
                  (OK, WARN)) for kind in ODD_KINDS)
    return crons


def add(suite, site, settings):
    form = dict(op='add', periodicity=YEARLY, **settings)
    return suite.edit(site, **form)['uids'][0]


def logged(suite, site, uids):
    crons = dict((cron['uid'], cron) for cron in suite.state(site)['crons'])
    done = all(crons.get(uid, {}).get('logs') for uid in uids)
    return crons if done else None


def orphan_done(suite, site, uid):
    job = suite.state(site)['orphan_jobs'].get(uid)
    return job if job and job['status'] == 'completed-status' else None


def job_cases(suite, site):
    crons = job_crons()
    uids = [add(suite, site, settings) for _, settings, _ in crons]
    orphan = suite.add(site, 'rel-record', YEARLY)[0]
    suite.edit(site, op='force', uids=','.join(uids))
    suite.edit(site, op='orphan-job', uid=orphan)
    states = wait_for(lambda: logged(suite, site, uids), 180, step=2) or {}
    results = [case_result(name, states.get(uid), statuses)
               for (name, _, statuses), uid in zip(crons, uids)]
    results.append(orphan_result(wait_for(
        lambda: orphan_done(suite, site, orphan), 120, step=2)))
    return results


def case_result(name, cron, statuses):
    entry = 'job in the worker'
    if cron is None or not cron['logs']:
        return {'case': name, 'entry': entry, 'result': 'LOST',
                'message': 'no log', 'others_intact': True}
    log = cron['logs'][0]
    queued = (cron['job'] or {}).get('status') == 'pending-status'
    good = log['status'] in statuses and queued
    messages = u' | '.join(log['messages'])[:160]
    return {'case': name, 'entry': entry,
            'result': 'logged' if good else 'error',
            'message': u'status %s: %s; next run queued: %s'
                       % (log['status'], messages, queued),
            'others_intact': True}


def orphan_result(job):
    entry = 'job in the worker'
    name = 'job of a cron deleted meanwhile'
    good = job is not None and 'no longer exists' in (job['result'] or '')
    return {'case': name, 'entry': entry,
            'result': 'logged' if good else 'error',
            'message': (job or {}).get('result') or 'job did not complete',
            'others_intact': True}
