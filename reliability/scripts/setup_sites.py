"""Create the reliability suite's Plone sites (zconsole run, instance role).

    zconsole run <client>/zope.conf setup_sites.py site1 site2 ...

Also creates the Zope manager CRONREL_USER / CRONREL_PASSWORD.
"""
from __future__ import print_function

import os
import sys

import transaction
from BTrees.OOBTree import OOBTree
from plone.protect.interfaces import IDisableCSRFProtection
from Products.CMFPlone.factory import addPloneSite
from Products.CMFPlone.utils import get_installer
from zope.component.hooks import setSite
from zope.interface import alsoProvides

from cronrel.runners import RUNS_ATTRIBUTE


def ensure_manager(root):
    user = os.environ['CRONREL_USER']
    if root.acl_users.getUserById(user) is None:
        root.acl_users._doAddUser(user, os.environ['CRONREL_PASSWORD'],
                                  ['Manager'], [])


def ensure_site(root, site_id):
    if site_id not in root.objectIds():
        addPloneSite(root, site_id, title=site_id)
    site = root[site_id]
    setSite(site)
    installer = get_installer(site)
    if not installer.is_product_installed('collective.cron'):
        installer.install_product('collective.cron')
    setattr(site, RUNS_ATTRIBUTE, OOBTree())
    setSite(None)
    transaction.commit()
    print('site %s ready' % site_id)


def main(root, site_ids):
    alsoProvides(root.REQUEST, IDisableCSRFProtection)
    ensure_manager(root)
    transaction.commit()
    for site_id in site_ids:
        ensure_site(root, site_id)


# zconsole's sys.argv holds the configuration and script paths too
main(app, [arg for arg in sys.argv[1:] if '/' not in arg])  # noqa: F821
