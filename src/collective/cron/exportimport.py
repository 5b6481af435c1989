# -*- coding: utf-8 -*-
"""GenericSetup import and export of the crontab: crons.xml.

Import step ``collective.cron.setupCrons`` reads ``crons.xml`` (the 2.x
name) and ``crontab.xml`` of any profile::

    <crons activated="true">
      <cron uid="..." name="..." periodicity="*/5 * * * *" activated="true"
            timezone="Europe/Paris" misfire="skip" misfire_grace="300"
            alert_after="3" alert_to="ops@example.org, dev@example.org">
        <environ><![CDATA[ {"key": "value"} ]]></environ>
      </cron>
      <cron uid="..." remove="true" />
    </crons>

Entries apply in document order to a crontab loaded in memory, which is
saved once, only when every entry of every file applied: a bad file leaves
the site's crontab exactly as it was and raises InvalidCrontab naming the
file, the cron and the problem. The export step writes every cron to
``crons.xml`` in the same format.
"""
import json
import logging
from xml.sax.saxutils import escape

import six
from lxml import etree
from Products.CMFCore.interfaces import ISiteRoot
from zope.component import adapter
from zope.interface import implementer

from collective.cron.crontab import DEFAULT_LOGS_LIMIT
from collective.cron.crontab import Cron
from collective.cron.crontab import Crontab
from collective.cron.crontab import check_bool
from collective.cron.interfaces import ICrontab
from collective.cron.interfaces import IExportImporter
from collective.cron.interfaces import InvalidCron
from collective.cron.interfaces import InvalidCrontab
from collective.cron.registry import has_records

logger = logging.getLogger('collective.cron')

IMPORT_FILES = ('crons.xml', 'crontab.xml')
EXPORT_FILE = 'crons.xml'
#: the cron settings a <cron> element may set, in the order they apply
SETTINGS = ('name', 'periodicity', 'environ', 'activated', 'user',
            'logs_limit') + Cron.OPTIONAL_SETTINGS
CRON_ATTRIBUTES = frozenset(SETTINGS + ('uid', 'remove')) - {'environ'}
ROOT_ATTRIBUTES = frozenset(['activated'])
LOGS_ERROR = 'logs cannot be imported'


def ascii_safe(value):
    """Text (or an exception's message) that never fails to encode."""
    if isinstance(value, Exception):
        value = value.args[0] if value.args else repr(value)
    if isinstance(value, six.text_type):
        return six.ensure_str(value.encode('ascii', 'backslashreplace'))
    return value


def import_error(filename, uid, problem):
    """An InvalidCrontab naming the file, the cron (if any) and the problem."""
    where = filename
    if uid is not None:
        where = '%s, cron %s' % (filename, ascii_safe(uid) or '(no uid)')
    return InvalidCrontab('%s: %s' % (where, ascii_safe(problem)))


def parse(filename, body):
    """The root <crons> element of ``body``."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(body, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise import_error(filename, None, 'malformed XML (%s)' % exc)
    if root.tag != 'crons':
        raise import_error(filename, None, 'the root element must be <crons>,'
                           ' not <%s>' % root.tag)
    return root


def check_attributes(filename, uid, node, allowed):
    for key in node.attrib:
        if key == 'logs':
            raise import_error(filename, uid, LOGS_ERROR)
        if key not in allowed:
            raise import_error(filename, uid, 'unknown attribute %r' % key)


def check_children(filename, uid, node, allowed):
    """The child elements of ``node``, each with a tag among ``allowed``."""
    children = list(node)
    for child in children:
        if child.tag == 'logs':
            raise import_error(filename, uid, LOGS_ERROR)
        if child.tag not in allowed:
            raise import_error(filename, uid,
                               'unknown element <%s>' % child.tag)
    return children


def read_environ(filename, uid, node):
    """The JSON text of the <environ> child, None when there is none."""
    environs = check_children(filename, uid, node, ('environ',))
    if len(environs) > 1:
        raise import_error(filename, uid, 'more than one <environ>')
    if not environs:
        return None
    if len(environs[0]):
        raise import_error(filename, uid,
                           '<environ> holds JSON text, not elements')
    return (environs[0].text or u'').strip()


def read_settings(filename, uid, node):
    """The settings given by a <cron> element (only those it gives)."""
    settings = dict((key, node.get(key)) for key in SETTINGS
                    if key in node.attrib)
    environ = read_environ(filename, uid, node)
    if environ is not None:
        settings['environ'] = environ
    return settings


@implementer(IExportImporter)
class CrontabImporter(object):
    """Applies crons files, entry by entry, to an in-memory crontab."""

    def __init__(self, crontab):
        self.crontab = crontab

    def apply(self, filename, body):
        root = parse(filename, body)
        check_attributes(filename, None, root, ROOT_ATTRIBUTES)
        if 'activated' in root.attrib:
            self.set_activated(filename, root.get('activated'))
        for node in check_children(filename, None, root, ('cron',)):
            self.apply_cron(filename, node)

    def set_activated(self, filename, value):
        try:
            self.crontab.activated = check_bool('crontab activated', value)
        except InvalidCron as exc:
            raise import_error(filename, None, exc)

    def apply_cron(self, filename, node):
        uid = (node.get('uid') or u'').strip()
        check_attributes(filename, uid, node, CRON_ATTRIBUTES)
        if not uid:
            raise import_error(filename, uid, 'a cron needs a uid')
        settings = read_settings(filename, uid, node)
        try:
            if check_bool('remove', node.get('remove')):
                self.remove(uid)
            elif uid in self.crontab.crons:
                self.edit(uid, settings)
            else:
                self.add(filename, uid, settings)
        except InvalidCron as exc:
            raise import_error(filename, uid, exc)

    def remove(self, uid):
        if uid in self.crontab.crons:
            del self.crontab.crons[uid]
        else:
            logger.info('collective.cron import: no cron %s to remove', uid)

    def edit(self, uid, settings):
        cron = self.crontab.by_uid(uid)
        for key in SETTINGS:
            if key in settings:
                setattr(cron, key, settings[key])

    def add(self, filename, uid, settings):
        for key in ('name', 'periodicity'):
            if key not in settings:
                raise import_error(filename, uid,
                                   'a new cron needs a %s' % key)
        settings.setdefault('logs_limit', DEFAULT_LOGS_LIMIT)
        self.crontab.add_cron(Cron(uid=uid, **settings))


def load_crontab(filename):
    """The site's crontab, ready to be changed in memory."""
    try:
        return Crontab.load()
    except InvalidCrontab as exc:
        raise import_error(filename, None, exc)


def import_crons(context):
    """Import step collective.cron.setupCrons: apply crons.xml and
    crontab.xml, all or nothing, in one save."""
    files = [(name, context.readDataFile(name)) for name in IMPORT_FILES]
    files = [(name, body) for name, body in files if body is not None]
    if not files:
        return
    crontab = load_crontab(files[0][0])
    importer = CrontabImporter(crontab)
    for name, body in files:
        importer.apply(name, body)
    crontab.save()
    logger.info('collective.cron: imported %s (%s crons in the crontab)',
                ', '.join(name for name, body in files), len(crontab.crons))


def environ_text(environ):
    """The environ as JSON safe inside a CDATA section."""
    dumped = json.dumps(environ, sort_keys=True, ensure_ascii=False)
    return dumped.replace(u']]>', u']]\\u003e')


def attribute_text(value):
    """A setting as the text of an XML attribute (a list of addresses:
    separated by commas)."""
    if isinstance(value, (list, tuple)):
        return u', '.join(value)
    return six.text_type(value)


def optional_settings(cron):
    """(name, text) of the cron's time zone, misfire and alert settings
    that are set: a cron without them is exported as before they
    existed."""
    return [(key, attribute_text(getattr(cron, key)))
            for key in Cron.OPTIONAL_SETTINGS
            if getattr(cron, key) is not None]


def cron_element(cron):
    node = etree.Element('cron')
    node.set('uid', cron.uid)
    node.set('name', cron.name)
    node.set('periodicity', cron.periodicity)
    node.set('activated', 'true' if cron.activated else 'false')
    if cron.user is not None:
        node.set('user', cron.user)
    if cron.logs_limit != DEFAULT_LOGS_LIMIT:
        node.set('logs_limit', str(cron.logs_limit))
    for key, value in optional_settings(cron):
        node.set(key, value)
    environ = etree.SubElement(node, 'environ')
    environ.text = etree.CDATA(environ_text(cron.environ))
    return node


def crontab_xml(crontab):
    """crons.xml for ``crontab`` (UTF-8 bytes)."""
    root = etree.Element('crons')
    root.set('activated', 'true' if crontab.activated else 'false')
    for cron in crontab.crons.values():
        root.append(cron_element(cron))
    return etree.tostring(root, pretty_print=True, xml_declaration=True,
                          encoding='utf-8')


def export_crons(context):
    """Export step collective.cron.setupCrons: write crons.xml."""
    if not has_records():
        logger.info('collective.cron: no crontab records, crons.xml not '
                    'exported')
        return
    crontab = Crontab.load(read_only=True)
    if crontab.invalid_records:
        logger.warning('collective.cron: %s unreadable crontab records not '
                       'exported', len(crontab.invalid_records))
    context.writeDataFile(EXPORT_FILE, crontab_xml(crontab), 'text/xml')


def xml_attribute(value):
    """A value quoted for a double-quoted XML attribute."""
    return escape(six.text_type(value), {'"': '&quot;'})


def cron_xml_2x(cron):
    """One <cron> element in 2.x's export layout (user and logs_limit, which
    2.x lacked, are written only when they differ from an imported cron's:
    no user, DEFAULT_LOGS_LIMIT logs; the optional settings when set)."""
    attributes = [('uid', cron.uid), ('name', cron.name),
                  ('activated', bool(cron.activated)),
                  ('periodicity', cron.periodicity)]
    if cron.user is not None:
        attributes.append(('user', cron.user))
    if cron.logs_limit != DEFAULT_LOGS_LIMIT:
        attributes.append(('logs_limit', cron.logs_limit))
    attributes.extend(optional_settings(cron))
    xml = u'\n  <cron %s>' % u' '.join(
        u'%s="%s"' % (key, xml_attribute(value)) for key, value in attributes)
    if cron.environ:
        dumped = json.dumps(cron.environ).replace(u']]>', u']]\\u003e')
        xml += u'\n    <environ><![CDATA[\n%s\n]]>\n    </environ>' % dumped
    return xml + u'\n  </cron>'


@implementer(IExportImporter)
@adapter(ISiteRoot, ICrontab)
class CronsExportImporter(object):
    """2.x's IExportImporter of (site, crontab): crons.xml text in and out
    of ``crontab`` (imports are saved at once)."""

    def __init__(self, context, crontab):
        self.context = context
        self.crontab = crontab

    def do_import(self, xmlfile):
        """Apply crons.xml text (or a file) to the crontab and save it;
        InvalidCrontab (nothing saved) when an entry cannot apply."""
        body = xmlfile.read() if hasattr(xmlfile, 'read') else xmlfile
        if isinstance(body, six.text_type):
            body = body.encode('utf-8')
        CrontabImporter(self.crontab).apply(EXPORT_FILE, body)
        self.crontab.save()

    def do_export(self):
        """The crontab as 2.x wrote it (UTF-8 bytes)."""
        crons = u''.join(cron_xml_2x(cron)
                         for cron in self.crontab.crons.values())
        xml = u'<?xml version="1.0" encoding="UTF-8"?>\n<crons>%s\n</crons>'
        return (xml % crons).encode('utf-8')
