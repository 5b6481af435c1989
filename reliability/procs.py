# -*- coding: utf-8 -*-
"""Processes, configurations and HTTP for the reliability suite.

Every process is started in a process group of its own and remembered;
``stop_all`` (run by run.py's finally, by atexit and on SIGTERM / SIGINT)
stops the groups it started, and only those.

Python 2.7 and 3: on Python 2 the processes are those of .venv (Plone 5.2,
the zc.async backend), on Python 3 those of .venv6 (Plone 6, the Huey
backend, its task store on a Redis server the suite starts itself).
"""
from __future__ import print_function

import atexit
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

try:  # Python 2
    from urllib import urlencode
    import urllib2 as urlrequest
    from urllib2 import HTTPError
    from urllib2 import URLError
except ImportError:  # Python 3
    from urllib.parse import urlencode
    from urllib import request as urlrequest
    from urllib.error import HTTPError
    from urllib.error import URLError

PY2 = sys.version_info[0] == 2
#: the job backend of this Python's Plone
BACKEND = 'zcasync' if PY2 else 'huey'
HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(HERE)
BIN = os.path.join(PROJECT, '.venv' if PY2 else '.venv6', 'bin')
TEMPLATES = os.path.join(HERE, 'templates')
VAR = os.path.join(HERE, 'var')
USER = 'reladmin'
PASSWORD = 'reladmin-secret'
_STARTED = []


def free_port():
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def render(name, target, values):
    with open(os.path.join(TEMPLATES, name)) as handle:
        text = handle.read().format(**values)
    with open(target, 'w') as handle:
        handle.write(text)


def fresh_var():
    if os.path.isdir(VAR):
        shutil.rmtree(VAR)
    for folder in ('log', 'cache'):
        os.makedirs(os.path.join(VAR, folder))


def process_env():
    env = dict(os.environ)
    paths = [HERE] + [p for p in env.get('PYTHONPATH', '').split(':') if p]
    env.update(PYTHONPATH=':'.join(paths), CRONREL_USER=USER,
               CRONREL_PASSWORD=PASSWORD)
    return env


class Process(object):
    """A child process in its own process group, output to a log file."""

    def __init__(self, name, argv, log):
        self.name = name
        self.argv = argv
        self.log = log
        self.popen = None
        self.started = None

    @property
    def pid(self):
        return self.popen.pid if self.popen is not None else None

    def start(self):
        output = open(self.log, 'a')
        self.started = time.time()
        self.popen = subprocess.Popen(
            self.argv, stdout=output, stderr=subprocess.STDOUT,
            env=process_env(), cwd=VAR, preexec_fn=os.setsid, close_fds=True)
        output.close()
        _STARTED.append(self)
        return self

    def running(self):
        return self.popen is not None and self.popen.poll() is None

    def signal(self, signum):
        if self.running():
            try:
                os.killpg(self.popen.pid, signum)
            except OSError:
                pass

    def wait(self, timeout):
        deadline = time.time() + timeout
        while self.running() and time.time() < deadline:
            time.sleep(0.2)
        return not self.running()

    def stop(self, timeout=60):
        """SIGTERM, then SIGKILL after ``timeout``; True if it stopped by
        itself."""
        self.signal(signal.SIGTERM)
        clean = self.wait(timeout)
        if not clean:
            self.kill()
        return clean

    def kill(self):
        self.signal(signal.SIGKILL)
        self.wait(30)
        if self.popen is not None:
            self.popen.poll()


def stop_all():
    for process in reversed(_STARTED):
        if process.running():
            process.stop(timeout=20)


def on_signal(signum, frame):
    raise SystemExit('stopped by signal %s' % signum)


def install_cleanup():
    atexit.register(stop_all)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)


#: per backend: the templates of the ZEO server and of a Zope client
CONFIG_TEMPLATES = {'zcasync': ('zeo.conf', 'zope.conf'),
                    'huey': ('zeo6.conf', 'zope6.conf')}


def zeo_server(port):
    conf = os.path.join(VAR, 'zeo.conf')
    render(CONFIG_TEMPLATES[BACKEND][0], conf, {'zeo_port': port, 'var': VAR})
    return Process('zeo', [os.path.join(BIN, 'runzeo'), '-C', conf],
                   os.path.join(VAR, 'log', 'zeo.out'))


def redis_reply(port, *words):
    """Send one command to the Redis server on ``port``; its reply's first
    line (e.g. '+PONG', '+OK'), or None when it does not answer."""
    command = '*%d\r\n' % len(words) + ''.join(
        '$%d\r\n%s\r\n' % (len(word), word) for word in words)
    try:
        sock = socket.create_connection(('127.0.0.1', port), timeout=10)
    except socket.error:
        return None
    try:
        sock.sendall(command.encode('ascii'))
        reply = b''
        while not reply.endswith(b'\r\n'):
            chunk = sock.recv(4096)
            if not chunk:
                break
            reply += chunk
        return reply.decode('ascii', 'replace').split('\r\n')[0]
    except socket.error:
        return None
    finally:
        sock.close()


class RedisServer(object):
    """Debian's redis-server on a free port of 127.0.0.1, nothing saved on
    disk (the Huey task store of the Python 3 suite)."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return 'redis://127.0.0.1:%s/0' % self.port

    def start(self, timeout=30):
        folder = os.path.join(VAR, 'redis')
        os.makedirs(folder)
        self.process = Process('redis', [
            'redis-server', '--port', str(self.port), '--bind', '127.0.0.1',
            '--save', '', '--appendonly', 'no', '--dir', folder],
            os.path.join(VAR, 'log', 'redis.out')).start()
        if not wait_for(lambda: self.command('PING') == '+PONG', timeout,
                        step=0.2):
            raise RuntimeError('redis-server did not answer on port %s (see '
                               'var/log/redis.out; scripts/install-redis '
                               'installs it)' % self.port)
        return self

    def command(self, *words):
        return redis_reply(self.port, *words)

    def flush(self):
        """Empty the task store (FLUSHDB); True when Redis said OK."""
        return self.command('FLUSHDB') == '+OK'


def backend_values(role, huey):
    """The template values that depend on the backend: ``huey`` holds
    storage, redis_url and file (Python 3)."""
    if BACKEND == 'zcasync':
        return {'zcml': '%s.zcml' % role, 'backend_logger': 'zc.async'}
    return {'zcml': 'configure.zcml', 'backend_logger': 'huey',
            'worker': 'on' if role == 'worker' else 'off',
            'huey_storage': huey['storage'], 'huey_file': huey['file'],
            'redis_url': huey['redis_url'],
            'dead_after': huey.get('dead_after', 300)}


class ZopeClient(object):
    """One Zope ZEO client: role 'worker' (runs jobs) or 'instance'."""

    def __init__(self, name, role, zeo_port, poll_interval=1, huey=None):
        self.name = name
        self.role = role
        self.home = os.path.join(VAR, name)
        self.etc = os.path.join(self.home, 'etc')
        self.port = free_port()
        self.process = None
        values = {'home': self.home, 'var': VAR, 'role': role,
                  'name': name, 'zeo_port': zeo_port, 'port': self.port,
                  'poll_interval': poll_interval}
        values.update(backend_values(role, huey))
        if not os.path.isdir(self.etc):
            os.makedirs(self.etc)
        zope_conf = CONFIG_TEMPLATES[BACKEND][1]
        for template, target in ((zope_conf, 'zope.conf'),
                                 ('site.zcml', 'site.zcml'),
                                 ('zope.ini', 'zope.ini')):
            render(template, os.path.join(self.etc, target), values)

    @property
    def url(self):
        return 'http://127.0.0.1:%s' % self.port

    @property
    def uuid(self):
        path = os.path.join(self.home, 'uuid.txt')
        if not os.path.exists(path):
            return None
        with open(path) as handle:
            return handle.readline().strip()

    @property
    def log(self):
        return os.path.join(self.home, 'event.log')

    def start(self):
        self.process = Process(
            self.name, [os.path.join(BIN, 'runwsgi'),
                        os.path.join(self.etc, 'zope.ini')],
            os.path.join(VAR, 'log', self.name + '.out')).start()
        return self

    def wait_http(self, timeout=300):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if not self.process.running():
                raise RuntimeError('%s exited (see %s)' % (self.name,
                                                           self.log))
            status, body = request(self.url + '/@@rel-async', timeout=10,
                                   auth=False)
            if status == 200:
                return time.time()
            if status is not None:
                raise RuntimeError('%s: HTTP %s %s' % (self.name, status,
                                                       body[:300]))
            time.sleep(0.5)
        raise RuntimeError('%s did not answer in %ss' % (self.name, timeout))

    def zconsole(self, script, *args):
        """Run a script with this client's configuration (instance role)."""
        argv = [os.path.join(BIN, 'zconsole'), 'run',
                os.path.join(self.etc, 'zope.conf'),
                os.path.join(HERE, 'scripts', script)] + list(args)
        output = os.path.join(VAR, 'log', 'zconsole.out')
        process = Process('zconsole ' + script, argv, output).start()
        if not process.wait(900):
            process.kill()
            raise RuntimeError('zconsole %s timed out' % script)
        if process.popen.returncode:
            raise RuntimeError('zconsole %s failed (see %s)'
                               % (script, output))

    def log_count(self, text):
        if not os.path.exists(self.log):
            return 0
        with open(self.log) as handle:
            return sum(1 for line in handle if text in line)


def native(data):
    """A body read from HTTP as the native string (bytes on Python 2,
    text on Python 3)."""
    return data if PY2 else data.decode('utf-8', 'replace')


def encoded(data):
    """A form body for urllib: a str on Python 2, bytes on Python 3."""
    body = urlencode(data, doseq=True)
    return body if PY2 else body.encode('ascii')


def auth_header():
    token = base64.b64encode(('%s:%s' % (USER, PASSWORD)).encode('ascii'))
    return 'Basic ' + (token if PY2 else token.decode('ascii'))


def request(url, data=None, timeout=120, auth=True):
    """(status code, body) of a GET, or of a POST when ``data`` is given."""
    body = encoded(data) if data is not None else None
    req = urlrequest.Request(url, body)
    if auth:
        req.add_header('Authorization', auth_header())
    try:
        response = urlrequest.urlopen(req, timeout=timeout)
        return response.getcode(), native(response.read())
    except HTTPError as exc:
        return exc.code, native(exc.read())
    except (URLError, socket.error) as exc:
        return None, str(exc)


class NoRedirect(urlrequest.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None


def post_form(url, data, timeout=120):
    """(status code, body, location) of a form POST, without following
    redirects."""
    opener = urlrequest.build_opener(NoRedirect)
    req = urlrequest.Request(url, encoded(data))
    req.add_header('Authorization', auth_header())
    try:
        response = opener.open(req, timeout=timeout)
        return response.getcode(), native(response.read()), None
    except HTTPError as exc:
        return exc.code, native(exc.read()), exc.headers.get('Location')


def get_json(url, timeout=120, auth=True, data=None):
    status, body = request(url, data=data, timeout=timeout, auth=auth)
    if status != 200:
        return None
    return json.loads(body)


def wait_for(predicate, timeout, step=1.0):
    """The first true value of ``predicate()`` within ``timeout`` seconds,
    or None."""
    deadline = time.time() + timeout
    while True:
        value = predicate()
        if value or time.time() >= deadline:
            return value or None
        time.sleep(step)
