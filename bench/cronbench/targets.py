# -*- coding: utf-8 -*-
"""The targets of the benchmarks, checked on the figures, and the table."""

BUDGET_S = 15 * 60


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
        ('P4', 'due -> start p99 [s] (limit: poll interval + 1 s)',
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


def figure_rows(figures):
    rows = []
    for key in sorted(figures):
        figure = figures[key]
        if 'median' in figure:
            unit = figure['unit']
            rows.append((key, number(figure['median'], unit),
                         number(figure['min'], unit),
                         number(figure['max'], unit),
                         str(figure['runs'])))
        else:
            rows.append((key + ' main', number(figure['main'], 'bytes'),
                         '', '', '1'))
            rows.append((key + ' async', number(figure['async'], 'bytes'),
                         '', '', '1'))
    return rows


def target_rows(targets):
    marks = {True: 'met', False: 'MISSED', None: ''}
    return [(target['id'], target['target'], number(target['value']),
             number(target['limit']), marks[target['met']])
            for target in targets]


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


def table(results):
    machine = results['machine']
    return '\n\n'.join([
        'collective.cron benchmarks, %s, %s CPUs, %s' % (
            results['date'], machine['nproc'], machine['uname']),
        render(('figure', 'median', 'min', 'max', 'runs'),
               figure_rows(results['figures'])),
        render(('', 'target', 'value', 'limit', 'result'),
               target_rows(results['targets'])),
    ])
