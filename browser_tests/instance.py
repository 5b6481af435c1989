"""A live `make run`-style instance for the browser tests.

The same configuration as `make run` (scripts/make_instance.py: one Zope
process that serves HTTP and runs the due crons), in its own directory,
created afresh each run, on a free port of 127.0.0.1. On Python 2 (Plone
5.2, `make browser-test`): .venv's Zope, zc.async's database in async.fs,
var/browser-instance. On Python 3 (Plone 6, `make browser-test PLONE=6`):
.venv6's Zope, Huey's consumer thread and its SQLite task store,
var/browser-instance6. The site is made by scripts/create_site.py and
completed by setup_site.py (a read-only member, French on request).
"""
from __future__ import print_function

import os
import shutil
import signal
import socket
import subprocess
import sys
import time

from six.moves.urllib.error import HTTPError
from six.moves.urllib.error import URLError
from six.moves.urllib.request import urlopen

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PY2 = sys.version_info[0] == 2
#: Plone 5.2 on Python 2, Plone 6 on Python 3 (the Makefile's PLONE)
PLONE = '5.2' if PY2 else '6'
BIN = os.path.join(ROOT, '.venv' if PY2 else '.venv6', 'bin')
SCRIPTS = os.path.join(ROOT, 'scripts')
HOME = os.path.join(ROOT, 'var', 'browser-instance' if PY2
                    else 'browser-instance6')
SITE_ID = 'Plone'
ADMIN = ('admin', 'admin')
READER = ('cronreader', 'reader-secret-1')


def free_port():
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def answers(url):
    """True once the site answers HTTP (any status: it is up)."""
    try:
        urlopen(url, timeout=5).close()
    except HTTPError:
        return True
    except (URLError, socket.error):
        return False
    return True


class Instance(object):
    """Create, start and stop the instance; ``url`` is the site's URL."""

    def __init__(self, home=HOME):
        self.home = home
        self.port = free_port()
        self.process = None
        self.url = 'http://localhost:%d/%s' % (self.port, SITE_ID)
        self.env = dict(os.environ, HOST='127.0.0.1', PORT=str(self.port),
                        SITE_ID=SITE_ID, ADMIN_USER=ADMIN[0],
                        ADMIN_PASSWORD=ADMIN[1], POLL_INTERVAL='1',
                        READER_USER=READER[0], READER_PASSWORD=READER[1],
                        CREATE_SITE_SCRIPT=os.path.join(SCRIPTS,
                                                        'create_site.py'))
        self.log = os.path.join(home, 'var', 'log', 'server.out')

    def run(self, *argv):
        subprocess.check_call(argv, env=self.env, cwd=ROOT)

    def create(self):
        """A fresh instance and site (scripts/create_site.py, then
        setup_site.py) without any dispatcher running."""
        if os.path.isdir(self.home):
            shutil.rmtree(self.home)
        self.run(os.path.join(BIN, 'python'),
                 os.path.join(SCRIPTS, 'make_instance.py'), self.home)
        self.run(os.path.join(BIN, 'zconsole'), 'run',
                 os.path.join(self.home, 'setup', 'etc', 'zope.conf'),
                 os.path.join(HERE, 'setup_site.py'))

    def start(self, timeout=120):
        output = open(self.log, 'a')
        self.process = subprocess.Popen(
            [os.path.join(BIN, 'runwsgi'),
             os.path.join(self.home, 'etc', 'zope.ini')],
            stdout=output, stderr=subprocess.STDOUT, env=self.env, cwd=ROOT,
            preexec_fn=os.setsid)
        output.close()
        try:
            self.wait_until_up(timeout)
        except RuntimeError:
            self.stop()
            raise

    def wait_until_up(self, timeout):
        deadline = time.time() + timeout
        while not answers(self.url):
            if self.process.poll() is not None:
                raise RuntimeError('the instance exited, see %s' % self.log)
            if time.time() > deadline:
                raise RuntimeError('no answer from %s in %s s, see %s'
                                   % (self.url, timeout, self.log))
            time.sleep(0.5)

    def stop(self, timeout=30):
        """Ctrl-C as for `make run` (SIGINT), SIGKILL if it hangs; True if
        it stopped by itself."""
        if self.process is None or self.process.poll() is not None:
            return True
        os.killpg(self.process.pid, signal.SIGINT)
        deadline = time.time() + timeout
        while self.process.poll() is None and time.time() < deadline:
            time.sleep(0.2)
        if self.process.poll() is None:
            print('the instance did not stop in %s s: killed' % timeout,
                  file=sys.stderr)
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            return False
        return True
