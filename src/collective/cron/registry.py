# -*- coding: utf-8 -*-
"""The crontab in plone.app.registry: one JSON string per cron.

Records (2.x names): ``collective.cron.interfaces.IRegistryCrontab.activated``
and ``collective.cron.interfaces.IRegistryCrontab.crontab``. Saving fires
ModifiedCrontabEvent; editing the records any other way (registry.xml, the
registry control panel, code) fires a CrontabSynchronisationEvent, as
does a change of ``collective.cron.interfaces.ICrontabZoneSettings.timezone``
(the crontab-wide time zone, read into ``Crontab.timezone``).
"""
import contextlib
import json
import logging
import threading

import six
from plone.registry.events import RecordModifiedEvent
from plone.registry.interfaces import IRecordEvent
from plone.registry.interfaces import IRegistry
from plone.registry.recordsproxy import RecordsProxy
from zope.component import adapter
from zope.component import getUtility
from zope.component import queryUtility
from zope.component.hooks import getSite
from zope.event import notify
from zope.interface import implementer

from collective.cron import crontab as crontab_module
from collective.cron.events import CrontabSynchronisationEvent
from collective.cron.events import ModifiedCrontabEvent
from collective.cron.interfaces import ICrontab
from collective.cron.interfaces import ICrontabRegistryManager
from collective.cron.interfaces import ICrontabZoneSettings
from collective.cron.interfaces import IRegistryCrontab
from collective.cron.interfaces import InvalidObject
from collective.cron.interfaces import RegistryCrontabNotReady

PREFIX = IRegistryCrontab.__identifier__
ACTIVATED = PREFIX + '.activated'
CRONTAB = PREFIX + '.crontab'
#: the crontab-wide time zone (its own schema: not a 2.x record)
ZONE = ICrontabZoneSettings.__identifier__ + '.timezone'

logger = logging.getLogger('collective.cron')

_saving = threading.local()


@contextlib.contextmanager
def saving():
    """While the manager writes, record events are its own: no extra sync."""
    _saving.depth = getattr(_saving, 'depth', 0) + 1
    try:
        yield
    finally:
        _saving.depth -= 1


def is_saving():
    return getattr(_saving, 'depth', 0) > 0


def dumps(data):
    """A cron's dump as its JSON record (keys sorted, ASCII)."""
    return six.ensure_text(json.dumps(data, sort_keys=True), 'ascii')


def encode(cron):
    return dumps(cron.dump())


def record_uid(record):
    """The uid of a JSON record, or None when it cannot be read."""
    try:
        data = json.loads(record)
    except (TypeError, ValueError):
        return None
    return data.get('uid') if isinstance(data, dict) else None


@implementer(ICrontabRegistryManager)
@adapter(ICrontab)
class CrontabRegistryManager(object):
    """Reads and writes a crontab in the current site's registry."""

    def __init__(self, context):
        self.context = context

    @property
    def registry(self):
        return getUtility(IRegistry)

    @property
    def cronsettings(self):
        try:
            return self.registry.forInterface(IRegistryCrontab)
        except KeyError:
            raise RegistryCrontabNotReady(
                'the registry has no %s records: install the '
                'collective.cron:default profile' % PREFIX)

    @property
    def activated(self):
        return bool(self.cronsettings.activated)

    @activated.setter
    def activated(self, value):
        if not self.read_only:
            self.cronsettings.activated = bool(value)

    @property
    def timezone(self):
        """The crontab-wide zone name; None (server local zone) when unset,
        missing (a site not upgraded yet, no registry: 2.x's tests give the
        manager records of their own) or not a known zone (logged)."""
        registry = queryUtility(IRegistry)
        value = registry.get(ZONE) if registry is not None else None
        try:
            return crontab_module.check_timezone(value)
        except InvalidObject as exc:
            logger.warning('collective.cron: %s: the server\'s local time '
                           'zone is used', exc)
            return None

    @property
    def crontab(self):
        """The registry's list of JSON records (the stored list, as 2.x)."""
        stored = self.cronsettings.crontab
        return stored if stored is not None else []

    @crontab.setter
    def crontab(self, records):
        """Replace the records in the stored list (a list read before stays
        the registry's, as in 2.x)."""
        if not self.read_only:
            self.cronsettings.crontab = self.stored(records)

    def stored(self, records):
        """The registry's list, its content replaced by ``records``.

        A list that is still a field's default (a new site's records share
        it with the schema, and with every other new site) is never
        changed: a fresh list is used instead.
        """
        stored = self.crontab
        if any(stored is default for default in self.defaults()):
            stored = []
        stored[:] = list(records)
        return stored

    def defaults(self):
        """The default lists of the crontab field: the schema's and, with
        the real registry, the record's."""
        defaults = [IRegistryCrontab['crontab'].default]
        if isinstance(self.cronsettings, RecordsProxy):
            defaults.append(self.registry.records[CRONTAB].field.default)
        return defaults

    @property
    def read_only(self):
        """The crontab's read_only flag (setting it sets the crontab's)."""
        return getattr(self.context, 'read_only', False)

    @read_only.setter
    def read_only(self, value):
        self.context.read_only = value

    def dumps(self, value):
        """JSON text of a cron's dump (2.x)."""
        return dumps(value)

    def loads(self, value):
        """The data of a JSON record (2.x)."""
        return json.loads(value)

    def load(self, read_only=False):
        """A Crontab of the registry's crons (invalid records set aside)."""
        crontab = crontab_module.Crontab(activated=self.activated,
                                         read_only=read_only,
                                         timezone=self.timezone)
        for record in self.crontab:
            crontab.load_record(record)
        return crontab

    def save(self):
        """Write every cron and the switch; keep records that are invalid."""
        if self.read_only:
            return
        records = [encode(cron) for cron in self.context.crons.values()]
        records.extend(self.unreadable(list(self.crontab), set(records)))
        with saving():
            self.activated = self.context.activated
            self.crontab = records
        self.context.records = dict(zip(self.context.crons, records))
        notify(ModifiedCrontabEvent(self.context))

    def unreadable(self, records, written):
        """The records among ``records`` that are not valid crons."""
        kept = []
        for record in records:
            if record in written:
                continue
            try:
                crontab_module.Cron.load(record)
            except (InvalidObject, TypeError):
                kept.append(record)
        return kept

    def save_cron(self, cron):
        """Rewrite this cron's record only (append it if it is new)."""
        if self.read_only:
            return
        records = list(self.crontab)
        record = encode(cron)
        position = self.position(records, cron.uid)
        if position is None:
            records.append(record)
        else:
            records[position] = record
        with saving():
            self.write_crontab(records, record)
        self.context.records[cron.uid] = record
        notify(ModifiedCrontabEvent(self.context, cron=cron))

    def write_crontab(self, records, changed):
        """Set the crontab records, validating only the ``changed`` one.

        Setting the record's value would validate every record again, which
        makes saving one cron cost as much as saving them all. Settings
        that are not the registry's records (a test double) are just set.
        """
        if not isinstance(self.cronsettings, RecordsProxy):
            self.crontab = records
            return
        record = self.registry.records[CRONTAB]
        field = record.field.bind(record)
        field.value_type.bind(record).validate(changed)
        old = list(record.value or ())
        records = self.stored(records)
        # plone.registry has no public way to set a value without
        # validating it whole: its records' value store is used directly
        self.registry.records._values[CRONTAB] = records
        notify(RecordModifiedEvent(record, old, records))

    def position(self, records, uid):
        known = self.context.records.get(uid)
        if known is not None and known in records:
            return records.index(known)
        for index, record in enumerate(records):
            if record_uid(record) == uid:
                return index
        return None


@adapter(IRecordEvent)
def record_changed(event):
    """A crontab record changed outside the manager: synchronise."""
    name = getattr(event.record, '__name__', None) or ''
    ours = name.startswith(PREFIX + '.') or name == ZONE
    if not ours or is_saving():
        return
    site = getSite()
    if site is None or not has_records():
        return
    notify(CrontabSynchronisationEvent(site))


def has_records():
    """True when both crontab records exist (not while being installed)."""
    registry = getUtility(IRegistry)
    return ACTIVATED in registry.records and CRONTAB in registry.records
