"""Write the configuration of the development Zope instance of `make run`.

    python scripts/make_instance.py var/instance

Two configurations share the instance's databases:

- etc/: the server, a worker: it serves HTTP on $HOST:$PORT and runs due
  cron jobs;
- setup/etc/: for scripts (site creation), which never run jobs.

On Python 2 (Plone 5.2) the job backend is zc.async: var/Data.fs for Plone,
var/async.fs for zc.async, and the role is the zcml included
(collective.cron:worker.zcml or instance.zcml). On Python 3 (Plone 6) it is
Huey: var/Data.fs, the task store var/cron-huey.db (or Redis when
REDIS_URL is set), and the role is the product-config's ``worker on|off``.
Both include collective.cron:demo.zcml, the task of the demo cron.

The configuration files are rewritten every time; the data is kept.
"""
from __future__ import print_function

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATES = os.path.join(HERE, 'templates')


def render(name, target, values):
    with open(os.path.join(TEMPLATES, name)) as handle:
        text = handle.read().format(**values)
    with open(target, 'w') as handle:
        handle.write(text)


PY2 = sys.version_info[0] == 2


def backend_values(role):
    """The values of the templates that depend on the job backend."""
    if PY2:
        return {'zope_conf': 'zope.conf', 'zcml': '%s.zcml' % role,
                'backend_logger': 'zc.async'}
    redis_url = os.environ.get('REDIS_URL', '')
    return {'zope_conf': 'zope6.conf', 'zcml': 'configure.zcml',
            'backend_logger': 'huey',
            'worker': 'on' if role == 'worker' else 'off',
            'huey_storage': 'redis' if redis_url else 'sqlite',
            'redis_url': redis_url or 'redis://127.0.0.1:6379/0'}


def write_config(home, values, role, uuid_file):
    etc = os.path.join(home, 'etc')
    if not os.path.isdir(etc):
        os.makedirs(etc)
    values = dict(values, instance_home=home, role=role, uuid_file=uuid_file,
                  **backend_values(role))
    render(values['zope_conf'], os.path.join(etc, 'zope.conf'), values)
    render('site.zcml', os.path.join(etc, 'site.zcml'), values)
    if role == 'worker':
        render('zope.ini', os.path.join(etc, 'zope.ini'), values)


def main(instance):
    instance = os.path.abspath(instance)
    var = os.path.join(instance, 'var')
    for folder in ('log', 'cache'):
        path = os.path.join(var, folder)
        if not os.path.isdir(path):
            os.makedirs(path)
    values = {
        'var': var,
        'host': os.environ.get('HOST', '127.0.0.1'),
        'port': os.environ.get('PORT', '8080'),
        'poll_interval': os.environ.get('POLL_INTERVAL', '2'),
    }
    write_config(instance, values, 'worker', 'uuid.txt')
    write_config(os.path.join(instance, 'setup'), values, 'instance',
                 'setup-uuid.txt')
    print('instance configuration written to %s/etc' % instance)


if __name__ == '__main__':
    main(sys.argv[1])
