# -*- coding: utf-8 -*-
"""The crons.xml import / export steps, the test profile and upgrades."""
import io
import json
import tarfile
import unittest

import six
import transaction
from plone.registry.interfaces import IRegistry
from Products.GenericSetup.context import TarballImportContext
from zope.component import getUtility
from zope.component import provideHandler
from zope.component.globalregistry import getGlobalSiteManager

from collective.cron import exportimport
from collective.cron.crontab import Cron
from collective.cron.crontab import Crontab
from collective.cron.exportimport import CronsExportImporter
from collective.cron.interfaces import ICrontabMarker
from collective.cron.interfaces import IModifiedCrontabEvent
from collective.cron.interfaces import InvalidCrontab
from collective.cron.interfaces import IQueue
from collective.cron.registry import ACTIVATED
from collective.cron.registry import CRONTAB
from collective.cron.testing import COLLECTIVE_CRON_FUNCTIONAL_TESTING
from collective.cron.testing import COLLECTIVE_CRON_INTEGRATION_TESTING

STEP = 'collective.cron.setupCrons'
PROFILE = 'collective.cron:default'
TEST_PROFILE = 'profile-collective.cron.tests:crons'


class FakeImportContext(object):
    """The part of a GenericSetup import context the step reads."""

    def __init__(self, site, **files):
        self.site = site
        self.files = dict((name.replace('_', '.'), body)
                          for name, body in files.items())

    def getSite(self):
        return self.site

    def readDataFile(self, filename, subdir=None):
        return self.files.get(filename)


class FakeExportContext(object):
    """The part of a GenericSetup export context the step writes to."""

    def __init__(self, site):
        self.site = site
        self.files = {}

    def getSite(self):
        return self.site

    def writeDataFile(self, filename, text, content_type, subdir=None):
        self.files[filename] = (text, content_type)


class SaveCounter(object):
    """Counts the crontab saves while used as a context manager."""

    def __init__(self):
        self.count = 0

    def __call__(self, event):
        self.count += 1

    def __enter__(self):
        provideHandler(self, [IModifiedCrontabEvent])
        return self

    def __exit__(self, *exc_info):
        getGlobalSiteManager().unregisterHandler(self, [IModifiedCrontabEvent])


def crons_xml(*crons, **root):
    """A crons.xml document (UTF-8 bytes) of <cron> snippets."""
    attributes = u''.join(u' %s="%s"' % item for item in root.items())
    body = u'<?xml version="1.0" encoding="utf-8"?>\n<crons%s>%s</crons>' % (
        attributes, u''.join(crons))
    return body.encode('utf-8')


class ImportTestCase(unittest.TestCase):

    layer = COLLECTIVE_CRON_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer['portal']
        self.registry = getUtility(IRegistry)

    def run_import(self, **files):
        exportimport.import_crons(FakeImportContext(self.portal, **files))
        return Crontab.load()

    def records(self):
        return (self.registry[ACTIVATED], list(self.registry[CRONTAB]))

    def seed(self):
        """Two crons in the registry: 'a' (activated) and 'b'."""
        crontab = Crontab.load()
        Cron(uid=u'a', name=u'record', periodicity=u'*/5 * * * *',
             activated=True, environ={u'x': 1}, crontab=crontab)
        Cron(uid=u'b', name=u'warn', periodicity=u'0 3 * * *',
             user=u'admin', crontab=crontab)
        crontab.save()


class TestImport(ImportTestCase):

    def test_steps_are_registered(self):
        setup = self.portal.portal_setup
        self.assertIn(STEP, setup.getSortedImportSteps())
        self.assertIn(STEP, setup.listExportSteps())
        self.assertIn('plone.app.registry',
                      setup.getImportStepMetadata(STEP)['dependencies'])

    def test_add_with_defaults(self):
        crontab = self.run_import(crons_xml=crons_xml(
            u'<cron uid="n1" name="record" periodicity="*/10 * * * *"/>'))
        cron = crontab.by_uid(u'n1')
        self.assertEqual(
            (cron.name, cron.periodicity, cron.activated, cron.environ,
             cron.user, cron.logs_limit),
            (u'record', u'*/10 * * * *', False, {}, None, 5))

    def test_add_every_attribute(self):
        crontab = self.run_import(crons_xml=crons_xml(
            u'<cron uid="n1" name="record" periodicity="0 3 * * *" '
            u'activated="true" user="admin" logs_limit="12">'
            u'<environ><![CDATA[ {"k": "v", "n": [1, 2]} ]]></environ>'
            u'</cron>'))
        cron = crontab.by_uid(u'n1')
        self.assertEqual(
            (cron.activated, cron.environ, cron.user, cron.logs_limit),
            (True, {u'k': u'v', u'n': [1, 2]}, u'admin', 12))

    def test_non_ascii_environ_and_name(self):
        crontab = self.run_import(crons_xml=crons_xml(
            u'<cron uid="n1" name="t\xe2che" periodicity="0 3 * * *">'
            u'<environ><![CDATA[{"title": "Gr\xfc\xdf Gott \u2603"}]]>'
            u'</environ></cron>'))
        cron = crontab.by_uid(u'n1')
        self.assertEqual(cron.name, u't\xe2che')
        self.assertEqual(cron.environ, {u'title': u'Gr\xfc\xdf Gott \u2603'})

    def test_edit_changes_only_given_attributes(self):
        self.seed()
        crontab = self.run_import(crons_xml=crons_xml(
            u'<cron uid="a" periodicity="0 4 * * *" activated="false"/>'))
        cron = crontab.by_uid(u'a')
        self.assertEqual(
            (cron.name, cron.periodicity, cron.activated, cron.environ),
            (u'record', u'0 4 * * *', False, {u'x': 1}))
        self.assertEqual(crontab.by_uid(u'b').user, u'admin')

    def test_edit_environ_user_and_logs_limit(self):
        self.seed()
        crontab = self.run_import(crons_xml=crons_xml(
            u'<cron uid="b" user="" logs_limit="2"><environ/></cron>',
            u'<cron uid="a"><environ>{"y": "z"}</environ></cron>'))
        self.assertEqual(crontab.by_uid(u'a').environ, {u'y': u'z'})
        self.assertEqual((crontab.by_uid(u'b').user,
                          crontab.by_uid(u'b').logs_limit), (None, 2))

    def test_add_time_zone_and_misfire(self):
        crontab = self.run_import(crons_xml=crons_xml(
            u'<cron uid="n1" name="record" periodicity="0 3 * * *" '
            u'timezone="Europe/Paris" misfire="skip" misfire_grace="300"/>'))
        cron = crontab.by_uid(u'n1')
        self.assertEqual((cron.timezone, cron.misfire, cron.misfire_grace),
                         (u'Europe/Paris', u'skip', 300))

    def test_edit_time_zone_and_misfire(self):
        self.seed()
        crontab = self.run_import(crons_xml=crons_xml(
            u'<cron uid="a" timezone="America/New_York" misfire="run_once" '
            u'misfire_grace="0"/>',
            u'<cron uid="a" timezone="" misfire_grace=""/>'))
        cron = crontab.by_uid(u'a')
        self.assertEqual((cron.timezone, cron.misfire, cron.misfire_grace),
                         (None, u'run_once', None))
        self.assertNotIn('timezone', cron.dump())

    def test_add_and_edit_alert_settings(self):
        self.seed()
        crontab = self.run_import(crons_xml=crons_xml(
            u'<cron uid="n1" name="record" periodicity="0 3 * * *" '
            u'alert_after="0" alert_to="ops@example.org, dev@example.org"/>',
            u'<cron uid="a" alert_after="5"/>',
            u'<cron uid="a" alert_to=""/>'))
        cron = crontab.by_uid(u'n1')
        self.assertEqual((cron.alert_after, cron.alert_to),
                         (0, [u'ops@example.org', u'dev@example.org']))
        self.assertEqual((crontab.by_uid(u'a').alert_after,
                          crontab.by_uid(u'a').alert_to), (5, None))

    def test_remove(self):
        self.seed()
        crontab = self.run_import(crons_xml=crons_xml(
            u'<cron uid="a" remove="true"/>',
            u'<cron uid="unknown" remove="true"/>'))
        self.assertEqual(list(crontab.crons), [u'b'])

    def test_remove_then_add_again(self):
        self.seed()
        crontab = self.run_import(crons_xml=crons_xml(
            u'<cron uid="a" remove="true"/>',
            u'<cron uid="a" name="message" periodicity="0 5 * * *"/>'))
        cron = crontab.by_uid(u'a')
        self.assertEqual(
            (cron.name, cron.periodicity, cron.activated, cron.environ),
            (u'message', u'0 5 * * *', False, {}))
        self.assertEqual(list(crontab.crons), [u'b', u'a'])

    def test_document_order(self):
        crontab = self.run_import(crons_xml=crons_xml(
            u'<cron uid="z" name="record" periodicity="0 1 * * *"/>',
            u'<cron uid="m" name="record" periodicity="0 2 * * *"/>',
            u'<cron uid="z" name="warn"/>'))
        self.assertEqual(list(crontab.crons), [u'z', u'm'])
        self.assertEqual(crontab.by_uid(u'z').name, u'warn')

    def test_crontab_activated_attribute(self):
        crontab = self.run_import(crons_xml=crons_xml(activated=u'false'))
        self.assertFalse(crontab.activated)

    def test_both_files_in_one_save(self):
        with SaveCounter() as saves:
            crontab = self.run_import(
                crons_xml=crons_xml(
                    u'<cron uid="n1" name="record" periodicity="0 3 * * *"/>'),
                crontab_xml=crons_xml(u'<cron uid="n1" activated="yes"/>'))
        self.assertEqual(saves.count, 1)
        self.assertTrue(crontab.by_uid(u'n1').activated)

    def test_no_file_does_nothing(self):
        self.seed()
        before = self.records()
        with SaveCounter() as saves:
            self.run_import()
        self.assertEqual(saves.count, 0)
        self.assertEqual(self.records(), before)

    def test_import_through_portal_setup(self):
        tarball = make_tarball({'crons.xml': crons_xml(
            u'<cron uid="t1" name="record" periodicity="0 3 * * *"/>')})
        setup = self.portal.portal_setup
        exportimport.import_crons(
            TarballImportContext(setup, tarball, should_purge=False))
        self.assertEqual(Crontab.load().by_uid(u't1').name, u'record')


class TestBadInput(ImportTestCase):
    """Every bad file raises an InvalidCrontab (a ValueError) naming the
    file, the cron and the problem, and changes nothing."""

    def assert_rejected(self, body, words, filename='crons.xml',
                        other=None):
        self.seed()
        before = self.records()
        files = {filename.replace('.', '_'): body}
        if other is not None:
            files['crons_xml'] = other
        with SaveCounter() as saves:
            with self.assertRaises(InvalidCrontab) as caught:
                self.run_import(**files)
        self.assertIsInstance(caught.exception, ValueError)
        message = str(caught.exception)
        for word in (filename,) + tuple(words):
            self.assertIn(word, message)
        self.assertEqual(saves.count, 0)
        self.assertEqual(self.records(), before)

    def test_malformed_xml(self):
        self.assert_rejected(b'<crons><cron uid="a"></crons>',
                             ['malformed XML'])

    def test_empty_file(self):
        self.assert_rejected(b'', ['malformed XML'])

    def test_wrong_root(self):
        self.assert_rejected(b'<crontab/>', ['root element'])

    def test_cron_without_uid(self):
        self.assert_rejected(
            crons_xml(u'<cron name="record" periodicity="0 3 * * *"/>'),
            ['(no uid)', 'needs a uid'])

    def test_add_without_name(self):
        self.assert_rejected(
            crons_xml(u'<cron uid="new1" periodicity="0 3 * * *"/>'),
            ['cron new1', 'needs a name'])

    def test_add_without_periodicity(self):
        self.assert_rejected(crons_xml(u'<cron uid="new1" name="record"/>'),
                             ['cron new1', 'needs a periodicity'])

    def test_invalid_periodicity_on_add(self):
        self.assert_rejected(
            crons_xml(u'<cron uid="new1" name="record" periodicity="61 *"/>'),
            ['cron new1', 'periodicity', '61 *'])

    def test_invalid_periodicity_on_edit(self):
        self.assert_rejected(
            crons_xml(u'<cron uid="a" periodicity="every day"/>'),
            ['cron a', 'periodicity', 'every day'])

    def test_environ_not_json(self):
        self.assert_rejected(
            crons_xml(u'<cron uid="a"><environ>{k: v}</environ></cron>'),
            ['cron a', 'environ', 'not JSON'])

    def test_environ_not_an_object(self):
        self.assert_rejected(
            crons_xml(u'<cron uid="a"><environ>[1, 2]</environ></cron>'),
            ['cron a', 'environ', 'JSON object'])

    def test_environ_with_elements(self):
        self.assert_rejected(
            crons_xml(u'<cron uid="a"><environ><k>v</k></environ></cron>'),
            ['cron a', 'environ'])

    def test_unknown_attribute(self):
        self.assert_rejected(
            crons_xml(u'<cron uid="a" colour="blue"/>'),
            ['cron a', "unknown attribute 'colour'"])

    def test_unknown_root_attribute(self):
        self.assert_rejected(crons_xml(colour=u'blue'),
                             ["unknown attribute 'colour'"])

    def test_unknown_element(self):
        self.assert_rejected(
            crons_xml(u'<cron uid="a"><schedule/></cron>'),
            ['cron a', 'unknown element <schedule>'])

    def test_logs_attribute(self):
        self.assert_rejected(crons_xml(u'<cron uid="a" logs="[]"/>'),
                             ['cron a', 'logs cannot be imported'])

    def test_logs_element(self):
        self.assert_rejected(
            crons_xml(u'<cron uid="a"><logs/></cron>'),
            ['cron a', 'logs cannot be imported'])

    def test_logs_at_the_root(self):
        self.assert_rejected(crons_xml(u'<logs/>'),
                             ['logs cannot be imported'])

    def test_invalid_activated(self):
        self.assert_rejected(crons_xml(u'<cron uid="a" activated="maybe"/>'),
                             ['cron a', 'activated', 'maybe'])

    def test_invalid_logs_limit(self):
        self.assert_rejected(crons_xml(u'<cron uid="b" logs_limit="99"/>'),
                             ['cron b', 'logs_limit', '99'])

    def test_invalid_timezone_on_edit(self):
        self.assert_rejected(
            crons_xml(u'<cron uid="a" timezone="Mars/Olympus"/>'),
            ['cron a', "Invalid cron timezone 'Mars/Olympus'",
             'unknown time zone'])

    def test_invalid_timezone_on_add(self):
        self.assert_rejected(
            crons_xml(u'<cron uid="new1" name="record" '
                      u'periodicity="0 3 * * *" timezone="CEST+2"/>'),
            ['cron new1', "Invalid cron timezone 'CEST+2'"])

    def test_invalid_alert_settings(self):
        self.assert_rejected(
            crons_xml(u'<cron uid="a" alert_to="ops, dev@example.org"/>'),
            ['cron a', "Invalid cron alert_to 'ops, dev@example.org'",
             "u'ops' is not an email address"])

    def test_invalid_misfire(self):
        self.assert_rejected(
            crons_xml(u'<cron uid="b" misfire="sometimes"/>'),
            ['cron b', "Invalid cron misfire 'sometimes'", 'run_once, skip'])

    def test_invalid_misfire_grace(self):
        self.assert_rejected(
            crons_xml(u'<cron uid="b" misfire_grace="soon"/>'),
            ['cron b', "Invalid cron misfire_grace 'soon'",
             'not a number of seconds'])

    def test_negative_misfire_grace(self):
        self.assert_rejected(
            crons_xml(u'<cron uid="a" misfire_grace="-5"/>'),
            ['cron a', "Invalid cron misfire_grace '-5'", '0 or more'])

    def test_invalid_remove(self):
        self.assert_rejected(crons_xml(u'<cron uid="b" remove="perhaps"/>'),
                             ['cron b', 'remove', 'perhaps'])

    def test_invalid_crontab_activated(self):
        self.assert_rejected(crons_xml(activated=u'sometimes'),
                             ['crontab activated', 'sometimes'])

    def test_non_ascii_uid_in_message(self):
        self.assert_rejected(
            crons_xml(u'<cron uid="\xe9t\xe9" name="record"/>'),
            ['cron \\xe9t\\xe9', 'needs a periodicity'])

    def test_an_error_after_good_entries_applies_nothing(self):
        self.assert_rejected(
            crons_xml(u'<cron uid="a" remove="true"/>',
                      u'<cron uid="n1" name="record" '
                      u'periodicity="0 3 * * *"/>',
                      u'<cron uid="b" periodicity="nope"/>'),
            ['cron b', 'nope'])

    def test_an_error_in_crontab_xml_undoes_crons_xml(self):
        self.assert_rejected(
            crons_xml(u'<cron uid="a" name=""/>'), ['cron a', 'name'],
            filename='crontab.xml',
            other=crons_xml(u'<cron uid="b" remove="true"/>'))


def make_tarball(files):
    """A .tar.gz archive (bytes) of name -> bytes."""
    stream = io.BytesIO()
    archive = tarfile.open(fileobj=stream, mode='w:gz')
    for name, body in files.items():
        info = tarfile.TarInfo(name)
        info.size = len(body)
        archive.addfile(info, io.BytesIO(body))
    archive.close()
    return stream.getvalue()


def read_tarball(tarball, name):
    archive = tarfile.open(fileobj=io.BytesIO(tarball), mode='r:gz')
    return archive.extractfile(name).read()


class TestExport(ImportTestCase):

    def seed_all_kinds(self):
        crontab = Crontab.load()
        crontab.activated = False
        Cron(uid=u'a', name=u'record', periodicity=u'*/5 * * * *',
             activated=True, crontab=crontab, logs_limit=5,
             environ={u'title': u'Gr\xfc\xdf \u2603', u'tricky': u']]>',
                      u'nested': {u'list': [1, 2.5, None, True]}})
        Cron(uid=u'b', name=u'warn', periodicity=u'0 3 * * 1',
             user=u'admin', logs_limit=20, crontab=crontab)
        Cron(uid=u'c', name=u'message', periodicity=u'0 0 1 1 *',
             crontab=crontab).log(messages=[u'a log is not exported'])
        crontab.save()
        return Crontab.load()

    def export(self):
        context = FakeExportContext(self.portal)
        exportimport.export_crons(context)
        body, content_type = context.files['crons.xml']
        self.assertEqual(content_type, 'text/xml')
        return body

    def empty_crontab(self):
        crontab = Crontab.load()
        crontab.crons.clear()
        crontab.activated = True
        crontab.save()

    def test_export_format(self):
        self.seed_all_kinds()
        root = exportimport.parse('crons.xml', self.export())
        self.assertEqual(root.get('activated'), 'false')
        nodes = dict((node.get('uid'), node) for node in root)
        self.assertEqual(sorted(nodes), ['a', 'b', 'c'])
        self.assertEqual(dict(nodes['b'].attrib), {
            'uid': 'b', 'name': 'warn', 'periodicity': '0 3 * * 1',
            'activated': 'false', 'user': 'admin', 'logs_limit': '20'})
        self.assertNotIn('user', nodes['a'].attrib)
        self.assertNotIn('logs_limit', nodes['a'].attrib)
        self.assertEqual(json.loads(nodes['c'].find('environ').text), {})
        self.assertNotIn(b'a log is not exported', self.export())

    def test_round_trip_on_an_empty_crontab(self):
        original = self.seed_all_kinds()
        body = self.export()
        self.empty_crontab()
        self.assertEqual(len(Crontab.load().crons), 0)
        imported = self.run_import(crons_xml=body)
        self.assertEqual(imported, original)
        self.assertEqual(imported.by_uid(u'a').environ[u'tricky'], u']]>')

    def test_round_trip_of_time_zone_and_misfire(self):
        original = self.seed_all_kinds()
        cron = original.by_uid(u'b')
        cron.timezone = u'Asia/Kolkata'
        cron.misfire = u'skip'
        cron.misfire_grace = 0
        original.by_uid(u'c').misfire = u'run_once'
        original.save()
        original = Crontab.load()
        body = self.export()
        nodes = dict((node.get('uid'), node)
                     for node in exportimport.parse('crons.xml', body))
        self.assertEqual(
            [nodes['b'].get(key) for key in
             ('timezone', 'misfire', 'misfire_grace')],
            ['Asia/Kolkata', 'skip', '0'])
        self.assertEqual(sorted(nodes['c'].attrib),
                         ['activated', 'logs_limit', 'misfire', 'name',
                          'periodicity', 'uid'])
        self.empty_crontab()
        imported = self.run_import(crons_xml=body)
        self.assertEqual(imported, original)
        self.assertEqual(imported.by_uid(u'b').misfire_grace, 0)

    def test_round_trip_of_alert_settings(self):
        original = self.seed_all_kinds()
        original.by_uid(u'b').alert_after = 1
        original.by_uid(u'b').alert_to = [u'ops@example.org',
                                          u'dev@example.org']
        original.save()
        original = Crontab.load()
        body = self.export()
        nodes = dict((node.get('uid'), node)
                     for node in exportimport.parse('crons.xml', body))
        self.assertEqual(
            [nodes['b'].get(key) for key in ('alert_after', 'alert_to')],
            ['1', 'ops@example.org, dev@example.org'])
        self.assertNotIn('alert_after', nodes['c'].attrib)
        self.empty_crontab()
        imported = self.run_import(crons_xml=body)
        self.assertEqual(imported, original)
        again = Crontab()
        CronsExportImporter(self.portal, again).do_import(
            CronsExportImporter(self.portal, original).do_export())
        self.assertEqual(again.by_uid(u'b').settings(),
                         original.by_uid(u'b').settings())

    def test_export_without_time_zone_and_misfire_is_unchanged(self):
        crontab = Crontab(activated=False)
        Cron(uid=u'p', name=u'record', periodicity=u'0 3 * * *',
             activated=True, user=u'admin', logs_limit=7,
             environ={u'k': u'v'}, crontab=crontab)
        Cron(uid=u'q', name=u'warn', periodicity=u'*/5 * * * *',
             logs_limit=5, crontab=crontab)
        self.assertEqual(exportimport.crontab_xml(crontab), EXPORTED)
        self.assertEqual(CronsExportImporter(self.portal, crontab)
                         .do_export(), EXPORTED_2X)

    def test_2x_layout_export_carries_time_zone_and_misfire(self):
        crontab = Crontab()
        Cron(uid=u'p', name=u'record', periodicity=u'0 3 * * *',
             timezone=u'Europe/Paris', misfire=u'skip', misfire_grace=60,
             logs_limit=5, crontab=crontab)
        exported = CronsExportImporter(self.portal, crontab).do_export()
        self.assertIn(b'periodicity="0 3 * * *" timezone="Europe/Paris" '
                      b'misfire="skip" misfire_grace="60">', exported)
        again = Crontab()
        CronsExportImporter(self.portal, again).do_import(exported)
        self.assertEqual(again.by_uid(u'p').settings(),
                         crontab.by_uid(u'p').settings())

    def test_export_through_portal_setup(self):
        self.seed_all_kinds()
        result = self.portal.portal_setup.runExportStep(STEP)
        body = read_tarball(result['tarball'], 'crons.xml')
        self.assertEqual(body, self.export())

    def test_no_records_no_file(self):
        self.registry.records.__delitem__(ACTIVATED)
        context = FakeExportContext(self.portal)
        exportimport.export_crons(context)
        self.assertEqual(context.files, {})

    def test_import_without_records_names_the_file(self):
        self.registry.records.__delitem__(CRONTAB)
        with self.assertRaises(InvalidCrontab) as caught:
            self.run_import(crons_xml=crons_xml())
        self.assertIn('crons.xml', str(caught.exception))
        self.assertIn('collective.cron:default', str(caught.exception))


#: what the exports wrote before crons had a time zone or a misfire policy
EXPORTED = (
    b"<?xml version='1.0' encoding='utf-8'?>\n"
    b'<crons activated="false">\n'
    b'  <cron uid="p" name="record" periodicity="0 3 * * *" activated="true"'
    b' user="admin" logs_limit="7">\n'
    b'    <environ><![CDATA[{"k": "v"}]]></environ>\n'
    b'  </cron>\n'
    b'  <cron uid="q" name="warn" periodicity="*/5 * * * *"'
    b' activated="false">\n'
    b'    <environ><![CDATA[{}]]></environ>\n'
    b'  </cron>\n'
    b'</crons>\n')
EXPORTED_2X = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<crons>\n'
    b'  <cron uid="p" name="record" activated="True"'
    b' periodicity="0 3 * * *" user="admin" logs_limit="7">\n'
    b'    <environ><![CDATA[\n{"k": "v"}\n]]>\n    </environ>\n'
    b'  </cron>\n'
    b'  <cron uid="q" name="warn" activated="False"'
    b' periodicity="*/5 * * * *">\n'
    b'  </cron>\n</crons>')


class TestProfile(unittest.TestCase):
    """Applying a profile that ships crons queues their jobs."""

    layer = COLLECTIVE_CRON_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer['portal']

    def test_profile_crons_are_queued(self):
        queue = IQueue(self.portal)
        setup = self.portal.portal_setup
        setup.runAllImportStepsFromProfile(TEST_PROFILE)
        transaction.commit()
        transaction.begin()
        crontab = Crontab.load()
        nightly = crontab.by_uid(u'testprofile-nightly')
        hourly = crontab.by_uid(u'testprofile-hourly')
        self.assertEqual(nightly.environ,
                         {u'greeting': u'Gr\xfc\xdf Gott', u'count': 3})
        self.assertEqual((hourly.user, hourly.logs_limit, hourly.activated),
                         (u'admin', 10, True))
        self.assertTrue(queue.is_pending(u'testprofile-nightly'))
        self.assertTrue(queue.is_pending(u'testprofile-hourly'))
        self.assertTrue(ICrontabMarker(self.portal).marked)

    def test_profile_is_hidden(self):
        installer = self.portal.restrictedTraverse('installer')
        self.assertFalse(installer.is_product_installable(
            'collective.cron.tests'))
        self.assertTrue(installer.is_product_installable('collective.cron'))


class TestUpgrade(unittest.TestCase):
    """A site left by collective.cron 2.x keeps its crons."""

    layer = COLLECTIVE_CRON_FUNCTIONAL_TESTING

    RECORD = {
        'uid': 'old2x', 'name': 'record', 'periodicity': '0 3 * * *',
        'environ': {'portal_type': 'Document'}, 'activated': True,
        'user': 'admin', 'logs_limit': 5,
        'logs': [{'date': '2007-12-31 03:00:00', 'status': 1,
                  'messages': ['done']}]}

    def setUp(self):
        self.portal = self.layer['portal']
        self.setup = self.portal.portal_setup
        self.registry = getUtility(IRegistry)

    def make_2x_site(self, version='2001'):
        """2.x records (a str value the 3.x field rejects), no job queued,
        an old profile version."""
        values = self.registry.records._values
        values[CRONTAB] = [json.dumps(self.RECORD), u'{broken']
        self.setup.setLastVersionForProfile(PROFILE, version)
        transaction.commit()

    def test_upgrade_steps_are_listed(self):
        self.make_2x_site('1002')
        listed = self.setup.listUpgrades(PROFILE)
        self.assertEqual(len(listed), 3)
        titles = [step['title'] for step in listed[0]]
        self.assertEqual(titles, ['collective.cron 3: profile steps',
                                  'collective.cron 3: remove the 2.x jobs',
                                  'collective.cron 3: crontab'])
        self.assertEqual(listed[1]['title'],
                         'collective.cron 3: crontab time zone')
        self.assertEqual(listed[2]['title'],
                         'collective.cron 3: roles known to the user folder')

    def test_upgrade_keeps_the_crons(self):
        self.make_2x_site()
        self.assertFalse(IQueue(self.portal).is_pending(u'old2x'))
        self.setup.upgradeProfile(PROFILE)
        transaction.commit()
        transaction.begin()
        self.assertEqual(self.setup.getLastVersionForProfile(PROFILE),
                         ('3002',))
        crontab = Crontab.load()
        cron = crontab.by_uid(u'old2x')
        self.assertEqual((cron.name, cron.environ, cron.last_status),
                         (u'record', {u'portal_type': u'Document'}, 1))
        self.assertEqual(crontab.invalid_records, [u'{broken'])
        self.assertTrue(all(isinstance(record, six.text_type)
                            for record in self.registry[CRONTAB]))
        self.assertTrue(IQueue(self.portal).is_pending(u'old2x'))
