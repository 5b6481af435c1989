# -*- coding: utf-8 -*-
"""P4: due -> start latency in a real instance (like ``make run``).

    .venv/bin/python bench/cronbench/latency.py     # Plone 5.2, zc.async
    .venv6/bin/python bench/cronbench/latency.py    # Plone 6, Huey

Writes bench/var/instance (Python 2) or bench/var/instance6 (Python 3)
with scripts/make_instance.py (its own port), adds the cronbench
components to its site.zcml, creates the site, starts the WSGI worker
(Python 2: a zc.async dispatcher polling every POLL_INTERVAL s, as make
run; Python 3: Huey's consumer on the SQLite task store, as make run
PLONE=6), queues COUNT crons running every minute through
@@cronbench-queue, and waits for REPETITIONS due minutes. Each run's
StampRunner notes the real time it started and when its job was due. The
instance is always stopped.
"""
from __future__ import print_function

import base64
import json
import os
import signal
import subprocess
import sys
import time

from six.moves.urllib.error import URLError
from six.moves.urllib.request import Request
from six.moves.urllib.request import urlopen

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)

from cronbench.stats import percentile  # noqa: E402
from cronbench.stats import record  # noqa: E402
from cronbench.stats import summary  # noqa: E402

PY2 = sys.version_info[0] == 2
#: the virtual environment this runs from (.venv or .venv6)
BIN = os.path.dirname(os.path.abspath(sys.executable))
INSTANCE = os.path.join(BENCH, 'var', 'instance' if PY2 else 'instance6')
STAMPS = os.path.join(BENCH, 'var',
                      'stamps.jsonl' if PY2 else 'stamps6.jsonl')
COUNT = 20
REPETITIONS = 3
SETTINGS = {
    'HOST': '127.0.0.1',
    'PORT': os.environ.get('BENCH_PORT', '18080' if PY2 else '18086'),
    'SITE_ID': 'Plone',
    'ADMIN_USER': 'admin',
    'ADMIN_PASSWORD': 'admin',
    'POLL_INTERVAL': os.environ.get('BENCH_POLL_INTERVAL', '2'),
}
INCLUDE = '  <include package="cronbench" />\n'
#: Huey: the scheduler moves due tasks to the queue once a second (Huey's
#: Consumer default scheduler_interval, which collective.cron keeps)
HUEY_SCHEDULER_INTERVAL = 1.0


def poll_interval():
    """(seconds, what) of the worker's poll interval.

    zc.async: the dispatcher's poll interval (POLL_INTERVAL, written into
    the instance's zope.conf). Huey: the consumer's longest wait between
    two looks at its queue, collective.cron's MAX_DELAY (not configurable
    in zope.conf), on top of which the scheduler's own 1 s tick decides
    when a due task reaches that queue: hence the target, 1 s + this.
    """
    if PY2:
        return (float(SETTINGS['POLL_INTERVAL']),
                'zc.async dispatcher poll interval (POLL_INTERVAL)')
    from collective.cron.hueybackend.consumer import MAX_DELAY
    return (float(MAX_DELAY),
            'Huey consumer max_delay (worker poll; scheduler tick %g s)'
            % HUEY_SCHEDULER_INTERVAL)


def environment(**extra):
    env = dict(os.environ, **SETTINGS)
    env.update(extra)
    return env


def prepare():
    """Instance configuration, cronbench in its site.zcml, the site."""
    subprocess.check_call([os.path.join(BIN, 'python'),
                           os.path.join(ROOT, 'scripts', 'make_instance.py'),
                           INSTANCE], env=environment())
    site_zcml = os.path.join(INSTANCE, 'etc', 'site.zcml')
    with open(site_zcml) as handle:
        text = handle.read()
    if INCLUDE not in text:
        text = text.replace('</configure>', INCLUDE + '</configure>')
        with open(site_zcml, 'w') as handle:
            handle.write(text)
    subprocess.check_call([
        os.path.join(BIN, 'zconsole'), 'run',
        os.path.join(INSTANCE, 'setup', 'etc', 'zope.conf'),
        os.path.join(ROOT, 'scripts', 'create_site.py')], env=environment())


def start():
    log = open(INSTANCE + '.log', 'w')
    env = environment(PYTHONPATH=BENCH, CRONBENCH_STAMPS=STAMPS)
    return subprocess.Popen(
        [os.path.join(BIN, 'runwsgi'), os.path.join(INSTANCE, 'etc',
                                                    'zope.ini')],
        env=env, stdout=log, stderr=subprocess.STDOUT,
        preexec_fn=os.setsid)


def stop(process):
    """SIGINT (the worker's stop signal), then SIGKILL after 30 s."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGINT)
    deadline = time.time() + 30
    while process.poll() is None and time.time() < deadline:
        time.sleep(0.2)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def request(path, data=None):
    url = 'http://%s:%s/%s/%s' % (SETTINGS['HOST'], SETTINGS['PORT'],
                                  SETTINGS['SITE_ID'], path)
    if data is not None:
        data = data.encode('ascii')
    message = Request(url, data)
    token = base64.b64encode(('%s:%s' % (
        SETTINGS['ADMIN_USER'], SETTINGS['ADMIN_PASSWORD'])).encode('ascii'))
    message.add_header('Authorization', 'Basic ' + token.decode('ascii'))
    return urlopen(message, timeout=60).read().decode('utf-8')


def wait_up(process, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError('the instance stopped: see %s.log'
                               % os.path.relpath(INSTANCE, ROOT))
        try:
            request('')
            return
        except (URLError, IOError):
            time.sleep(0.5)
    raise RuntimeError('the instance did not answer in %ss' % seconds)


def read_stamps():
    if not os.path.exists(STAMPS):
        return []
    with open(STAMPS) as handle:
        return [json.loads(line) for line in handle if line.strip()]


def wait_runs(seconds):
    """The stamps, once REPETITIONS due minutes have COUNT runs each."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        stamps = read_stamps()
        minutes = sorted(by_due(stamps).items())[:REPETITIONS]
        if len(minutes) == REPETITIONS and all(
                len(latencies) >= COUNT for due, latencies in minutes):
            return stamps
        time.sleep(1)
    return read_stamps()


def by_due(stamps):
    """due time -> [latency in seconds] of the jobs due then.

    A job retried after a ConflictError calls its runner again: only its
    first start counts (the retries are counted by ``reruns``).
    """
    first = {}
    for stamp in stamps:
        key = (stamp['due'], stamp['uid'])
        first[key] = min(first.get(key, stamp['started']), stamp['started'])
    groups = {}
    for (due, uid), started in first.items():
        groups.setdefault(due, []).append(started - due)
    return groups


def reruns(stamps, dues):
    """How many runner calls were retries, for the jobs due at ``dues``."""
    calls = [stamp for stamp in stamps if stamp['due'] in dues]
    return len(calls) - len(set((s['due'], s['uid']) for s in calls))


def measure(process):
    if os.path.exists(STAMPS):
        os.remove(STAMPS)
    queued = json.loads(request('@@cronbench-queue', 'count=%s' % COUNT))
    print('P4: %s crons queued, due at %s' % (
        len(queued), sorted(set(queued.values()))))
    stamps = wait_runs(60 * (REPETITIONS + 1) + 30)
    request('@@cronbench-queue', 'count=0')
    minutes = sorted(by_due(stamps).items())[:REPETITIONS]
    retried = reruns(stamps, set(due for due, latencies in minutes))
    return [latencies for due, latencies in minutes], retried


def report(minutes, retried):
    poll, what = poll_interval()
    extra = dict(poll_interval=poll, poll=what, crons=COUNT,
                 runner_reruns=retried,
                 jobs=[len(latencies) for latencies in minutes])
    for name, fraction in (('p50', 0.5), ('p99', 0.99), ('max', 1.0)):
        values = [percentile(latencies, fraction) for latencies in minutes]
        record('P4 latency %s' % name, summary(values, 's', **extra))


def main():
    prepare()
    process = start()
    try:
        wait_up(process)
        minutes, retried = measure(process)
    finally:
        stop(process)
    if len(minutes) < REPETITIONS or any(
            len(latencies) < COUNT for latencies in minutes):
        print('P4: incomplete runs: %s' % [len(m) for m in minutes])
    if minutes:
        report(minutes, retried)


if __name__ == '__main__':
    main()
