"""Create the reliability suite's Plone sites (zconsole run, instance role).

    zconsole run <client>/zope.conf setup_sites.py site1 site2 ...

On Plone 6 a second addPloneSite in one process fails (plone.dexterity's
schema cache looks the site root up as a utility while no site is set):
the suite runs this script once per site there.

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


#: Plone 6's site root is a Dexterity item: its creation needs
#: plone.app.contenttypes (Python 3); Plone 5.2's sites are made as before
EXTENSIONS = {} if sys.version_info[0] == 2 else {'extension_ids': (
    'plone.app.contenttypes:default', 'plonetheme.barceloneta:default')}


def ensure_site(root, site_id):
    if site_id not in root.objectIds():
        addPloneSite(root, site_id, title=site_id, **EXTENSIONS)
    site = root[site_id]
    setSite(site)
    installer = get_installer(site)
    if not installer.is_product_installed('collective.cron'):
        installer.install_product('collective.cron')
    if not installer.is_product_installed('collective.cron'):
        raise SystemExit('installing collective.cron in %s failed (is its '
                         'zcml loaded?)' % site_id)
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


def site_ids(argv):
    """The arguments after this script's path (zconsole's sys.argv holds
    its mode, 'run', and the configuration's path before it)."""
    here = [index for index, arg in enumerate(argv)
            if arg.endswith('setup_sites.py')]
    return argv[here[0] + 1:] if here else []


main(app, site_ids(sys.argv))  # noqa: F821
