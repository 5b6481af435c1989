# -*- coding: utf-8 -*-
"""R5: malformed input through the Python API, the registry records and
crons.xml imported by portal_setup. Each case reports whether it was
refused (with its message) or set aside with a logged warning, and whether
the valid crons were left exactly as they were."""
import io
import json
import tarfile

import transaction
from plone.protect.interfaces import IDisableCSRFProtection
from plone.registry.interfaces import IRegistry
from Products.CMFCore.utils import getToolByName
from zope.component import getUtility
from zope.interface import alsoProvides
from zope.schema.interfaces import ValidationError

from collective.cron.crontab import Cron
from collective.cron.crontab import Crontab
from collective.cron.interfaces import InvalidCron
from collective.cron.interfaces import InvalidCrontab
from collective.cron.registry import ACTIVATED
from collective.cron.registry import CRONTAB

from cronrel.views import JSONView

try:
    unicode
except NameError:  # Python 3
    unicode = str

REFUSALS = (InvalidCron, InvalidCrontab, ValidationError)
BASE = {'name': u'rel-record', 'periodicity': u'0 0 1 1 *',
        'activated': True}
OBJECT = object()

API_CASES = [
    ('periodicity None', {'periodicity': None}),
    ('periodicity int', {'periodicity': 42}),
    ('periodicity minute 61', {'periodicity': u'61 * * * *'}),
    ('periodicity 3 fields', {'periodicity': u'* * *'}),
    ('periodicity empty', {'periodicity': u''}),
    ('periodicity words', {'periodicity': u'every minute'}),
    ('periodicity 6 fields (croniter: seconds)',
     {'periodicity': u'* * * * * *'}),
    ('environ not JSON', {'environ': u'{not json'}),
    ('environ JSON list', {'environ': u'[1, 2]'}),
    ('environ int', {'environ': 42}),
    ('environ not JSON-able', {'environ': {'x': OBJECT}}),
    ('logs_limit text', {'logs_limit': u'abc'}),
    ('logs_limit 0', {'logs_limit': 0}),
    ('logs_limit 1000', {'logs_limit': 1000}),
    ('logs_limit 2.5', {'logs_limit': 2.5}),
    ('logs_limit None', {'logs_limit': None}),
    ('name None', {'name': None}),
    ('name blank', {'name': u'   '}),
    ('name int', {'name': 42}),
    ('user int', {'user': 42}),
    ('uid a list', {'uid': [42]}),
    ('activated "maybe"', {'activated': u'maybe'}),
    ('logs not a list', {'logs': u'{"date": 1}'}),
    ('logs with a bad status', {'logs': [{'date': u'2008-01-01 00:00:00',
                                           'status': 7}]}),
]

LOAD_CASES = [
    ('Crontab.load not JSON', lambda: Crontab.load(u'[not json')),
    ('Crontab.load JSON text', lambda: Crontab.load(u'"text"')),
    ('Cron.load JSON list', lambda: Cron.load(u'[1, 2]')),
    ('Cron.load bad periodicity', lambda: Cron.load(
        unicode(json.dumps(dict(BASE, periodicity=u'nope'))))),
]

SET_CASES = [
    ('set periodicity on a saved cron', 'periodicity', u'* * * * * * *'),
    ('set environ on a saved cron', 'environ', u'"text"'),
    ('set logs_limit on a saved cron', 'logs_limit', -1),
    ('set name on a saved cron', 'name', u''),
]

INVALID_RECORDS = [
    ('registry: record not JSON', u'{not json'),
    ('registry: record a JSON list', u'[1, 2, 3]'),
    ('registry: record with a bad periodicity', unicode(json.dumps(
        {'uid': u'bad-periodicity', 'name': u'x', 'periodicity': u'nope'}))),
    ('registry: record with logs_limit 0', unicode(json.dumps(
        dict(BASE, uid=u'bad-limit', logs_limit=0)))),
]

WRONG_VALUES = [
    ('registry: crontab record holding an int', CRONTAB, 'append', 42),
    ('registry: crontab record set to text', CRONTAB, 'set', u'[]'),
    ('registry: activated record set to text', ACTIVATED, 'set', u'yes'),
]

GOOD_CRON = (u'<cron uid="xml-good" name="rel-record" '
             u'periodicity="0 0 1 1 *" activated="true" />')
XML_CASES = [
    ('crons.xml: malformed XML', u'<crons><cron uid="a"></crons>'),
    ('crons.xml: wrong root', u'<crontab />'),
    ('crons.xml: bad periodicity', u'<crons><cron uid="x1" name="a" '
     u'periodicity="99 * * * *" /></crons>'),
    ('crons.xml: unknown attribute', u'<crons><cron uid="x2" name="a" '
     u'periodicity="* * * * *" colour="red" /></crons>'),
    ('crons.xml: environ not JSON', u'<crons><cron uid="x3" name="a" '
     u'periodicity="* * * * *"><environ>{oops</environ></cron></crons>'),
    ('crons.xml: logs element', u'<crons><cron uid="x4" name="a" '
     u'periodicity="* * * * *"><logs /></cron></crons>'),
    ('crons.xml: bad logs_limit', u'<crons><cron uid="x5" name="a" '
     u'periodicity="* * * * *" logs_limit="zero" /></crons>'),
    ('crons.xml: good cron then a bad one (all or nothing)',
     u'<crons>%s<cron uid="x6" name="" periodicity="* * * * *" /></crons>'
     % GOOD_CRON),
    ('crons.xml: activated not a boolean',
     u'<crons activated="perhaps" />'),
    ('crons.xml: external entity (XXE)',
     u'<!DOCTYPE crons [<!ENTITY e SYSTEM "file:///etc/hostname">]><crons>'
     u'<cron uid="x7" name="&e;" periodicity="* * * * *" /></crons>'),
]


def snapshot():
    """The valid crons' settings and the raw records, to compare."""
    crontab = Crontab.load()
    return {'crons': sorted((uid, sorted(cron.settings().items()))
                            for uid, cron in crontab.crons.items()),
            'activated': crontab.activated}


def message(exc):
    return u'%s: %s' % (type(exc).__name__, exc)


def outcome(name, entry, result, text, intact):
    return {'case': name, 'entry': entry, 'result': result,
            'message': text, 'others_intact': intact}


def attempt(function):
    """('refused', message), ('error', message) or ('ACCEPTED', '')."""
    try:
        function()
    except REFUSALS as exc:
        return 'refused', message(exc)
    except Exception as exc:  # noqa: B902 (reported as a finding)
        return 'error', message(exc)
    return 'ACCEPTED', u''


class BadInput(JSONView):

    @property
    def registry(self):
        return getUtility(IRegistry)

    def __call__(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        results = []
        for group in (self.api_cases, self.set_cases, self.invalid_records,
                      self.wrong_values, self.xml_cases):
            results.extend(group())
        return self.reply(results)

    def checked(self, name, entry, function):
        before = snapshot()
        savepoint = transaction.savepoint()
        result, text = attempt(function)
        intact = snapshot() == before
        savepoint.rollback()
        return outcome(name, entry, result, text, intact)

    def api_cases(self):
        cases = [(name, lambda kw=kwargs: Cron(**dict(BASE, **kw)))
                 for name, kwargs in API_CASES] + LOAD_CASES
        return [self.checked(name, 'Python API', function)
                for name, function in cases]

    def set_cases(self):
        def change(key, value):
            crontab = Crontab.load()
            cron = list(crontab.crons.values())[0]
            setattr(cron, key, value)
            cron.save()
        return [self.checked(name, 'Python API',
                             lambda k=key, v=value: change(k, v))
                for name, key, value in SET_CASES]

    def invalid_records(self):
        """Add each invalid record (kept afterwards, as a hand edit of the
        registry would leave it); then check a save keeps it."""
        results = []
        for name, record in INVALID_RECORDS:
            before = snapshot()
            records = self.registry[CRONTAB] + [record]
            self.registry[CRONTAB] = records
            crontab = Crontab.load()
            crontab.save()
            kept = record in self.registry[CRONTAB]
            set_aside = record in crontab.invalid_records
            results.append(outcome(
                name, 'registry record',
                'set aside (logged)' if set_aside and kept else 'LOST',
                u'skipped with a warning, kept in the registry after a save',
                snapshot() == before))
        return results

    def wrong_values(self):
        def change(key, how, value):
            current = self.registry[key]
            self.registry[key] = current + [value] if how == 'append' \
                else value
        return [self.checked(name, 'registry record',
                             lambda k=key, h=how, v=value: change(k, h, v))
                for name, key, how, value in WRONG_VALUES]

    def xml_cases(self):
        setup = getToolByName(self.context, 'portal_setup')
        return [self.checked(name, 'crons.xml (portal_setup)',
                             lambda b=body: import_xml(setup, b))
                for name, body in XML_CASES]


def tarball(filename, body):
    data = body.encode('utf-8')
    stream = io.BytesIO()
    archive = tarfile.open(fileobj=stream, mode='w:gz')
    info = tarfile.TarInfo(filename)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))
    archive.close()
    return stream.getvalue()


def import_xml(setup, body):
    """Import crons.xml from a tarball through portal_setup, running only
    the crons step."""
    others = [step for step in setup.getSortedImportSteps()
              if step != 'collective.cron.setupCrons']
    setup.runAllImportStepsFromProfile(
        None, archive=tarball('crons.xml', body), blacklisted_steps=others)
