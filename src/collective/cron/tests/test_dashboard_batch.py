# -*- coding: utf-8 -*-
"""The dashboard's table: BATCH_SIZE crons a page, filters by name and by
last status (GET parameters cron_name, cron_status, b_start)."""
import re

import transaction

from collective.cron import crontab as model
from collective.cron.browser.dashboard import BATCH_SIZE
from collective.cron.crontab import Cron
from collective.cron.tests.test_dashboard import DashboardTestCase
from collective.cron.tests.test_dashboard import local


class BatchTestCase(DashboardTestCase):

    def fill(self, count):
        """``count`` crons ``batch-000``...; every third one last FAILED,
        every third plus one was OK, the others never ran."""
        crontab = self.crontab()
        for index in range(count):
            cron = Cron(name=u'batch-%03d' % index, periodicity=u'0 4 * * *',
                        activated=False, logs_limit=5)
            crontab.add_cron(cron)
            if index % 3 < 2:
                cron.log(date=local(2007, 12, 31, 12, 0),
                         status=(model.FAILURE, model.OK)[index % 3],
                         messages=[])
        crontab.save()
        transaction.commit()

    def names(self, query=u''):
        browser = self.browser()
        browser.open(self.dashboard + query)
        return browser, re.findall(r'class="cron-link"[^>]*>(batch-\d+)<',
                                   browser.contents)


class TestBatch(BatchTestCase):

    def test_pages(self):
        self.fill(BATCH_SIZE + 20)
        browser, names = self.names()
        self.assertEqual(len(names), BATCH_SIZE)
        self.assertEqual(names[0], u'batch-000')
        link = browser.getLink(url='b_start:int=%d' % BATCH_SIZE)
        link.click()
        names = re.findall(r'class="cron-link"[^>]*>(batch-\d+)<',
                           browser.contents)
        self.assertEqual(names, [u'batch-%03d' % index for index in
                                 range(BATCH_SIZE, BATCH_SIZE + 20)])

    def test_one_page_has_no_navigation(self):
        self.fill(3)
        browser, names = self.names()
        self.assertEqual(len(names), 3)
        self.assertNotIn('b_start', browser.contents)

    def test_bad_start_is_the_first_page(self):
        self.fill(3)
        self.assertEqual(len(self.names(u'?b_start=x')[1]), 3)


class TestFilters(BatchTestCase):

    def test_name_any_case(self):
        self.fill(30)
        browser, names = self.names(u'?cron_name=BATCH-02')
        self.assertEqual(names, [u'batch-%03d' % index
                                 for index in range(20, 30)])
        self.assertIn('id="cron-filter-clear"', browser.contents)

    def test_last_status(self):
        self.fill(9)
        self.assertEqual(self.names(u'?cron_status=FAILURE')[1],
                         [u'batch-000', u'batch-003', u'batch-006'])
        self.assertEqual(self.names(u'?cron_status=OK')[1],
                         [u'batch-001', u'batch-004', u'batch-007'])
        self.assertEqual(self.names(u'?cron_status=none')[1],
                         [u'batch-002', u'batch-005', u'batch-008'])

    def test_unknown_status_is_no_filter(self):
        self.fill(4)
        self.assertEqual(len(self.names(u'?cron_status=<b>')[1]), 4)

    def test_no_match(self):
        self.fill(4)
        browser, names = self.names(u'?cron_name=nothing-like-it')
        self.assertEqual(names, [])
        self.assertIn('No cron matches these filters.', browser.contents)
        self.assertNotIn('No task is scheduled yet.', browser.contents)

    def test_filter_value_escaped(self):
        self.fill(1)
        browser, names = self.names(u'?cron_name=%3Cscript%3E')
        self.assertNotIn('<script>', browser.contents.split(
            'id="cron-filter"')[1].split('</form>')[0])
