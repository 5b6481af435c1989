# -*- coding: utf-8 -*-
"""The Huey backend's configuration: zope.conf, else the environment.

In zope.conf::

    <product-config collective.cron>
        huey-storage sqlite        # or redis
        huey-file /path/to/cron-huey.db
        redis-url redis://localhost:6379/0
        worker on                  # off: this process only queues jobs
        huey-workers 4
        worker-dead-after 300      # s without heartbeat: jobs taken back
    </product-config>

Each key falls back on an environment variable (COLLECTIVE_CRON_HUEY_STORAGE,
COLLECTIVE_CRON_HUEY_FILE, COLLECTIVE_CRON_REDIS_URL, COLLECTIVE_CRON_WORKER,
COLLECTIVE_CRON_HUEY_WORKERS, COLLECTIVE_CRON_WORKER_NAME,
COLLECTIVE_CRON_WORKER_DEAD_AFTER), then on its
default. The SQLite file defaults to ``cron-huey.db`` in the instance's var
directory (zope.conf's clienthome), else in the current directory.
"""
import os
import socket

from App.config import getConfiguration

SQLITE = 'sqlite'
REDIS = 'redis'
STORAGES = (SQLITE, REDIS)
DEFAULT_FILE = 'cron-huey.db'
DEFAULT_REDIS_URL = 'redis://localhost:6379/0'
DEFAULT_WORKERS = 4
#: seconds without a heartbeat after which a worker is dead (its running
#: jobs are taken back by a live worker: takeover.py); as zc.async's ping
#: death interval
DEFAULT_DEAD_AFTER = 300
#: the shortest bound: a heartbeat is written every second or so
MIN_DEAD_AFTER = 10
#: the Huey queue name (several sites share it: tasks name their site)
QUEUE_NAME = 'collective.cron'
#: key -> environment variable
ENVIRONMENT = {
    'huey-storage': 'COLLECTIVE_CRON_HUEY_STORAGE',
    'huey-file': 'COLLECTIVE_CRON_HUEY_FILE',
    'redis-url': 'COLLECTIVE_CRON_REDIS_URL',
    'worker': 'COLLECTIVE_CRON_WORKER',
    'huey-workers': 'COLLECTIVE_CRON_HUEY_WORKERS',
    'worker-name': 'COLLECTIVE_CRON_WORKER_NAME',
    'worker-dead-after': 'COLLECTIVE_CRON_WORKER_DEAD_AFTER',
}
TRUE = ('on', 'true', 'yes', '1')
FALSE = ('off', 'false', 'no', '0')


def product_config():
    """The ``<product-config collective.cron>`` section (a dict)."""
    config = getattr(getConfiguration(), 'product_config', None) or {}
    return config.get('collective.cron') or {}


def raw(key, config=None):
    """The text of ``key``: zope.conf, else its environment variable, else
    None."""
    config = product_config() if config is None else config
    value = config.get(key)
    if value is None or value == '':
        value = os.environ.get(ENVIRONMENT[key])
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def bad(key, value, why):
    return ValueError('collective.cron %s (%s): %s: %r'
                      % (key, ENVIRONMENT[key], why, value))


def storage(config=None):
    """'sqlite' (the default) or 'redis'."""
    value = raw('huey-storage', config) or SQLITE
    if value.lower() not in STORAGES:
        raise bad('huey-storage', value, 'must be sqlite or redis')
    return value.lower()


def var_directory():
    """The instance's var directory (zope.conf's clienthome), else the
    current directory."""
    home = getattr(getConfiguration(), 'clienthome', None)
    return home if home and os.path.isdir(home) else os.getcwd()


def huey_file(config=None):
    """The SQLite file of the task store."""
    value = raw('huey-file', config)
    if value is None:
        return os.path.join(var_directory(), DEFAULT_FILE)
    folder = os.path.dirname(os.path.abspath(value))
    if not os.path.isdir(folder):
        raise bad('huey-file', value, 'its directory does not exist')
    return value


def redis_url(config=None):
    value = raw('redis-url', config) or DEFAULT_REDIS_URL
    if not value.startswith(('redis://', 'rediss://', 'unix://')):
        raise bad('redis-url', value,
                  'must start with redis://, rediss:// or unix://')
    return value


def worker(config=None):
    """True when this process runs jobs (the default)."""
    value = raw('worker', config)
    if value is None:
        return True
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise bad('worker', value, 'must be on or off')


def whole_number(key, config, default, minimum, unit=None):
    """The setting ``key``, a whole number >= ``minimum`` (``default``
    when it is not set); ``unit`` (e.g. 'seconds') is named in errors."""
    value = raw(key, config)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise bad(key, value, 'not a whole number' +
                  (' of %s' % unit if unit else ''))
    if number < minimum:
        raise bad(key, value, 'must be >= %d' % minimum +
                  (' (%s)' % unit if unit else ''))
    return number


def workers(config=None):
    """How many jobs this worker runs at once (Huey worker threads)."""
    return whole_number('huey-workers', config, DEFAULT_WORKERS, 1)


def worker_name(config=None):
    """This worker's name, noted on the jobs it claims (restart recovery
    gives back the jobs a dead run of this very worker held) and naming its
    heartbeat (takeover.py): the host name and the instance's var directory
    unless configured."""
    value = raw('worker-name', config)
    if value is not None:
        return value
    return '%s:%s' % (socket.gethostname(), var_directory())


def dead_after(config=None):
    """Seconds a worker's heartbeat may stand still before the other
    workers take back the jobs it runs (a whole number, >= MIN_DEAD_AFTER;
    keep it well above the longest pause of a loaded worker)."""
    return whole_number('worker-dead-after', config, DEFAULT_DEAD_AFTER,
                        MIN_DEAD_AFTER, 'seconds')
