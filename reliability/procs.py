# -*- coding: utf-8 -*-
"""Processes, configurations and HTTP for the reliability suite.

Every process is started in a process group of its own and remembered;
``stop_all`` (run by run.py's finally, by atexit and on SIGTERM / SIGINT)
stops the groups it started, and only those.
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
import time
import urllib
import urllib2

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(HERE)
BIN = os.path.join(PROJECT, '.venv', 'bin')
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


def zeo_server(port):
    conf = os.path.join(VAR, 'zeo.conf')
    render('zeo.conf', conf, {'zeo_port': port, 'var': VAR})
    return Process('zeo', [os.path.join(BIN, 'runzeo'), '-C', conf],
                   os.path.join(VAR, 'log', 'zeo.out'))


class ZopeClient(object):
    """One Zope ZEO client: role 'worker' (runs jobs) or 'instance'."""

    def __init__(self, name, role, zeo_port, poll_interval=1):
        self.name = name
        self.role = role
        self.home = os.path.join(VAR, name)
        self.etc = os.path.join(self.home, 'etc')
        self.port = free_port()
        self.process = None
        values = {'home': self.home, 'var': VAR, 'role': role,
                  'name': name, 'zeo_port': zeo_port, 'port': self.port,
                  'poll_interval': poll_interval}
        if not os.path.isdir(self.etc):
            os.makedirs(self.etc)
        for template in ('zope.conf', 'site.zcml', 'zope.ini'):
            render(template, os.path.join(self.etc, template), values)

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


def auth_header():
    return 'Basic ' + base64.b64encode('%s:%s' % (USER, PASSWORD))


def request(url, data=None, timeout=120, auth=True):
    """(status code, body) of a GET, or of a POST when ``data`` is given."""
    body = urllib.urlencode(data, doseq=True) if data is not None else None
    req = urllib2.Request(url, body)
    if auth:
        req.add_header('Authorization', auth_header())
    try:
        response = urllib2.urlopen(req, timeout=timeout)
        return response.getcode(), response.read()
    except urllib2.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib2.URLError, socket.error) as exc:
        return None, str(exc)


class NoRedirect(urllib2.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None


def post_form(url, data, timeout=120):
    """(status code, body, location) of a form POST, without following
    redirects."""
    opener = urllib2.build_opener(NoRedirect)
    req = urllib2.Request(url, urllib.urlencode(data, doseq=True))
    req.add_header('Authorization', auth_header())
    try:
        response = opener.open(req, timeout=timeout)
        return response.getcode(), response.read(), None
    except urllib2.HTTPError as exc:
        return exc.code, exc.read(), exc.headers.get('Location')


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
