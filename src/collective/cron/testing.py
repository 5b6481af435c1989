# -*- coding: utf-8 -*-
"""The test layers of this Python's job backend, kept at the former path of
collective.cron.zcasync.testing for add-ons and tests that import it: on
Python 2 this name is collective.cron.zcasync.testing, on Python 3
collective.cron.hueybackend.testing (the same module object, not a copy,
so what is read or set through either name is the same)."""
import sys

if sys.version_info[0] == 2:
    from collective.cron.zcasync import testing
else:
    from collective.cron.hueybackend import testing

sys.modules[__name__] = testing
