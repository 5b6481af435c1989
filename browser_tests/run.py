"""The browser run: a fresh live instance (instance.py), the screenshots of
docs/images (screenshots.py), then the browser tests (test_*.py) in headless
Chromium; the instance is stopped whatever happens. Exit status 0 when all
passed.

    .venv/bin/python browser_tests/run.py      (what `make browser-test` runs)
    .venv6/bin/python browser_tests/run.py     (`make browser-test PLONE=6`:
                                                Plone 6, see instance.py)
"""
from __future__ import print_function

import os
import signal
import sys
import time
import traceback
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import instance  # noqa: E402
import screenshots  # noqa: E402


def run_tests(url):
    os.environ['BROWSER_TEST_URL'] = url
    suite = unittest.defaultTestLoader.discover(HERE, pattern='test_*.py',
                                                top_level_dir=HERE)
    return unittest.TextTestRunner(verbosity=2).run(suite).wasSuccessful()


def take_screenshots(url):
    """True if they were taken; a failure is shown and the tests still
    run."""
    try:
        screenshots.take(url)
    except Exception:  # any failure: report it, go on with the tests
        traceback.print_exc()
        print('the screenshots FAILED', file=sys.stderr)
        return False
    return True


def stop_on_sigterm(signum, frame):
    raise SystemExit('stopped by SIGTERM')


def main():
    signal.signal(signal.SIGTERM, stop_on_sigterm)  # the instance stops too
    started = time.time()
    site = instance.Instance()
    site.create()
    try:
        site.start()
        print('live instance on %s (log: %s)' % (site.url, site.log))
        pictured = take_screenshots(site.url)
        passed = run_tests(site.url) and pictured
    finally:
        clean = site.stop()
    print('browser run: %.0f s, instance stopped %s' % (
        time.time() - started, 'cleanly' if clean else 'by SIGKILL'))
    return 0 if passed and clean else 1


if __name__ == '__main__':
    sys.exit(main())
