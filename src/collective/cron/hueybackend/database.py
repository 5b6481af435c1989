# -*- coding: utf-8 -*-
"""Zope's main database, for the tasks (which open their own connection).

Set when Zope opens it (``database_opened``, an IDatabaseOpenedWithRoot
subscriber); a test layer points it at its own database with ``set_db``.
"""
_db = []


def set_db(db):
    """Tasks open ``db`` from now on (None: none)."""
    _db[:] = [db] if db is not None else []


def get_db():
    """The database tasks open; RuntimeError before Zope opened one."""
    if not _db:
        raise RuntimeError('collective.cron: no database to run Huey tasks '
                           'in (Zope has not opened its database yet)')
    return _db[0]


def database_opened(event):
    """Keep the database Zope opened (IDatabaseOpenedWithRoot)."""
    set_db(event.database)
