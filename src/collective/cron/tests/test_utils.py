# -*- coding: utf-8 -*-
"""collective.cron.utils."""
import datetime
import unittest

import pytz
from AccessControl.SecurityManagement import getSecurityManager
from DateTime import DateTime
from plone.app.testing import TEST_USER_ID

from collective.cron.testing import COLLECTIVE_CRON_INTEGRATION_TESTING
from collective.cron.utils import asbool
from collective.cron.utils import find_user
from collective.cron.utils import security_of
from collective.cron.utils import su_plone
from collective.cron.utils import text
from collective.cron.utils import to_utc


class TestUtils(unittest.TestCase):

    layer = COLLECTIVE_CRON_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer['portal']
        self.app = self.layer['app']

    def test_asbool(self):
        for value in (True, 1, u'true', 'Yes', u' on ', u'1', u'T'):
            self.assertIs(asbool(value), True, value)
        for value in (False, 0, None, u'', u'false', 'No', u'off', u'0'):
            self.assertIs(asbool(value), False, value)
        with self.assertRaises(ValueError) as caught:
            asbool(u'perhaps')
        self.assertIn('perhaps', str(caught.exception))

    def test_to_utc(self):
        paris = pytz.timezone('Europe/Paris')
        summer = paris.localize(datetime.datetime(2008, 7, 1, 12, 0))
        self.assertEqual(to_utc(summer),
                         datetime.datetime(2008, 7, 1, 10, 0, tzinfo=pytz.UTC))
        self.assertEqual(to_utc(datetime.datetime(2008, 1, 1)).tzinfo,
                         pytz.UTC)
        self.assertEqual(to_utc(DateTime('2008/01/01 01:00 GMT+1')),
                         datetime.datetime(2008, 1, 1, tzinfo=pytz.UTC))
        with self.assertRaises(ValueError):
            to_utc(u'2008-01-01')

    def test_text(self):
        self.assertEqual(text('caf\xc3\xa9'), u'caf\xe9')
        self.assertEqual(text(42), u'42')
        self.assertEqual(text(u'x'), u'x')

    def test_find_user_site_then_root(self):
        self.assertEqual(find_user(self.portal, TEST_USER_ID).getId(),
                         TEST_USER_ID)
        self.app.acl_users.userFolderAddUser('rootadmin', 's', ['Manager'],
                                             [])
        root_user = find_user(self.portal, 'rootadmin')
        self.assertEqual(root_user.getId(), 'rootadmin')
        self.assertIs(root_user.aq_parent.aq_base,
                      self.app.acl_users.aq_base)
        self.assertIsNone(find_user(self.portal, 'ghost'))

    def test_su_plone_and_security_of(self):
        before = getSecurityManager().getUser().getId()
        self.portal.acl_users.userFolderAddUser('bob', 's', ['Member'], [])
        bob = find_user(self.portal, 'bob')
        with security_of(bob):
            self.assertEqual(getSecurityManager().getUser().getId(), 'bob')
        self.assertEqual(getSecurityManager().getUser().getId(), before)
        with security_of(getSecurityManager().getUser()):
            user = su_plone(self.app, self.portal, ['ghost', 'bob'])
            self.assertEqual(user.getId(), 'bob')
            self.assertEqual(getSecurityManager().getUser().getId(), 'bob')
        with self.assertRaises(ValueError) as caught:
            su_plone(self.app, self.portal, 'ghost')
        self.assertIn('ghost', str(caught.exception))
