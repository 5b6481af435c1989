# -*- coding: utf-8 -*-
"""collective.cron.utils."""
import datetime
import unittest

import pytz
from AccessControl.SecurityManagement import getSecurityManager
from DateTime import DateTime
from plone.app.testing import TEST_USER_ID

from collective.cron.interfaces import NoSuchUserError
from collective.cron.testing import COLLECTIVE_CRON_INTEGRATION_TESTING
from collective.cron.utils import asbool
from collective.cron.utils import croniter
from collective.cron.utils import find_user
from collective.cron.utils import local_naive
from collective.cron.utils import security_of
from collective.cron.utils import splitstrip
from collective.cron.utils import su_plone
from collective.cron.utils import text
from collective.cron.utils import to_local
from collective.cron.utils import to_tz
from collective.cron.utils import to_utc


class TestUtils(unittest.TestCase):

    layer = COLLECTIVE_CRON_INTEGRATION_TESTING

    def setUp(self):
        self.portal = self.layer['portal']
        self.app = self.layer['app']

    def test_asbool_is_2x_lenient(self):
        for value in (True, 1, u'true', 'Yes', u' on ', u'1', u'T', 'y',
                      u'perhaps'):
            self.assertIs(asbool(value), True, value)
        for value in (False, 0, None, -1, u'', u'false', 'No', u'off', u'0',
                      'n', 'f'):
            self.assertIs(asbool(value), False, value)

    def test_splitstrip(self):
        self.assertEqual(splitstrip(u' a  b\n  c '), [u'a', u'b', u'c'])

    def test_local_time_helpers(self):
        naive = datetime.datetime(2008, 1, 1, 12, 0)
        aware = to_utc(naive)
        self.assertEqual(aware.tzinfo, pytz.UTC)
        self.assertEqual(local_naive(aware), naive)
        self.assertEqual(to_local(aware), naive)
        self.assertEqual(to_local(naive), naive)
        new_york = pytz.timezone('America/New_York')
        self.assertEqual(to_tz(aware, new_york), aware)
        self.assertEqual(to_tz(naive, new_york).tzinfo.zone,
                         'America/New_York')

    def test_croniter_returns_datetimes(self):
        following = croniter('5 * * * *',
                             datetime.datetime(2008, 1, 1)).get_next()
        self.assertEqual(following, datetime.datetime(2008, 1, 1, 0, 5))

    def test_to_utc(self):
        paris = pytz.timezone('Europe/Paris')
        summer = paris.localize(datetime.datetime(2008, 7, 1, 12, 0))
        self.assertEqual(to_utc(summer),
                         datetime.datetime(2008, 7, 1, 10, 0, tzinfo=pytz.UTC))
        self.assertEqual(to_utc(datetime.datetime(2008, 1, 1)).tzinfo,
                         pytz.UTC)
        self.assertEqual(local_naive(to_utc(datetime.datetime(2008, 1, 1))),
                         datetime.datetime(2008, 1, 1))
        self.assertEqual(to_utc(DateTime('2008/01/01 01:00 GMT+1')),
                         datetime.datetime(2008, 1, 1, tzinfo=pytz.UTC))
        with self.assertRaises(ValueError):
            to_utc(u'2008-01-01')

    def test_text(self):
        self.assertEqual(text(b'caf\xc3\xa9'), u'caf\xe9')
        self.assertEqual(text(b'caf\xe9'), u'caf\ufffd')
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
        with self.assertRaises(NoSuchUserError) as caught:
            su_plone(self.app, self.portal, 'ghost')
        self.assertIn('ghost', str(caught.exception))
        self.assertIsInstance(caught.exception, ValueError)

    def test_su_plone_by_login_name(self):
        self.portal.acl_users.source_users.addUser('u1', 'login-one', 's')
        with security_of(getSecurityManager().getUser()):
            user = su_plone(self.app, self.portal, ['login-one'])
            self.assertEqual(user.getId(), 'u1')
            self.assertEqual(user.getUserName(), 'login-one')
