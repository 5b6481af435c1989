# -*- coding: utf-8 -*-
"""Benchmarks of collective.cron (``make bench``); not part of the tests."""
