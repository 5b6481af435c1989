# -*- coding: utf-8 -*-
"""The doctests of docs/ (the narrative API guide)."""
import doctest
import os
import re
import unittest

import six
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
#: a text literal as Python 2 shows it (u'...'), read as Python 3 does
TEXT_PREFIX = re.compile(r"""\bu(['"])""")
#: the module path before an exception's name (Python 3 shows it)
EXCEPTION_MODULE = re.compile(r'^(?:\w+\.)+(?=\w+:)', re.MULTILINE)


class Python2Output(doctest.OutputChecker):
    """The guide's examples show Python 2's output; on Python 3 the same
    text is accepted without u prefixes nor exceptions' module paths."""

    def check_output(self, want, got, optionflags):
        if six.PY3:
            want = TEXT_PREFIX.sub(r'\1', want)
            got = EXCEPTION_MODULE.sub('', got)
        return doctest.OutputChecker.check_output(self, want, got,
                                                  optionflags)


def set_up(test):
    test.globs['portal'] = test.globs['layer']['portal']


def test_suite():
    suite = unittest.TestSuite()
    for name, layer in DOCTESTS:
        path = os.path.abspath(os.path.join(DOCS, name))
        suite.addTest(layered(
            doctest.DocFileSuite(path, module_relative=False, setUp=set_up,
                                 globs={'layer': layer},
                                 optionflags=FLAGS, encoding='utf-8',
                                 checker=Python2Output()),
            layer=layer))
    return suite
