# -*- coding: utf-8 -*-
"""2.x's collective.cron.adapters.exportimport (see exportimport.py)."""
from collective.cron.exportimport import CronsExportImporter

__all__ = ['CronsExportImporter']
