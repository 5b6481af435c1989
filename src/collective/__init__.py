# -*- coding: utf-8 -*-
"""The ``collective`` namespace: pkg_resources where setuptools still has
it (Python 2.7), pkgutil otherwise (setuptools 80+ on Python 3, beside the
native namespace portions that other collective.* packages install)."""
try:
    __import__('pkg_resources').declare_namespace(__name__)
except ImportError:
    __path__ = __import__('pkgutil').extend_path(__path__, __name__)
