# -*- coding: utf-8 -*-
"""An HTTP client for the @crons services in tests and doctests (layer
COLLECTIVE_CRON_SERVER_TESTING): it prints requests and responses the way
plone.restapi's documentation shows them, with the test server's address
replaced by ``http://localhost:8080``."""
from __future__ import print_function

import json

import requests
import transaction
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

SHOWN_SERVER = 'http://localhost:8080'
SHOWN_HEADERS = ('Location', 'Content-Type')


def pretty(data):
    return json.dumps(data, indent=2, sort_keys=True, separators=(',', ': '))


class Client(object):
    """Requests to the site ``portal`` as ``auth`` (None: anonymous)."""

    def __init__(self, portal, auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD)):
        self.site_url = portal.absolute_url()
        self.server = self.site_url[:-len(portal.absolute_url_path())]
        self.auth = auth

    def request(self, method, path, body=None, data=None):
        """The response to ``method`` on the site's ``path``; ``body`` is
        sent as JSON, ``data`` as is. The test's transaction is renewed
        afterwards, so that it sees what the request changed."""
        headers = {'Accept': 'application/json'}
        if body is not None:
            data = json.dumps(body)
        if method != 'GET':
            headers['Content-Type'] = 'application/json'
        response = requests.request(method, self.site_url + '/' + path,
                                    headers=headers, data=data,
                                    auth=self.auth)
        transaction.begin()
        return response

    def shown(self, value):
        return value.replace(self.server, SHOWN_SERVER)

    def show(self, method, path, body=None, data=None):
        """Print the request and its response."""
        response = self.request(method, path, body, data)
        print(self.shown('%s %s' % (method, response.request.path_url)))
        if body is not None:
            print(pretty(body))
        elif data is not None:
            print(data)
        print()
        print('HTTP %s %s' % (response.status_code, response.reason))
        for name in SHOWN_HEADERS:
            if name in response.headers:
                print(self.shown('%s: %s' % (name, response.headers[name])))
        if response.text:
            print()
            print(self.shown(pretty(response.json())))
