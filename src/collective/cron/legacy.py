# -*- coding: utf-8 -*-
"""Names that databases written by collective.cron 2.x need to load.

collective.cron 2.x kept the crons of its crontab in an
``ordereddict.OrderedDict`` (the ``ordereddict`` package, a backport for
Python 2.6), and the jobs it queued in zc.async pickled that class. This
package does not depend on ``ordereddict``: when it is not installed,
``install()`` makes ``import ordereddict`` give a module whose
``OrderedDict`` is ``collections.OrderedDict``, so those pickles load.
"""
from __future__ import absolute_import

import collections
import sys
import types

LEGACY_MODULE = 'ordereddict'


def alias_module():
    """A module ``ordereddict`` providing ``collections.OrderedDict``."""
    module = types.ModuleType(
        LEGACY_MODULE, 'collections.OrderedDict under the name of the '
        'ordereddict package (installed by collective.cron.legacy)')
    module.OrderedDict = collections.OrderedDict
    return module


def install():
    """Provide ``ordereddict`` unless the real package can be imported.

    Returns the module ``import ordereddict`` now gives.
    """
    try:
        import ordereddict
    except ImportError:
        ordereddict = sys.modules[LEGACY_MODULE] = alias_module()
    return ordereddict
