# -*- coding: utf-8 -*-
"""What the @crons services share: access checks, errors, routes and the
reading of JSON bodies.

Every answer is JSON. An error is ``{"error": {"type", "message"}}``, with
``field`` and ``value`` when one input value is refused; the transaction
of a refused request is doomed, so nothing it touched is saved.
"""
import json

import six
import transaction
from AccessControl import getSecurityManager
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.permissions import UseRESTAPI
from plone.restapi.services import Service
from plone.restapi.services import _no_content_marker
from zope.interface import alsoProvides
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse

from collective.cron.crontab import Crontab

VIEW = 'ccron: View'
EDIT = 'ccron: Edit'
SERVICE = '@crons'
#: a route's placeholder for a cron uid
UID = object()
#: no value given (``None`` is JSON's null)
MISSING = object()


class ServiceError(Exception):
    """An answer other than success: HTTP status, error type, message."""

    def __init__(self, status, kind, message, field=None, value=MISSING):
        super(ServiceError, self).__init__(message)
        self.status = status
        self.kind = kind
        self.message = message
        self.field = field
        self.value = value

    def data(self):
        error = {u'type': self.kind, u'message': self.message}
        if self.field is not None:
            error[u'field'] = self.field
        if self.value is not MISSING:
            error[u'value'] = self.value
        return {u'error': error}


def bad_request(message, field=None, value=MISSING):
    return ServiceError(400, u'BadRequest', message, field, value)


def not_found(message):
    return ServiceError(404, u'NotFound', message)


def text(value):
    """Text of an error message (the model's messages are byte strings)."""
    if isinstance(value, bytes):
        return value.decode('utf-8', 'replace')
    return six.text_type(value)


def read_body(request):
    """The request's JSON body as a dict ({} without a body)."""
    body = request.get('BODY') or ''
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise bad_request(u'Malformed JSON body: %s' % text(exc))
    if not isinstance(data, dict):
        raise bad_request(u'The body must be a JSON object', value=data)
    return data


def only_fields(data, allowed, read_only=()):
    """Refuse the first field of ``data`` that is not in ``allowed``."""
    for key in sorted(data):
        if key in read_only:
            raise bad_request(u'Field "%s" is read-only' % key, key,
                              data[key])
        if key not in allowed:
            raise bad_request(u'Unknown field "%s"; known fields: %s'
                              % (key, u', '.join(allowed)), key, data[key])


def anonymous():
    user = getSecurityManager().getUser()
    return user is None or user.getUserName() == 'Anonymous User'


@implementer(IPublishTraverse)
class CronService(Service):
    """A @crons service; the path after ``@crons`` is in ``self.params``.

    ``routes`` maps path shapes (``UID`` stands for a cron uid) to method
    names; a method of a route with a uid gets the cron. ``permission`` is
    checked (with plone.restapi's "Use REST API") before anything else.
    """

    permission = EDIT
    routes = {}

    def __init__(self, context, request):
        super(CronService, self).__init__(context, request)
        self.params = []

    def publishTraverse(self, request, name):
        self.params.append(text(name))
        return self

    @property
    def crontab(self):
        crontab = getattr(self, '_crontab', None)
        if crontab is None:
            crontab = self._crontab = self.load_crontab()
        return crontab

    def load_crontab(self):
        return Crontab.load()

    @property
    def service_url(self):
        return '%s/%s' % (self.context.absolute_url(), SERVICE)

    def cron_url(self, cron):
        return '%s/%s' % (self.service_url, cron.uid)

    def check_access(self):
        checker = getSecurityManager()
        if all(checker.checkPermission(permission, self.context)
               for permission in (UseRESTAPI, self.permission)):
            return
        if anonymous():
            raise ServiceError(401, u'Unauthorized',
                               u'Log in to use %s' % SERVICE)
        raise ServiceError(403, u'Forbidden', u'You need the permission '
                           u'"%s" to do this' % self.permission)

    def route(self):
        """(method, cron uid or None) of the request's path."""
        params = tuple(self.params)
        for shape, method in self.routes.items():
            if len(shape) != len(params):
                continue
            if all(part is UID or part == param
                   for part, param in zip(shape, params)):
                uid = params[shape.index(UID)] if UID in shape else None
                return getattr(self, method), uid
        raise not_found(u'No such resource: %s'
                        % u'/'.join((SERVICE,) + params))

    def find_cron(self, uid):
        cron = self.crontab.crons.get(uid)
        if cron is None:
            raise not_found(u'No cron with uid "%s"' % uid)
        return cron

    def reply(self):
        method, uid = self.route()
        if uid is None:
            return method()
        return method(self.find_cron(uid))

    def render(self):
        try:
            self.check_access()
            content = self.reply()
        except ServiceError as error:
            transaction.doom()
            self.request.response.setStatus(error.status)
            content = error.data()
        if content is _no_content_marker:
            return None
        self.request.response.setHeader('Content-Type', self.content_type)
        return json.dumps(content, indent=2, sort_keys=True,
                          separators=(', ', ': '))


def json_content(request):
    content_type = request.getHeader('Content-Type') or ''
    return content_type.split(';')[0].strip().lower() == 'application/json'


class WritingService(CronService):
    """A service that changes the crontab: ``ccron: Edit``.

    As plone.restapi's own write services, it switches plone.protect's CSRF
    check off for its request, which needs no token then. What keeps
    another site from sending it from a logged-in browser: a service only
    answers requests that ask for JSON (``Accept: application/json``), and
    a write must say it sends JSON (``Content-Type: application/json``,
    required for every POST and for any body). A browser sends a
    cross-site request with that content type, or with PATCH or DELETE,
    only after the site allowed it (CORS).
    """

    permission = EDIT

    def reply(self):
        self.check_content_type()
        alsoProvides(self.request, IDisableCSRFProtection)
        return super(WritingService, self).reply()

    def check_content_type(self):
        has_body = bool((self.request.get('BODY') or '').strip())
        is_post = self.request.get('REQUEST_METHOD', '').upper() == 'POST'
        if (has_body or is_post) and not json_content(self.request):
            raise ServiceError(
                415, u'UnsupportedMediaType', u'Send JSON with the header '
                u'"Content-Type: application/json" (a POST too, even without '
                u'a body)')

    def created(self, url, content):
        self.request.response.setStatus(201)
        self.request.response.setHeader('Location', url)
        return content
