# -*- coding: utf-8 -*-
"""The targets of the benchmarks, checked on the figures, and the table.

results.json holds the figures of Plone 5.2 (Python 2.7, zc.async) at its
top level, as before Plone 6, and those of Plone 6 (Python 3, Huey) in its
``plone6`` section, with the same keys; the table shows both, side by
side: each figure and each target has one row per platform measured.
"""

BUDGET_S = 15 * 60
#: (label, section of results.json: None for the top level)
PLATFORMS = (('Plone 5.2', None), ('Plone 6', 'plone6'))


def median_of(figures, key):
    figure = figures.get(key)
    return figure['median'] if figure else None


def ratio(figures, top, bottom):
    high, low = median_of(figures, top), median_of(figures, bottom)
    if high is None or not low:
        return None
    return high / low


def size_ratio(figures, database):
    small = figures.get('P6 sizes after 100 runs')
    large = figures.get('P6 sizes after 1000 runs')
    if not small or not large:
        return None
    return float(large[database]) / small[database]


def p4_limit(figures):
    figure = figures.get('P4 latency p99')
    return figure['poll_interval'] + 1 if figure else None


def checks(figures, duration):
    """(id, what, value, limit) of every target; None value: not measured."""
    unchanged = 'P1 unchanged save N=%s'
    return [
        ('P1', 'unchanged save t(1000)/t(100)',
         ratio(figures, unchanged % 1000, unchanged % 100), 12),
        ('P1', 'unchanged save t(1000) [s]',
         median_of(figures, unchanged % 1000), 0.5),
        ('P1', 'unchanged save t(100)/t(10) (no target)',
         ratio(figures, unchanged % 100, unchanged % 10), None),
        ('P1', 'first save t(1000)/t(100) (no target)',
         ratio(figures, 'P1 first save N=1000', 'P1 first save N=100'),
         None),
        ('P2', 'one cron save t(1000)/t(10)',
         ratio(figures, 'P2 one cron save N=1000',
               'P2 one cron save N=10'), 3),
        ('P3', 'run_job overhead [s]',
         median_of(figures, 'P3 run_job overhead N=100'), 0.05),
        ('P4', 'due -> start p99 [s] (limit: 1 s + poll interval)',
         median_of(figures, 'P4 latency p99'), p4_limit(figures)),
        ('P5', 'dashboard N=1000 [s]',
         median_of(figures, 'P5 dashboard N=1000'), 0.25),
        ('P6', 'main database size 1000 runs / 100 runs',
         size_ratio(figures, 'main'), 1.2),
        ('P6', 'async database size 1000 runs / 100 runs',
         size_ratio(figures, 'async'), 1.2),
        ('P7', 'REST GET @crons N=1000 [s]',
         median_of(figures, 'P7 REST GET @crons N=1000'), 0.2),
        ('P7', 'REST GET @crons N=1000, after a change [s] (no target)',
         median_of(figures, 'P7 REST GET @crons N=1000 after a change'),
         None),
        ('P8', 'next 5 runs of 1000 crons [s]',
         median_of(figures, 'P8 next 5 runs N=1000'), 0.2),
        ('all', 'make bench duration [s]', duration, BUDGET_S),
    ]


def evaluate(figures, duration):
    results = []
    for ident, what, value, limit in checks(figures, duration):
        met = None
        if value is not None and limit is not None:
            met = value <= limit
        results.append({'id': ident, 'target': what, 'value': value,
                        'limit': limit, 'met': met})
    return results


def number(value, unit=''):
    if value is None:
        return '-'
    if unit == 's':
        return '%.2f ms' % (value * 1000)
    if unit == 'bytes':
        return '{:,} B'.format(int(value))
    if isinstance(value, float):
        return '%.3g' % value
    return str(value)


def sections(results):
    """(label, section) of each platform results.json has figures of."""
    found = []
    for label, key in PLATFORMS:
        section = results if key is None else results.get(key)
        if section and section.get('figures'):
            found.append((label, section))
    return found


def figure_cells(key, figure):
    """[(name, median, min, max, runs)] of one figure (two for sizes)."""
    if 'median' in figure:
        unit = figure['unit']
        return [(key, number(figure['median'], unit),
                 number(figure['min'], unit), number(figure['max'], unit),
                 str(figure['runs']))]
    return [(key + ' ' + database, number(figure[database], 'bytes'),
             '', '', '1') for database in ('main', 'async')]


def figure_rows(platforms):
    """One row per figure and platform, the platforms of a figure
    together."""
    keys = sorted(set(key for label, section in platforms
                      for key in section['figures']))
    rows = []
    for key in keys:
        for label, section in platforms:
            figure = section['figures'].get(key)
            if figure is None:
                continue
            rows.extend((cells[0], label) + tuple(cells[1:])
                        for cells in figure_cells(key, figure))
    return rows


def target_rows(platforms):
    """One row per target and platform (the targets evaluated again on
    each platform's figures, so that both follow today's checks)."""
    marks = {True: 'met', False: 'MISSED', None: ''}
    evaluated = [(label, evaluate(section['figures'],
                                  section.get('duration_s')))
                 for label, section in platforms]
    rows = []
    for index in range(len(evaluated[0][1]) if evaluated else 0):
        for label, targets in evaluated:
            target = targets[index]
            rows.append((target['id'], target['target'], label,
                         number(target['value']), number(target['limit']),
                         marks[target['met']]))
    return rows


def poll_lines(platforms):
    """What P4's poll interval is on each platform."""
    lines = []
    for label, section in platforms:
        figure = section['figures'].get('P4 latency p99')
        if figure:
            lines.append('P4 poll interval, %s: %g s, %s' % (
                label, figure['poll_interval'],
                figure.get('poll', 'zc.async dispatcher poll interval')))
    return lines


def render(header, rows):
    widths = [max(len(row[index]) for row in [header] + rows)
              for index in range(len(header))]
    line = '  '.join('-' * width for width in widths)
    text = [line, '  '.join(cell.ljust(width)
                            for cell, width in zip(header, widths)), line]
    text.extend('  '.join(cell.ljust(width)
                          for cell, width in zip(row, widths))
                for row in rows)
    text.append(line)
    return '\n'.join(text)


def heading(label, section):
    machine = section['machine']
    load = machine.get('load_average') or [None]
    reference = machine.get('cpu_reference_s')
    speed = ('' if reference is None else
             ', CPU reference loop %s s' % number(reference))
    return '%s (Python %s): %s, %s CPUs, load average %s at start%s, %s' % (
        label, machine['python'], section['date'], machine['nproc'],
        number(load[0]), speed, machine['uname'])


def table(results):
    platforms = sections(results)
    return '\n\n'.join(
        ['collective.cron benchmarks\n' + '\n'.join(
            heading(label, section) for label, section in platforms),
         render(('figure', 'platform', 'median', 'min', 'max', 'runs'),
                figure_rows(platforms)),
         render(('', 'target', 'platform', 'value', 'limit', 'result'),
                target_rows(platforms))]
        + ['\n'.join(poll_lines(platforms))])
