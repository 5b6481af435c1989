# -*- coding: utf-8 -*-
"""``make bench``: run every benchmark, print the table, write results.json.

1. the in-process benchmarks (P1 P2 P3 P5 P6): zope-testrunner on
   bench/cronbench/tests.py, in collective.cron's functional test layer;
2. the instance benchmark (P4): bench/cronbench/latency.py;
3. the figures they left in bench/results.json.tmp, with the targets, go
   to bench/results.json and to the table printed at the end.
"""
from __future__ import print_function

import datetime
import json
import os
import platform
import subprocess
import sys

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)

from cronbench.stats import PARTIAL  # noqa: E402
from cronbench.stats import load_partial  # noqa: E402
from cronbench.targets import evaluate  # noqa: E402
from cronbench.targets import table  # noqa: E402

BIN = os.path.join(ROOT, '.venv', 'bin')
RESULTS = os.path.join(BENCH, 'results.json')


def run_in_process():
    env = dict(os.environ, PYTHONPATH=BENCH)
    return subprocess.call([os.path.join(BIN, 'zope-testrunner'),
                            '--test-path=' + BENCH, '-s', 'cronbench'],
                           env=env, cwd=ROOT)


def run_instance():
    return subprocess.call([os.path.join(BIN, 'python'),
                            os.path.join(BENCH, 'cronbench', 'latency.py')],
                           cwd=ROOT)


def machine():
    uname = subprocess.check_output(['uname', '-a']).strip()
    return {'uname': uname, 'nproc': os.sysconf('SC_NPROCESSORS_ONLN'),
            'python': platform.python_version(),
            'load_average': list(os.getloadavg())}


def main():
    if os.path.exists(PARTIAL):
        os.remove(PARTIAL)
    started = datetime.datetime.now()
    codes = {'in-process': run_in_process(), 'instance': run_instance()}
    figures = load_partial()
    duration = (datetime.datetime.now() - started).total_seconds()
    results = {
        'date': started.strftime('%Y-%m-%d %H:%M'),
        'duration_s': duration,
        'machine': machine(),
        'exit_codes': codes,
        'figures': figures,
        'targets': evaluate(figures, duration),
    }
    with open(RESULTS, 'w') as handle:
        json.dump(results, handle, indent=1, sort_keys=True)
    print(table(results))
    print('written to %s' % os.path.relpath(RESULTS, ROOT))
    return 0 if not any(codes.values()) else 1


if __name__ == '__main__':
    sys.exit(main())
