# -*- coding: utf-8 -*-
"""Figures: repeated measures summarised as median, min and max.

The in-process benchmarks and the instance benchmark each add their figures
to ``bench/results.json.tmp``; ``bench/run.py`` turns it into the table and
``bench/results.json``.
"""
import json
import math
import os
import time

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PARTIAL = os.path.join(BENCH, 'results.json.tmp')


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2.0


def percentile(values, fraction):
    """The nearest-rank percentile (``fraction`` in 0..1)."""
    ordered = sorted(values)
    rank = max(1, int(math.ceil(fraction * len(ordered))))
    return ordered[min(rank, len(ordered)) - 1]


def summary(values, unit, **extra):
    figure = {'median': median(values), 'min': min(values),
              'max': max(values), 'runs': len(values), 'unit': unit,
              'values': list(values)}
    figure.update(extra)
    return figure


def timed(function, *args):
    """(seconds, result) of one call."""
    start = time.time()
    result = function(*args)
    return time.time() - start, result


def load_partial():
    if not os.path.exists(PARTIAL):
        return {}
    with open(PARTIAL) as handle:
        return json.load(handle)


def record(key, figure):
    """Add one figure to the partial results (kept across processes)."""
    results = load_partial()
    results[key] = figure
    with open(PARTIAL, 'w') as handle:
        json.dump(results, handle, indent=1, sort_keys=True)
    return figure
