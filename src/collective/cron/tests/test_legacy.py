# -*- coding: utf-8 -*-
"""collective.cron.legacy: 2.x pickles of ``ordereddict.OrderedDict`` load."""
import collections
import sys
import types
import unittest

from six.moves import cPickle as pickle

from collective.cron import legacy

#: what ordereddict 1.1 wrote for OrderedDict([('b', 2), ('a', 1)]): its
#: __reduce__ gives (OrderedDict, ([[key, value], ...],))
ORDEREDDICT_PICKLE = (
    b'\x80\x02cordereddict\nOrderedDict\nq\x01]q\x02(]q\x03(U\x01bK\x02e'
    b']q\x04(U\x01aK\x01ee\x85Rq\x05.')


class saved_module(object):
    """Restores sys.modules['ordereddict'] as it was."""

    def __enter__(self):
        self.saved = sys.modules.get(legacy.LEGACY_MODULE, self)

    def __exit__(self, *exc_info):
        if self.saved is self:
            sys.modules.pop(legacy.LEGACY_MODULE, None)
        else:
            sys.modules[legacy.LEGACY_MODULE] = self.saved


class TestOrderedDictAlias(unittest.TestCase):

    def test_importing_collective_cron_provides_ordereddict(self):
        import ordereddict
        self.assertTrue(hasattr(ordereddict, 'OrderedDict'))

    def test_the_alias_is_collections_ordereddict(self):
        with saved_module():
            sys.modules[legacy.LEGACY_MODULE] = None  # import fails
            module = legacy.install()
            self.assertIs(sys.modules[legacy.LEGACY_MODULE], module)
            self.assertIs(module.OrderedDict, collections.OrderedDict)

    def test_a_2x_pickle_loads_in_order(self):
        with saved_module():
            sys.modules[legacy.LEGACY_MODULE] = None
            legacy.install()
            loaded = pickle.loads(ORDEREDDICT_PICKLE)
        self.assertIsInstance(loaded, collections.OrderedDict)
        self.assertEqual(list(loaded.items()), [('b', 2), ('a', 1)])

    def test_the_real_package_is_kept(self):
        real = types.ModuleType(legacy.LEGACY_MODULE)
        real.OrderedDict = type('OrderedDict', (dict,), {})
        with saved_module():
            sys.modules[legacy.LEGACY_MODULE] = real
            self.assertIs(legacy.install(), real)
            self.assertIs(sys.modules[legacy.LEGACY_MODULE], real)
