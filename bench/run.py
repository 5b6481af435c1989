# -*- coding: utf-8 -*-
"""``make bench``: run every benchmark, print the table, write results.json.

1. the in-process benchmarks (P1 P2 P3 P5 P6 P7 P8): zope-testrunner on
   bench/cronbench/tests.py, in collective.cron's functional test layers
   (P7 with a real WSGI server), with Chameleon's cache of compiled
   templates on disk as a Plone instance has it (CHAMELEON_CACHE);
2. the instance benchmark (P4): bench/cronbench/latency.py;
3. the figures they left in bench/results.json.tmp, with the targets, go
   to bench/results.json and to the table printed at the end.

``bench/run.py P7 [P5 ...]`` runs only the benchmarks named (P4 is the
instance benchmark): their figures replace theirs in bench/results.json,
the other figures and the duration of the last full run are kept, and
``updated`` says when each re-run benchmark ran.

It runs in the virtual environment of the Python it is started with
(``make bench``: .venv, Plone 5.2 on Python 2.7, zc.async; ``make bench
PLONE=6``: .venv6, Plone 6 on Python 3, Huey). results.json keeps both:
Plone 5.2's figures at its top level, Plone 6's in its ``plone6``
section; the table shows both (see cronbench/targets.py). On Python 3 a
full run is the benchmarks of PY3_BENCHMARKS (P6 measures zc.async's own
database).
"""
from __future__ import print_function

import datetime
import json
import os
import platform
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)

from cronbench.stats import PARTIAL  # noqa: E402
from cronbench.stats import load_partial  # noqa: E402
from cronbench.targets import PLATFORMS  # noqa: E402
from cronbench.targets import evaluate  # noqa: E402
from cronbench.targets import table  # noqa: E402

PY2 = sys.version_info[0] == 2
#: the virtual environment this runs from (.venv or .venv6)
BIN = os.path.dirname(os.path.abspath(sys.executable))
#: this Python's section of results.json (None: the top level)
SECTION = None if PY2 else 'plone6'
#: the benchmarks of a full run on Python 3 (Python 2: all of them)
PY3_BENCHMARKS = ('P1', 'P2', 'P3', 'P4', 'P5', 'P7', 'P8')
RESULTS = os.path.join(BENCH, 'results.json')
#: Chameleon's cache of compiled templates for the in-process benchmarks
TEMPLATE_CACHE = os.path.join(BENCH, 'var', 'chameleon')


def template_cache():
    """The directory of CHAMELEON_CACHE (made when missing).

    A Plone instance (plone.recipe.zope2instance, bench/var/instance)
    sets CHAMELEON_CACHE; the test layers do not, and without it Chameleon
    compiles a template each time one is made. Plone 5.2 makes its
    main_template anew on each request (Products.CMFPlone's MainTemplate
    .macros), so that every page would pay its compilation (~0.3 s).
    """
    if not os.path.isdir(TEMPLATE_CACHE):
        os.makedirs(TEMPLATE_CACHE)
    return TEMPLATE_CACHE


def run_in_process(only=()):
    """The in-process benchmarks (only those whose ids are in ``only``,
    e.g. P7: the tests named test_p7_...)."""
    env = dict(os.environ, PYTHONPATH=BENCH,
               CHAMELEON_CACHE=template_cache())
    selection = []
    for ident in only:
        selection.extend(['-t', 'test_%s_' % ident.lower()])
    runner = os.path.join(BIN, 'zope-testrunner')
    if not os.path.exists(runner):
        raise SystemExit('%s is missing: run bench/run.py with the python '
                         'of .venv or .venv6 (make bench [PLONE=6])'
                         % runner)
    return subprocess.call([runner, '--test-path=' + BENCH, '-s',
                            'cronbench'] + selection, env=env, cwd=ROOT)


def run_instance():
    return subprocess.call([os.path.join(BIN, 'python'),
                            os.path.join(BENCH, 'cronbench', 'latency.py')],
                           cwd=ROOT)


def cpu_reference():
    """Seconds (best of 3) of a fixed pure-Python loop in this Python: the
    speed of the machine when the run started, to compare runs by (a
    virtual machine's speed varies with its host's load, which the load
    average does not show)."""
    best = None
    for attempt in range(3):
        started = time.time()
        total = 0
        for number in range(1000000):
            total += number * number
        seconds = time.time() - started
        best = seconds if best is None else min(best, seconds)
    return round(best, 3)


def machine():
    uname = subprocess.check_output(['uname', '-a']).decode('utf-8').strip()
    return {'uname': uname, 'nproc': os.sysconf('SC_NPROCESSORS_ONLN'),
            'python': platform.python_version(),
            'load_average': list(os.getloadavg()),
            'cpu_reference_s': cpu_reference()}


def run_selected(only):
    """Exit codes of the benchmarks ``only`` (all without)."""
    if not only and not PY2:
        only = PY3_BENCHMARKS
    codes = {}
    in_process = [ident for ident in only if ident != 'P4']
    if in_process or not only:
        codes['in-process'] = run_in_process(in_process)
    if 'P4' in only or not only:
        codes['instance'] = run_instance()
    return codes


def merged(results, figures, only, date):
    """The previous results with the figures of the benchmarks ``only``
    replaced by ``figures``."""
    kept = dict((key, figure) for key, figure in results['figures'].items()
                if key.split()[0] not in only)
    kept.update(figures)
    results['figures'] = kept
    results.setdefault('updated', {}).update(
        dict((ident, date) for ident in only))
    results['targets'] = evaluate(kept, results['duration_s'])
    return results


def load_results():
    """results.json (both platforms), or an empty dict."""
    if not os.path.exists(RESULTS):
        return {}
    with open(RESULTS) as handle:
        return json.load(handle)


def this_section(results):
    """This Python's results within results.json's ``results``; without
    figures yet, an empty section as a partial run needs it."""
    section = results if SECTION is None else results.get(SECTION, {})
    if not section.get('figures'):
        section.update(figures={}, duration_s=None, exit_codes={},
                       machine=machine())
    return section


def store_section(results, section):
    """``results`` with this Python's section replaced by ``section``."""
    if SECTION is None:
        others = dict((key, value) for key, value in results.items()
                      if key in [name for label, name in PLATFORMS])
        section.update(others)
        return section
    results[SECTION] = section
    return results


def main(only):
    if os.path.exists(PARTIAL):
        os.remove(PARTIAL)
    started = datetime.datetime.now()
    date = started.strftime('%Y-%m-%d %H:%M')
    codes = run_selected(only)
    figures = load_partial()
    duration = (datetime.datetime.now() - started).total_seconds()
    results = load_results()
    if only:
        section = merged(this_section(results), figures, only, date)
        section['exit_codes'].update(codes)
        section.setdefault('date', date)
    else:
        section = {
            'date': date,
            'duration_s': duration,
            'machine': machine(),
            'exit_codes': codes,
            'figures': figures,
            'targets': evaluate(figures, duration),
        }
    results = store_section(results, section)
    with open(RESULTS, 'w') as handle:
        # the same separators on Python 2 and 3 (one file for both)
        json.dump(results, handle, indent=1, sort_keys=True,
                  separators=(',', ': '))
    print(table(results))
    print('written to %s' % os.path.relpath(RESULTS, ROOT))
    return 0 if not any(codes.values()) else 1


if __name__ == '__main__':
    sys.exit(main([ident.upper() for ident in sys.argv[1:]]))
