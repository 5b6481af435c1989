# -*- coding: utf-8 -*-
"""The former path of collective.cron.zcasync.worker, kept for add-ons and
tests that import it: this name is the same module object (not a copy), so
what is read or set through either name is the same."""
import sys

from collective.cron.zcasync import worker

sys.modules[__name__] = worker
