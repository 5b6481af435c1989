# -*- coding: utf-8 -*-
"""An example of an add-on's action (test fixture, registered by
testing.zcml for both viewlet managers of the dashboard): a link to the
cron's JSON status, on the cron's page and in its row of the dashboard.

It shows in sites where its browser layer is registered (an add-on's
browserlayer.xml does it; the tests call ``register_layer``).
"""
from six.moves.urllib.parse import quote
from zope.component.hooks import getSite

from collective.cron.interfaces import ICollectiveCronLayer

#: the name of the example's browser layer in a site
LAYER_NAME = 'collective.cron.tests.example'


class IExampleLayer(ICollectiveCronLayer):
    """The browser layer of the example add-on."""


class StatusLinkViewlet(object):
    """Links to ``@@cron-status?uid=<uid>`` of the manager's cron (the
    ZCML directive adds Five's viewlet base class and the template)."""

    @property
    def cron(self):
        return self.manager.cron

    @property
    def url(self):
        return '%s/@@cron-status?uid=%s' % (getSite().absolute_url(),
                                            quote(self.cron.uid, safe=''))
