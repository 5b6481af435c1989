"""Create the Plone site of `make run` with collective.cron installed.

Run by `zconsole run <instance>/setup/etc/zope.conf scripts/create_site.py`
(the set-up configuration: it never runs jobs). Idempotent: an existing
site is kept; collective.cron is installed in it if it is not yet. Settings
from the environment: SITE_ID, ADMIN_USER, ADMIN_PASSWORD (used when the
manager is created; an existing manager keeps its password), DEMO_CRON=1
(`make run`: a demo cron, every minute, collective.cron:demo.zcml's task,
is added to an empty crontab).
"""
from __future__ import print_function

import importlib
import os

import transaction
from plone.protect.interfaces import IDisableCSRFProtection
from Products.CMFPlone.factory import addPloneSite
from Products.CMFPlone.utils import get_installer
from zope.component import getUtility
from zope.component.hooks import setSite
from zope.interface import alsoProvides

from collective.cron.crontab import Cron
from collective.cron.crontab import Crontab
from collective.cron.demo import DEMO

SITE_ID = os.environ.get('SITE_ID', 'Plone')
ADMIN_USER = os.environ.get('ADMIN_USER', 'admin')
ADMIN_PASSWORD = os.environ.get('ADMIN_PASSWORD', 'admin')
DEMO_CRON = os.environ.get('DEMO_CRON') == '1'


def ensure_admin(root):
    users = root.acl_users
    if users.getUserById(ADMIN_USER) is None:
        users._doAddUser(ADMIN_USER, ADMIN_PASSWORD, ['Manager'], [])
        print('created Zope manager %r' % ADMIN_USER)


def ensure_queues():
    """zc.async's queues (Python 2), installed as a worker installs them
    when it starts: the first `make run` creates the site before its
    worker ever opened the async database, and installing collective.cron
    marks the site in the queue (its jobs are restored at each start).
    Huey (Python 3) needs nothing: its task store is made on first use."""
    try:
        # 'async' is a keyword on Python 3: an import statement naming
        # zc.async or plone.app.async does not even compile there
        subscribers = importlib.import_module('zc.async.subscribers')
        interfaces = importlib.import_module('plone.app.async.interfaces')
        from zope.app.appsetup.interfaces import DatabaseOpened
    except ImportError:
        return
    database = getUtility(interfaces.IAsyncDatabase)
    subscribers.queue_installer(DatabaseOpened(database))


def ensure_site(root):
    if SITE_ID not in root.objectIds():
        addPloneSite(root, SITE_ID, title='collective.cron',
                     extension_ids=('plone.app.contenttypes:default',
                                    'plone.app.contenttypes:plone-content',
                                    'plonetheme.barceloneta:default'))
        print('created Plone site %r' % SITE_ID)
    site = root[SITE_ID]
    setSite(site)
    installer = get_installer(site)
    if not installer.is_product_installed('collective.cron'):
        installer.install_product('collective.cron')
        if not installer.is_product_installed('collective.cron'):
            raise SystemExit('installing collective.cron in %r failed: see '
                             'the messages above' % SITE_ID)
        print('installed collective.cron in %r' % SITE_ID)


def ensure_demo_cron():
    crontab = Crontab.load()
    if not crontab.crons:
        Cron(name=DEMO, periodicity=u'* * * * *', activated=True,
             crontab=crontab)
        crontab.save()
        print('added the demo cron %r (every minute)' % DEMO)


alsoProvides(app.REQUEST, IDisableCSRFProtection)  # noqa: F821 (zconsole)
ensure_queues()
ensure_admin(app)  # noqa: F821
ensure_site(app)  # noqa: F821
if DEMO_CRON:
    ensure_demo_cron()
transaction.commit()
