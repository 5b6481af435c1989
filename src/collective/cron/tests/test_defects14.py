# -*- coding: utf-8 -*-
"""Regression tests of issue 14 (defects 2 to 7).

2. A periodicity that never occurs is a field error of the add and edit
   forms naming the value, an import error naming the cron, the field and
   the value (nothing saved), and a CronFormatError of the model.
6. The ``@daily``... nicknames: accepted, as five fields, and named by
   the form and the docs.
"""
import datetime
import os

import collective.cron
from collective.cron.browser.forms import ICronForm
from collective.cron.crontab import PERIODICITY_ALIASES
from collective.cron.crontab import Cron
from collective.cron.crontab import check_periodicity
from collective.cron.crontab import next_run
from collective.cron.interfaces import CronFormatError
from collective.cron.interfaces import InvalidCron
from collective.cron.tests import test_dashboard
from collective.cron.tests import test_genericsetup
from collective.cron.tests.test_dashboard import field_block
from collective.cron.tests.test_genericsetup import crons_xml

NEVER = ('0 0 31 2 *', '0 0 30 2 *', '0 0 31 4 *')
NEVER_TEXT = '"%s" never occurs'


def without_tests(cls):
    """``cls``'s helpers for a new test case, without its tests."""
    helpers = dict((key, value) for key, value in vars(cls).items()
                   if not key.startswith('test'))
    return type(cls.__name__ + 'Helpers', cls.__bases__, helpers)


AddForm = without_tests(test_dashboard.TestAddForm)
EditForm = without_tests(test_dashboard.TestEditForm)
BadInput = without_tests(test_genericsetup.TestBadInput)


class TestNeverOccursInTheAddForm(AddForm):

    def test_field_error_naming_the_value(self):
        for periodicity in NEVER:
            browser = self.open_add()
            self.fill(browser, periodicity=periodicity)
            browser.getControl('Add').click()
            self.assertEqual(browser.headers['status'], '200 OK')
            self.assertIn('There were some errors', browser.contents)
            error = field_block(browser.contents, 'periodicity')
            self.assertIn(NEVER_TEXT % periodicity, error)
            self.assertNotIn('not valid cron syntax', error)
            self.assertEqual(self.crontab().crons, {})


class TestNeverOccursInTheEditForm(EditForm):

    def test_field_error_naming_the_value(self):
        uid = self.add()
        browser = self.open_edit(uid)
        self.save(browser, periodicity=NEVER[0])
        self.assertEqual(browser.headers['status'], '200 OK')
        self.assertIn(NEVER_TEXT % NEVER[0],
                      field_block(browser.contents, 'periodicity'))
        self.assertEqual(self.cron(uid).periodicity, u'*/5 * * * *')


class TestNeverOccursImported(BadInput):

    def test_add(self):
        self.assert_rejected(
            crons_xml(u'<cron uid="new1" name="record" '
                      u'periodicity="0 0 31 2 *"/>'),
            ['cron new1', 'periodicity', '0 0 31 2 *', 'never occurs'])

    def test_edit(self):
        self.assert_rejected(
            crons_xml(u'<cron uid="a" periodicity="0 0 31 4 *"/>'),
            ['cron a', 'periodicity', '0 0 31 4 *', 'never occurs'])


class TestNeverOccursInTheModel(test_genericsetup.ImportTestCase):

    def test_check_and_cron(self):
        for periodicity in NEVER:
            with self.assertRaises(CronFormatError) as caught:
                check_periodicity(periodicity)
            self.assertIsInstance(caught.exception, InvalidCron)
            self.assertIn(periodicity, str(caught.exception))
            self.assertIn('never occurs', str(caught.exception))
            with self.assertRaises(CronFormatError):
                Cron(name=u'record', periodicity=periodicity)


class TestAliases(test_genericsetup.ImportTestCase):
    """6. The crontab(5) nicknames are accepted and run as their five
    fields; croniter's random and hashed fields and @reboot are refused;
    the form and the docs name the nicknames."""

    def test_each_alias_runs_as_its_five_fields(self):
        start = datetime.datetime(2008, 3, 5, 10, 30)
        for alias, fields in PERIODICITY_ALIASES.items():
            self.assertEqual(check_periodicity(alias), alias)
            self.assertEqual(next_run(alias, start), next_run(fields, start))
            self.assertEqual(Cron(name=u'record', periodicity=alias)
                             .periodicity, alias)

    def test_others_refused(self):
        for periodicity in (u'@reboot', u'@every 5m', u'@daily 5',
                            u'R * * * *', u'0 R * * *', u'0 0 * * 1,R',
                            u'H * * * *', u'0 0 1 1 * * 2020'):
            with self.assertRaises(CronFormatError) as caught:
                check_periodicity(periodicity)
            self.assertIn(periodicity, str(caught.exception))

    def test_form_and_docs_name_them(self):
        description = ICronForm['periodicity'].description
        docs = os.path.join(os.path.dirname(collective.cron.__file__),
                            os.pardir, os.pardir, os.pardir, 'docs')
        texts = [description]
        for name in ('scheduling.rst', 'api.rst', 'genericsetup.rst'):
            with open(os.path.join(docs, name)) as rst:
                texts.append(rst.read().decode('utf-8'))
        for text in texts:
            for alias in (u'@hourly', u'@daily', u'@weekly', u'@monthly',
                          u'@yearly'):
                self.assertIn(alias, text)
