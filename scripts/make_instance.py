"""Write the configuration of the development Zope instance of `make run`.

    python scripts/make_instance.py var/instance

Two configurations share the instance's databases (var/Data.fs for Plone,
var/async.fs for zc.async):

- etc/: the server, a zc.async worker (collective.cron:worker.zcml): it
  serves HTTP on $HOST:$PORT and runs due cron jobs;
- setup/etc/: for scripts (site creation), with collective.cron:instance.zcml,
  so a script never starts a dispatcher of its own.

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


def write_config(home, values, role, uuid_file):
    etc = os.path.join(home, 'etc')
    if not os.path.isdir(etc):
        os.makedirs(etc)
    values = dict(values, instance_home=home, role=role, uuid_file=uuid_file)
    render('zope.conf', os.path.join(etc, 'zope.conf'), values)
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
