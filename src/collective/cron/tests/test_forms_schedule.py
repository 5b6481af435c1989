# -*- coding: utf-8 -*-
"""The add and edit forms' time zone, missed runs policy, grace period and
failure alert (threshold, recipients) fields (issue 15): stored only when
set, errors naming the field's value, 2.x's form requests leaving them
alone; the ``@@cron-schedule`` JSON view answering in the zone the form's
field names (``timezone``)."""
import json

import transaction
from plone.registry.interfaces import IRegistry
from six.moves.urllib.parse import urlencode
from zope.component import getUtility

from collective.cron.registry import CRONTAB
from collective.cron.registry import ZONE
from collective.cron.tests.test_dashboard import ADMIN
from collective.cron.tests.test_dashboard import field_block
from collective.cron.tests.test_dashboard import utc
from collective.cron.tests.test_dashboard_compat import CompatTestCase
from collective.cron.tests.test_schedule import allow_french

PARIS = u'Europe/Paris'
NEW_YORK = u'America/New_York'
TOKYO = u'Asia/Tokyo'
OPTIONAL = set([u'timezone', u'misfire', u'misfire_grace', u'alert_after',
                u'alert_to'])
OPS = u'ops@example.org'
DEV = u'dev@example.org'
SITE_FROM = 'cron-site@example.org'  # the registry field is ASCII
#: z3c.form's select option of an empty value
NO_VALUE = '--NOVALUE--'


def widget_block(html, field):
    """The HTML of a form field, from its wrapper to the next field's."""
    marker = 'kssattr-fieldname-form.widgets.%s' % field
    start = html.index(marker)
    end = html.find('kssattr-fieldname-', start + len(marker))
    return html[start:end if end != -1 else html.index('</form>', start)]


class FormsTestCase(CompatTestCase):

    def record(self, uid):
        """The cron's JSON record in the registry, as data."""
        transaction.begin()
        for record in getUtility(IRegistry)[CRONTAB]:
            data = json.loads(record)
            if data[u'uid'] == uid:
                return data
        raise AssertionError('no record of %s' % uid)

    def set_crontab_zone(self, zone):
        getUtility(IRegistry)[ZONE] = zone
        transaction.commit()

    def open_add(self, browser=None):
        browser = browser or self.browser()
        browser.open(self.dashboard + '/add')
        return browser

    def set_site_address(self, address):
        """The 'From' address of Plone's mail settings."""
        getUtility(IRegistry)['plone.email_from_address'] = address
        transaction.commit()

    def fill(self, browser, timezone=u'', misfire=None, grace=u'',
             periodicity=u'30 2 * * *', alert_after=u'', alert_to=u''):
        get = browser.getControl
        get(name='form.widgets.name').value = 'dashboard-ok'
        get(name='form.widgets.periodicity').value = periodicity
        get(name='form.widgets.timezone').value = timezone
        get(name='form.widgets.misfire:list').value = [misfire or NO_VALUE]
        get(name='form.widgets.misfire_grace').value = grace
        get(name='form.widgets.alert_after').value = alert_after
        get(name='form.widgets.alert_to').value = alert_to

    def add_through_the_form(self, **values):
        browser = self.open_add()
        self.fill(browser, **values)
        browser.getControl('Add').click()
        return browser

    def only_cron(self):
        crons = list(self.crontab().crons.values())
        self.assertEqual(len(crons), 1)
        return crons[0]


class TestAdd(FormsTestCase):

    def test_zone_misfire_and_grace_are_stored(self):
        browser = self.add_through_the_form(timezone=PARIS, misfire='skip',
                                            grace=u'600')
        self.assertIn('A new cron was added', browser.contents)
        cron = self.only_cron()
        self.assertEqual((cron.timezone, cron.misfire, cron.misfire_grace),
                         (PARIS, u'skip', 600))
        record = self.record(cron.uid)
        self.assertEqual((record[u'timezone'], record[u'misfire'],
                          record[u'misfire_grace']), (PARIS, u'skip', 600))
        # 02:30 in Paris (CET, UTC+1) is 01:30 UTC
        self.assertEqual(self.queue.begins(cron.uid), utc(2008, 1, 1, 1, 30))

    def test_the_zone_counts(self):
        self.add_through_the_form(timezone=NEW_YORK, misfire='run_once')
        cron = self.only_cron()
        self.assertEqual((cron.misfire, cron.misfire_grace),
                         (u'run_once', None))
        # 02:30 in New York (EST, UTC-5) is 07:30 UTC
        self.assertEqual(self.queue.begins(cron.uid), utc(2008, 1, 1, 7, 30))

    def test_empty_leaves_the_record_without_them(self):
        self.add_through_the_form()
        cron = self.only_cron()
        record = self.record(cron.uid)
        self.assertEqual(set(record) & OPTIONAL, set())
        self.assertEqual(set(record),
                         set(cron.SETTINGS) | set([u'logs']))
        self.assertEqual((cron.timezone, cron.misfire, cron.misfire_grace,
                          cron.alert_after, cron.alert_to),
                         (None, None, None, None, None))

    def test_alert_settings_are_stored(self):
        browser = self.add_through_the_form(
            alert_after=u'2', alert_to=u'%s,\n %s' % (OPS, DEV))
        self.assertIn('A new cron was added', browser.contents)
        cron = self.only_cron()
        self.assertEqual((cron.alert_after, cron.alert_to), (2, [OPS, DEV]))
        record = self.record(cron.uid)
        self.assertEqual((record[u'alert_after'], record[u'alert_to']),
                         (2, [OPS, DEV]))
        self.assertEqual(set(record) & OPTIONAL,
                         set([u'alert_after', u'alert_to']))

    def test_zero_failures_is_stored(self):
        """0 (never alert) is a value, not an empty field."""
        self.add_through_the_form(alert_after=u'0')
        cron = self.only_cron()
        self.assertEqual(self.record(cron.uid)[u'alert_after'], 0)
        self.assertNotIn(u'alert_to', self.record(cron.uid))

    def test_bad_alert_after(self):
        for count in (u'many', u'-1', u'1.5'):
            browser = self.add_through_the_form(alert_after=count)
            self.assert_field_error(
                browser, 'alert_after',
                '"%s" is not a number of failures' % count)
            self.assertEqual(browser.getControl(
                name='form.widgets.alert_after').value, count)

    def test_bad_alert_to_names_the_address(self):
        browser = self.add_through_the_form(
            alert_to=u'%s\nops at example.org' % OPS)
        self.assert_field_error(browser, 'alert_to',
                                '"ops" is not an email address')
        browser = self.add_through_the_form(alert_to=u'%s; nobody' % OPS)
        self.assert_field_error(browser, 'alert_to',
                                '"nobody" is not an email address')

    def test_recipients_help_names_the_site_address(self):
        self.set_site_address(SITE_FROM)
        html = self.open_add().contents
        self.assertIn("Empty: the site's 'From' address, %s." % SITE_FROM,
                      widget_block(html, 'alert_to'))
        self.assertIn("through Plone's mail settings",
                      widget_block(html, 'alert_after'))
        self.set_site_address(None)
        block = widget_block(self.open_add().contents, 'alert_to')
        self.assertNotIn(SITE_FROM, block)
        self.assertIn("Empty: the site's 'From' address of Plone's mail "
                      "settings.", block)

    def assert_field_error(self, browser, field, text):
        self.assertIn('There were some errors', browser.contents)
        self.assertIn(text, field_block(browser.contents, field))
        self.assertEqual(self.crontab().crons, {})

    def test_unknown_zone(self):
        browser = self.add_through_the_form(timezone=u'Europe/Pariss')
        self.assert_field_error(browser, 'timezone',
                                '"Europe/Pariss" is not a time zone')
        self.assertEqual(browser.getControl(
            name='form.widgets.timezone').value, 'Europe/Pariss')

    def test_bad_grace(self):
        for grace in (u'soon', u'-5', u'1.5'):
            browser = self.add_through_the_form(misfire='skip', grace=grace)
            self.assert_field_error(
                browser, 'misfire_grace',
                '"%s" is not a number of seconds' % grace)

    def test_the_form_names_the_crontabs_zone(self):
        self.set_crontab_zone(TOKYO)
        browser = self.open_add()
        self.assertIn("Empty: the crontab's zone, Asia/Tokyo.",
                      browser.contents)
        self.assertIn('placeholder="Asia/Tokyo"', browser.contents)
        self.assertIn('<datalist id="cron-zones">', browser.contents)
        self.assertIn('<option value="America/New_York"></option>',
                      browser.contents)
        self.assertIn('As 2.x (the default)', browser.contents)

    def test_2x_add_request(self):
        """2.x's add form posted these fields only."""
        self.post('add', **{'form.widgets.name': 'dashboard-ok',
                            'form.widgets.periodicity': '*/5 * * * *',
                            'form.widgets.logs_limit': '5',
                            'form.widgets.senviron': '{}',
                            'form.buttons.add': 'Add'})
        cron = self.only_cron()
        self.assertEqual(set(self.record(cron.uid)) & OPTIONAL, set())


class TestEdit(FormsTestCase):

    def open_edit(self, uid):
        browser = self.browser()
        browser.open(self.cron_url(uid) + '/edit')
        return browser

    def test_shows_and_changes_them(self):
        uid = self.add(periodicity=u'30 2 * * *', timezone=PARIS,
                       misfire=u'run_once', misfire_grace=300)
        browser = self.open_edit(uid)
        get = browser.getControl
        self.assertEqual((get(name='form.widgets.timezone').value,
                          get(name='form.widgets.misfire:list').value,
                          get(name='form.widgets.misfire_grace').value),
                         ('Europe/Paris', ['run_once'], '300'))
        get(name='form.widgets.timezone').value = NEW_YORK
        get(name='form.widgets.misfire:list').value = ['skip']
        get(name='form.widgets.misfire_grace').value = '45'
        get('Apply').click()
        self.assertIn('Changes saved', browser.contents)
        record = self.record(uid)
        self.assertEqual((record[u'timezone'], record[u'misfire'],
                          record[u'misfire_grace']), (NEW_YORK, u'skip', 45))
        self.assertEqual(self.queue.begins(uid), utc(2008, 1, 1, 7, 30))

    def test_emptied_they_leave_the_record(self):
        uid = self.add(timezone=PARIS, misfire=u'skip', misfire_grace=300)
        browser = self.open_edit(uid)
        get = browser.getControl
        get(name='form.widgets.timezone').value = ''
        get(name='form.widgets.misfire:list').value = [NO_VALUE]
        get(name='form.widgets.misfire_grace').value = ''
        get('Apply').click()
        self.assertIn('Changes saved', browser.contents)
        self.assertEqual(set(self.record(uid)) & OPTIONAL, set())
        cron = self.cron(uid)
        self.assertEqual((cron.timezone, cron.misfire, cron.misfire_grace),
                         (None, None, None))

    def test_unknown_zone_changes_nothing(self):
        uid = self.add(user=ADMIN, timezone=PARIS, misfire=u'skip')
        before = self.record(uid)
        browser = self.open_edit(uid)
        browser.getControl(name='form.widgets.name').value = 'renamed'
        browser.getControl(name='form.widgets.timezone').value = 'Mars/Base'
        browser.getControl('Apply').click()
        self.assertIn('"Mars/Base" is not a time zone',
                      field_block(browser.contents, 'timezone'))
        self.assertEqual(self.record(uid), before)

    def test_2x_edit_request_keeps_them(self):
        """2.x's edit form posted these fields only: the zone, policy and
        grace set by other means stay."""
        uid = self.add(timezone=PARIS, misfire=u'skip', misfire_grace=300)
        self.post('%s/edit' % uid, **{
            'form.widgets.name': 'renamed',
            'form.widgets.periodicity': '*/10 * * * *',
            'form.widgets.logs_limit': '5',
            'form.widgets.senviron': '{}',
            'form.buttons.apply': 'Apply'})
        record = self.record(uid)
        self.assertEqual((record[u'name'], record[u'periodicity']),
                         (u'renamed', u'*/10 * * * *'))
        self.assertEqual((record[u'timezone'], record[u'misfire'],
                          record[u'misfire_grace']), (PARIS, u'skip', 300))

    def test_shows_and_changes_the_alert_settings(self):
        uid = self.add(alert_after=5, alert_to=[OPS, DEV])
        browser = self.open_edit(uid)
        get = browser.getControl
        self.assertEqual((get(name='form.widgets.alert_after').value,
                          get(name='form.widgets.alert_to').value),
                         ('5', '%s\n%s' % (OPS, DEV)))
        get(name='form.widgets.alert_after').value = '0'
        get(name='form.widgets.alert_to').value = DEV
        get('Apply').click()
        self.assertIn('Changes saved', browser.contents)
        record = self.record(uid)
        self.assertEqual((record[u'alert_after'], record[u'alert_to']),
                         (0, [DEV]))

    def test_emptied_alert_settings_leave_the_record(self):
        uid = self.add(alert_after=5, alert_to=[OPS])
        browser = self.open_edit(uid)
        browser.getControl(name='form.widgets.alert_after').value = ''
        browser.getControl(name='form.widgets.alert_to').value = ''
        browser.getControl('Apply').click()
        self.assertIn('Changes saved', browser.contents)
        self.assertEqual(set(self.record(uid)) & OPTIONAL, set())
        cron = self.cron(uid)
        self.assertEqual((cron.alert_after, cron.alert_to), (None, None))

    def test_bad_alert_settings_change_nothing(self):
        uid = self.add(user=ADMIN, alert_after=5, alert_to=[OPS])
        before = self.record(uid)
        for field, value, error in (
                ('alert_after', '-2', '"-2" is not a number of failures'),
                ('alert_to', 'dev@', '"dev@" is not an email address')):
            browser = self.open_edit(uid)
            browser.getControl(name='form.widgets.name').value = 'renamed'
            browser.getControl(name='form.widgets.' + field).value = value
            browser.getControl('Apply').click()
            self.assertIn(error, field_block(browser.contents, field))
            self.assertEqual(self.record(uid), before)

    def test_2x_edit_request_keeps_the_alert_settings(self):
        uid = self.add(alert_after=0, alert_to=[OPS, DEV])
        self.post('%s/edit' % uid, **{
            'form.widgets.name': 'renamed',
            'form.widgets.periodicity': '*/10 * * * *',
            'form.widgets.logs_limit': '5',
            'form.widgets.senviron': '{}',
            'form.buttons.apply': 'Apply'})
        record = self.record(uid)
        self.assertEqual(record[u'name'], u'renamed')
        self.assertEqual((record[u'alert_after'], record[u'alert_to']),
                         (0, [OPS, DEV]))


class TestFrench(FormsTestCase):

    def test_new_strings(self):
        allow_french()
        browser = self.browser()
        browser.addHeader('Accept-Language', 'fr')
        self.open_add(browser)
        for text in ('Fuseau horaire', 'Ex\xc3\xa9cutions manqu\xc3\xa9es',
                     'Comme en 2.x (par d\xc3\xa9faut)',
                     'D\xc3\xa9lai de gr\xc3\xa2ce (secondes)',
                     'Alerter apr\xc3\xa8s N \xc3\xa9checs',
                     'Destinataires des alertes'):
            self.assertIn(text, browser.contents)
        self.fill(browser, timezone=u'Nulle/Part')
        browser.getControl(name='form.buttons.add').click()
        self.assertIn('\xc2\xab Nulle/Part \xc2\xbb n\'est pas un fuseau '
                      'horaire',
                      field_block(browser.contents, 'timezone'))
        self.fill(browser, alert_after=u'beaucoup')
        browser.getControl(name='form.buttons.add').click()
        self.assertIn('\xc2\xab beaucoup \xc2\xbb n\'est pas un nombre '
                      'd\'\xc3\xa9checs',
                      field_block(browser.contents, 'alert_after'))


class TestScheduleViewZone(FormsTestCase):

    def answer(self, periodicity, **params):
        browser = self.browser()
        params['periodicity'] = periodicity
        browser.open('%s/@@cron-schedule?%s' % (self.portal.absolute_url(),
                                                urlencode(params)))
        return json.loads(browser.contents)

    def test_timezone_parameter(self):
        for zone, first in ((TOKYO, u'2008-01-02T02:30:00+09:00'),
                            (NEW_YORK, u'2008-01-01T02:30:00-05:00'),
                            (PARIS, u'2008-01-01T02:30:00+01:00')):
            answer = self.answer(u'30 2 * * *', timezone=zone)
            self.assertEqual((answer[u'zone'], answer[u'next'][0]),
                             (zone, first))

    def test_empty_or_unknown_is_the_crontabs(self):
        self.set_crontab_zone(TOKYO)
        for zone in (u'', u'Europe/Pariss', u'europe/paris'):
            answer = self.answer(u'30 2 * * *', timezone=zone)
            self.assertEqual((answer[u'zone'], answer[u'next'][0]),
                             (TOKYO, u'2008-01-02T02:30:00+09:00'), zone)
