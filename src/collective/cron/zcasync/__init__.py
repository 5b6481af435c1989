# -*- coding: utf-8 -*-
"""The zc.async job backend (through plone.app.async): the only package of
collective.cron that imports zc.async, plone.app.async or zc.twist.

It provides the site's IQueue (queue.py), the marker of the sites that use
cron (marker.py), the backend utility that restart recovery reads
(backend.py), the restart subscriber (restart.py), the worker set-up of a
Zope process (worker.py), the fixes zc.async needs on Zope 4 (compat.py)
and the test layers (testing.py). zcasync.zcml registers them.
"""
