# -*- coding: utf-8 -*-
"""Fixes that plone.app.async 1.7 / zc.async 1.5 need on Zope 4 + Twisted 20.

Applied once at Zope start-up (``initialize`` in configure.zcml) and by the
test layers; ``apply_patches`` is idempotent. Each fix has a regression test
in tests/test_compat.py that fails without it.

1. Zope 4 no longer sets ``Zope2.zpublisher_transactions_manager``;
   plone.app.async's job wrapper begins / commits through it, so without it
   every job fails with AttributeError.
2. Twisted 20's ``Failure`` subclasses ``BaseException``, so a stored
   ``zc.twist.Failure`` pickles through ``BaseException.__reduce__`` as
   ``(Failure, ())`` and cannot be unpickled (NoCurrentExceptionError). The
   first failed job then blocks the queue for good. We pickle it as a plain
   object instead, and let ``__init__`` accept the no-argument call that
   unpickling a pickle written before the fix makes.
"""
import copy_reg
import logging
import sys

import transaction
import zc.twist
import Zope2

logger = logging.getLogger('collective.cron')
_ORIGINAL_FAILURE_INIT = zc.twist.Failure.__init__


def failure_reduce(self):
    """Pickle a zc.twist.Failure by its state, never by calling Failure()."""
    return (copy_reg.__newobj__, (type(self),), self.__getstate__())


def failure_init(self, exc_value=None, exc_type=None, exc_tb=None):
    """Tolerate Failure() without a current exception (old pickles)."""
    if exc_value is None and exc_type is None and sys.exc_info()[0] is None:
        return
    _ORIGINAL_FAILURE_INIT(self, exc_value, exc_type, exc_tb)


def patch_transactions_manager():
    if getattr(Zope2, 'zpublisher_transactions_manager', None) is None:
        Zope2.zpublisher_transactions_manager = transaction.manager
        return True
    return False


def patch_failure_pickling():
    if zc.twist.Failure.__dict__.get('__reduce__') is failure_reduce:
        return False
    zc.twist.Failure.__reduce__ = failure_reduce
    zc.twist.Failure.__init__ = failure_init
    return True


def apply_patches(context=None):
    """Apply every fix once; ``context`` is the Zope product context."""
    applied = [patch_transactions_manager(), patch_failure_pickling()]
    if any(applied):
        logger.info('zc.async compatibility fixes for Zope 4 / Twisted 20 '
                    'applied')
