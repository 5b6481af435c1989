# -*- coding: utf-8 -*-
"""Test-only components of the collective.cron reliability suite.

Loaded only by the Zope processes that ``reliability/run.py`` starts (their
site.zcml includes this package's configure.zcml); never by a real site.
"""
