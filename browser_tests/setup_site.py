"""The browser tests' site: scripts/create_site.py (the site of `make run`),
then a member with only the CollectiveCronRO role, and the UI language taken
from the browser's Accept-Language (English or French).

Run by `zconsole run <instance>/setup/etc/zope.conf browser_tests/setup_site.py`.
"""
from __future__ import print_function

import os
import runpy

import transaction
from plone import api
from plone.registry.interfaces import IRegistry
from zope.component import getUtility
from zope.component.hooks import setSite

#: set by instance.py (zconsole gives a script no __file__)
CREATE_SITE = os.environ['CREATE_SITE_SCRIPT']


def add_reader(site, user_id, password):
    if api.user.get(userid=user_id) is None:
        api.user.create(username=user_id, password=password,
                        email='%s@example.org' % user_id)
    api.user.grant_roles(username=user_id, roles=['CollectiveCronRO'])


def negotiate_language():
    registry = getUtility(IRegistry)
    registry['plone.available_languages'] = [u'en', u'fr']
    registry['plone.use_request_negotiation'] = True


runpy.run_path(CREATE_SITE, init_globals={'app': app})  # noqa: F821
site = app[os.environ['SITE_ID']]  # noqa: F821
setSite(site)
add_reader(site, os.environ['READER_USER'], os.environ['READER_PASSWORD'])
negotiate_language()
transaction.commit()
print('browser test site ready')
