# -*- coding: utf-8 -*-
"""The geometry of a cron's history chart (the cron's page, ``cron.pt``).

Pure functions of a cron's logs, without Plone: one bar per kept run,
oldest on the left, newest on the right (the order of the runs, which is
the logs' order reversed, not the order of their dates); its height is
the run's duration, scaled to the longest run of the chart. A run
without a duration (a log of 2.x, which did not note the start) is a
small marker on the baseline instead of a bar. The page renders the bars
as an inline SVG, one ``<rect>`` (or ``<circle>`` for a marker) each.

The chart is ``WIDTH`` x ``HEIGHT`` SVG units: a label row on top (the
longest duration, at the level of the tallest bar), the bars between
``TOP`` and the baseline ``BASELINE``.
"""
from collections import namedtuple

#: the chart's size (SVG user units; the page scales it down if needed)
WIDTH = 600
HEIGHT = 120
#: the horizontal margins of the bars
MARGIN = 4
#: the top of the tallest bar (the label row is above it)
TOP = 18
#: the baseline of the bars
BASELINE = HEIGHT - 4
#: the widest room a run gets (few runs do not make wide bars)
MAX_SLOT = 40.0
#: the share of its room a bar fills (the rest is the gap between bars)
FILL = 0.75
#: the lowest bar: a run of 0 s, or much shorter than the longest, shows
MIN_BAR = 2.0
#: the radius of the marker of a run without a duration
MARKER_RADIUS = 4.0


class Bar(namedtuple('Bar', 'log seconds x width y height')):
    """One run: its log, its duration in seconds (None: unknown) and the
    box of its bar (for a marker, the box of its circle)."""

    __slots__ = ()

    @property
    def status(self):
        return self.log.status

    @property
    def marker(self):
        """True for a run without a duration (drawn as a circle)."""
        return self.seconds is None

    @property
    def cx(self):
        return self.x + self.width / 2.0

    @property
    def cy(self):
        return self.y + self.height / 2.0

    @property
    def r(self):
        return self.height / 2.0


def seconds(log):
    """The run's duration in seconds (float, never negative), None for a
    log without a start."""
    duration = log.duration
    if duration is None:
        return None
    return max(duration.total_seconds(), 0.0)


def runs(logs):
    """The logs in the order of their runs: the oldest first (a cron keeps
    its logs newest first)."""
    return list(reversed(logs))


def longest(logs):
    """The log of the longest run (the first of equals), None when no log
    has a duration."""
    timed = [log for log in logs if seconds(log) is not None]
    if not timed:
        return None
    return max(timed, key=seconds)


def slot_width(count, width=WIDTH):
    """The room of one run: the chart's width shared by ``count`` runs, at
    most MAX_SLOT."""
    return min(float(width - 2 * MARGIN) / max(count, 1), MAX_SLOT)


def bar_height(value, top_value):
    """The height of a bar of ``value`` seconds when the longest run took
    ``top_value`` seconds: proportional, at least MIN_BAR."""
    if not top_value:
        return MIN_BAR
    return max(MIN_BAR, (BASELINE - TOP) * value / top_value)


def bars(logs, width=WIDTH):
    """The Bars of ``logs`` (a cron's logs, newest first), oldest first."""
    ordered = runs(logs)
    slot = slot_width(len(ordered), width)
    bar_width = slot * FILL
    top_log = longest(ordered)
    top_value = seconds(top_log) if top_log is not None else None
    result = []
    for index, log in enumerate(ordered):
        x = MARGIN + index * slot + (slot - bar_width) / 2.0
        value = seconds(log)
        if value is None:
            side = min(2 * MARKER_RADIUS, bar_width)
            result.append(Bar(log, None, x + (bar_width - side) / 2.0, side,
                              BASELINE - side - 1, side))
            continue
        height = bar_height(value, top_value)
        result.append(Bar(log, value, x, bar_width, BASELINE - height,
                          height))
    return result


def counts(logs, statuses):
    """(status, number of logs with it) for each of ``statuses`` that some
    log has, in the order of ``statuses``."""
    found = [log.status for log in logs]
    return [(status, found.count(status)) for status in statuses
            if status in found]


def number(value):
    """An SVG coordinate as text: at most 2 decimals, no trailing zero."""
    shown = '%.2f' % value
    return shown.rstrip('0').rstrip('.') if '.' in shown else shown
