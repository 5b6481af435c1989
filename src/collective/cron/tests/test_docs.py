# -*- coding: utf-8 -*-
"""The doctests of docs/ (the narrative API guide)."""
import doctest
import os
import unittest

from plone.testing import layered

from collective.cron.testing import COLLECTIVE_CRON_FUNCTIONAL_TESTING
from collective.cron.testing import COLLECTIVE_CRON_INTEGRATION_TESTING
from collective.cron.testing import COLLECTIVE_CRON_SERVER_TESTING

DOCS = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'docs')
#: doctest -> its layer (functional where the examples commit, with a
#: real server where they send HTTP requests)
DOCTESTS = [('api.rst', COLLECTIVE_CRON_INTEGRATION_TESTING),
            ('compat.rst', COLLECTIVE_CRON_FUNCTIONAL_TESTING),
            ('scheduling.rst', COLLECTIVE_CRON_INTEGRATION_TESTING),
            ('rest.rst', COLLECTIVE_CRON_SERVER_TESTING),
            ('dashboard.rst', COLLECTIVE_CRON_FUNCTIONAL_TESTING)]
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def set_up(test):
    test.globs['portal'] = test.globs['layer']['portal']


def test_suite():
    suite = unittest.TestSuite()
    for name, layer in DOCTESTS:
        path = os.path.abspath(os.path.join(DOCS, name))
        suite.addTest(layered(
            doctest.DocFileSuite(path, module_relative=False, setUp=set_up,
                                 globs={'layer': layer},
                                 optionflags=FLAGS, encoding='utf-8'),
            layer=layer))
    return suite
