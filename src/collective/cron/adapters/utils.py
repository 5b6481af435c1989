# -*- coding: utf-8 -*-
"""2.x's collective.cron.adapters.utils (see ccronutils.py)."""
from collective.cron.ccronutils import CCRONUtils

__all__ = ['CCRONUtils']
