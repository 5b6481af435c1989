# -*- coding: utf-8 -*-
"""A faked clock for tests, for the whole process (every thread).

``install()`` replaces ``datetime.datetime`` with FakeDatetime, whose
``now()``, ``utcnow()`` and ``today()`` give the frozen instant that
``set_now`` moves; ``uninstall()`` puts the real class back. Code that
reads the time through ``datetime.datetime`` at call time follows it
(collective.cron's utils.now, Huey's ETAs and scheduler: huey.utils.utcnow
calls ``datetime.datetime.now``); ``time.time()`` is not faked.

While installed:
- ``isinstance(value, datetime.datetime)`` is true for real datetimes too;
- datetimes of either class pickle through ``rebuild`` (the ZODB and
  Huey's serializer pickle them), which makes them with whatever
  ``datetime.datetime`` is at load time.
"""
import datetime
import threading

import six
from six.moves import copyreg

REAL = datetime.datetime
_frozen = [REAL(2008, 1, 1, tzinfo=datetime.timezone.utc)]
_lock = threading.Lock()


def rebuild(*args):
    """A datetime from its pickled state (see the module)."""
    return datetime.datetime(*args)


def reduce_datetime(value):
    return rebuild, REAL.__reduce_ex__(value, 2)[1]


class FakeDatetimeType(type):
    """Real datetimes are instances of the fake class too."""

    def __instancecheck__(cls, value):
        return isinstance(value, REAL)

    def __subclasscheck__(cls, other):
        return issubclass(other, REAL)


class FakeDatetime(six.with_metaclass(FakeDatetimeType, REAL)):
    """``datetime.datetime`` with a frozen clock (see the module)."""

    @classmethod
    def now(cls, tz=None):
        instant = _frozen[0]
        if tz is None:
            local = REAL.fromtimestamp(instant.timestamp())
            return cls.of(local)
        return cls.of(instant.astimezone(tz))

    @classmethod
    def utcnow(cls):
        return cls.of(_frozen[0].replace(tzinfo=None))

    @classmethod
    def today(cls):
        return cls.now()

    @classmethod
    def of(cls, value):
        """``value`` (a real datetime) as an instance of this class."""
        return cls(value.year, value.month, value.day, value.hour,
                   value.minute, value.second, value.microsecond,
                   value.tzinfo, fold=value.fold)

    def __reduce_ex__(self, protocol):
        return reduce_datetime(self)

    def __reduce__(self):
        return reduce_datetime(self)


def installed():
    return datetime.datetime is FakeDatetime


def install():
    """Fake the clock (frozen where set_now last put it); False when it
    was already installed."""
    with _lock:
        if installed():
            return False
        copyreg.pickle(REAL, reduce_datetime)
        datetime.datetime = FakeDatetime
        return True


def uninstall():
    with _lock:
        datetime.datetime = REAL
        copyreg.dispatch_table.pop(REAL, None)


def set_now(value):
    """Move the clock to ``value``, an aware datetime."""
    if value.utcoffset() is None:
        raise ValueError('set_now needs an aware datetime: %r' % (value,))
    instant = value.astimezone(datetime.timezone.utc)
    _frozen[0] = REAL(instant.year, instant.month, instant.day,
                      instant.hour, instant.minute, instant.second,
                      instant.microsecond, datetime.timezone.utc)


def real_now():
    """The real time (aware UTC), whatever the fake clock says."""
    return REAL.now(datetime.timezone.utc)
