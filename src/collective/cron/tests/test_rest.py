# -*- coding: utf-8 -*-
"""The REST API (@crons) over HTTP: a real WSGI server, ``requests`` as the
client, jobs run by the real queue."""
import datetime
import json

import requests
import transaction
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.registry.interfaces import IRegistry
from zope.component import getUtility

from collective.cron.crontab import FAILURE
from collective.cron.crontab import OK
from collective.cron.crontab import WARN
from collective.cron.crontab import Cron
from collective.cron.crontab import Crontab
from collective.cron.crontab import next_run
from collective.cron.registry import ACTIVATED
from collective.cron.registry import CRONTAB
from collective.cron.registry import ZONE
from collective.cron.testing import COLLECTIVE_CRON_SERVER_TESTING
from collective.cron.testing import DEFAULT_NOW
from collective.cron.testing import wait_for
from collective.cron.tests import runners
from collective.cron.tests.base import QueueTestCase
from collective.cron.tests.base import utc

PASSWORD = 'secret'
#: user -> roles in the site (the site owner is the Zope root's Manager)
USERS = {'cronadmin': ['CollectiveCron'],
         'cronreader': ['CollectiveCronRO'],
         'member': ['Member']}
MISSING_UID = u'0123456789abcdef0123456789abcdef'
#: an error without a value (a missing field)
NO_VALUE = object()


class RestTestCase(QueueTestCase):
    """A site with users, and an HTTP client for its @crons services."""

    layer = COLLECTIVE_CRON_SERVER_TESTING

    def setUp(self):
        super(RestTestCase, self).setUp()
        for user, roles in USERS.items():
            self.portal.acl_users.userFolderAddUser(user, PASSWORD, roles,
                                                    [])
        transaction.commit()
        self.url = self.portal.absolute_url() + '/@crons'

    def call(self, method, path=u'', user=SITE_OWNER_NAME, body=None,
             data=None, **kwargs):
        """A JSON request to @crons/path; ``body`` is sent as JSON,
        ``data`` as is. ``user`` None: anonymous."""
        headers = {'Accept': 'application/json'}
        if body is not None:
            data = json.dumps(body)
        if method != 'GET':
            headers['Content-Type'] = 'application/json'
        auth = None
        if user is not None:
            auth = (user, SITE_OWNER_PASSWORD if user == SITE_OWNER_NAME
                    else PASSWORD)
        url = self.url + (u'/' + path if path else u'')
        response = requests.request(method, url, headers=headers, data=data,
                                    auth=auth, **kwargs)
        transaction.begin()
        return response

    def snapshot(self):
        """The stored crontab records and the queue's state of each cron."""
        transaction.begin()
        registry = getUtility(IRegistry)
        records = list(registry[CRONTAB])
        crontab = Crontab.load()
        return (registry[ACTIVATED], records,
                dict((uid, self.queue.state(uid)) for uid in crontab.crons))

    def add_logs(self, uid, *statuses):
        """Logs dated a minute apart from DEFAULT_NOW, the last first."""
        cron = self.cron(uid)
        for minute, status in enumerate(statuses):
            cron.log(date=DEFAULT_NOW + datetime.timedelta(minutes=minute),
                     status=status, messages=[u'run %s' % minute])
        cron.save()
        transaction.commit()

    def assertError(self, response, status, kind, field=None, value=None):
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(response.headers['Content-Type'],
                         'application/json')
        error = response.json()['error']
        self.assertEqual(error['type'], kind)
        self.assertTrue(error['message'])
        if field is not None:
            self.assertEqual(error['field'], field)
        if value is NO_VALUE:
            self.assertNotIn('value', error)
        elif field is not None:
            self.assertEqual(error['value'], value)
        return error


class TestRead(RestTestCase):

    def test_empty_crontab(self):
        # a worker polls the queue (the Huey backend's first poll after the
        # task store of the previous test was emptied may be a second away)
        wait_for(lambda: self.queue.last_poll() is not None, 10,
                 'a worker to poll the queue')
        response = self.call('GET')
        self.assertEqual(response.status_code, 200)
        last_poll = self.queue.last_poll()
        self.assertEqual(response.json(), {
            u'@id': self.url, u'activated': True, u'items': [],
            u'items_total': 0, u'invalid_records': 0,
            u'worker_last_poll': last_poll.isoformat(),
            u'worker_silent': False})

    def test_crontab(self):
        uid = self.add(periodicity=u'0 3 * * *', environ={u'a': 1},
                       logs_limit=7, user=u'cronadmin')
        off = self.add(name=u'off', activated=False)
        self.add_logs(uid, OK, WARN)
        data = self.call('GET').json()
        self.assertEqual(data[u'items_total'], 2)
        self.assertNotIn(u'batching', data)
        first, second = data[u'items']
        cron_url = self.url + u'/' + uid
        self.assertEqual(first, {
            u'@id': cron_url, u'uid': uid, u'name': runners.RECORD,
            u'periodicity': u'0 3 * * *', u'environ': {u'a': 1},
            u'schedule': u'At 03:00',
            u'user': u'cronadmin', u'activated': True, u'logs_limit': 7,
            u'timezone': None, u'misfire': None, u'misfire_grace': None,
            u'alert_after': None, u'alert_to': None,
            u'next': self.iso_local(3), u'last_status': u'WARN',
            u'last_date': u'2008-01-01T00:01:00+00:00',
            u'logs': {u'@id': cron_url + u'/logs', u'items_total': 2},
            u'queue': {u'state': u'queued', u'begins': self.iso_local(3)},
            u'late': False})
        self.assertEqual((second[u'uid'], second[u'activated'],
                          second[u'next'], second[u'queue'][u'state'],
                          second[u'last_status'], second[u'last_date']),
                         (off, False, None, u'not-queued', None, None))

    def iso_local(self, hour):
        """The next ``hour``:00 local time, as ISO 8601 UTC."""
        return next_run(u'0 %s * * *' % hour).isoformat()

    def test_next_is_null_when_the_crontab_is_off(self):
        self.add()
        self.call('PATCH', body={u'activated': False})
        data = self.call('GET').json()
        self.assertEqual(data[u'activated'], False)
        self.assertIsNone(data[u'items'][0][u'next'])

    def test_unreadable_records_are_counted(self):
        self.add()
        registry = getUtility(IRegistry)
        registry[CRONTAB] = registry[CRONTAB] + [u'{"uid": "oops"']
        transaction.commit()
        data = self.call('GET').json()
        self.assertEqual((data[u'items_total'], data[u'invalid_records']),
                         (1, 1))

    def test_batching(self):
        crontab = Crontab.load()
        for index in range(30):
            Cron(name=u'cron-%02d' % index, periodicity=u'* * * * *',
                 crontab=crontab)
        crontab.save()
        transaction.commit()
        data = self.call('GET', params={'b_size': 10, 'b_start': 10}).json()
        self.assertEqual(data[u'items_total'], 30)
        self.assertEqual([item[u'name'] for item in data[u'items']],
                         [u'cron-%02d' % index for index in range(10, 20)])
        self.assertEqual(data[u'@id'], self.url)
        links = data[u'batching']
        self.assertEqual(links[u'first'], self.url + u'?b_start=0&b_size=10')
        self.assertEqual(links[u'next'], self.url + u'?b_start=20&b_size=10')
        self.assertEqual(links[u'prev'], self.url + u'?b_start=0&b_size=10')
        self.assertEqual(links[u'last'], self.url + u'?b_start=20&b_size=10')
        default = self.call('GET').json()
        self.assertEqual(len(default[u'items']), 25)

    def test_bad_batch_parameters(self):
        for params, name in (({'b_size': 'x'}, 'b_size'),
                             ({'b_size': '0'}, 'b_size'),
                             ({'b_start': '-1'}, 'b_start')):
            response = self.call('GET', params=params)
            self.assertError(response, 400, u'BadRequest', name,
                             params[name])

    def test_one_cron(self):
        uid = self.add()
        listed = self.call('GET').json()[u'items'][0]
        response = self.call('GET', uid)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), listed)

    def test_logs_newest_first_and_batched(self):
        uid = self.add(logs_limit=25)
        self.add_logs(uid, OK, WARN, FAILURE)
        data = self.call('GET', uid + '/logs').json()
        self.assertEqual(data[u'@id'], self.url + u'/' + uid + u'/logs')
        self.assertEqual(data[u'items_total'], 3)
        self.assertEqual(data[u'items'][0], {
            u'position': 0, u'date': u'2008-01-01T00:02:00+00:00',
            u'status': u'FAILURE', u'messages': [u'run 2']})
        self.assertEqual([item[u'status'] for item in data[u'items']],
                         [u'FAILURE', u'WARN', u'OK'])
        page = self.call('GET', uid + '/logs', params={'b_size': 2,
                                                        'b_start': 2}).json()
        self.assertEqual([item[u'position'] for item in page[u'items']],
                         [2])
        self.assertIn(u'batching', page)

    def test_reads_follow_changes_made_elsewhere(self):
        """A read reuses the crontab read before only while the records
        are the same."""
        uid = self.add()
        self.assertEqual(self.call('GET').json()[u'items'][0][u'name'],
                         runners.RECORD)
        self.change(uid, name=u'renamed')
        self.assertEqual(self.call('GET').json()[u'items'][0][u'name'],
                         u'renamed')
        self.add_logs(uid, FAILURE)
        self.assertEqual(self.call('GET', uid).json()[u'last_status'],
                         u'FAILURE')
        self.assertEqual(self.call('GET', uid + '/logs').json()
                         [u'items_total'], 1)
        crontab = Crontab.load()
        crontab.activated = False
        crontab.save()
        transaction.commit()
        data = self.call('GET').json()
        self.assertEqual((data[u'activated'], data[u'items'][0][u'next']),
                         (False, None))

    def test_next_run_in_the_crontab_time_zone(self):
        """A read follows the crontab-wide time zone (crons read before
        the zone changed included)."""
        uid = self.add(periodicity=u'0 3 * * *')
        self.assertEqual(self.call('GET', uid).json()[u'next'],
                         self.iso_local(3))
        getUtility(IRegistry)[ZONE] = u'Asia/Tokyo'
        transaction.commit()
        self.assertEqual(self.call('GET').json()[u'items'][0][u'next'],
                         u'2008-01-01T18:00:00+00:00')
        self.assertEqual(self.call('GET', uid).json()[u'next'],
                         Crontab.load().crons[uid].next.isoformat())

    def test_a_get_writes_nothing(self):
        uid = self.add()
        before = self.snapshot()
        self.call('GET')
        self.call('GET', uid)
        self.call('GET', uid + '/logs')
        self.assertEqual(self.snapshot(), before)


class TestWrite(RestTestCase):

    def test_switch(self):
        uid = self.add()
        response = self.call('PATCH', body={u'activated': False})
        self.assertEqual(response.status_code, 204)
        self.assertEqual(response.text, u'')
        self.assertFalse(Crontab.load().activated)
        self.assertFalse(self.queue.is_present(uid))
        self.assertEqual(self.call('PATCH', body={u'activated': True})
                         .status_code, 204)
        self.assertTrue(Crontab.load().activated)
        self.assertTrue(self.queue.is_pending(uid))

    def test_add(self):
        other = self.add()
        before = self.cron(other).dump()
        response = self.call('POST', body={u'name': u'my.task',
                                           u'periodicity': u'*/10 * * * *'})
        self.assertEqual(response.status_code, 201, response.text)
        data = response.json()
        uid = data[u'uid']
        self.assertEqual(response.headers['Location'], self.url + u'/' + uid)
        self.assertEqual(data[u'@id'], response.headers['Location'])
        cron = self.cron(uid)
        self.assertEqual(
            (cron.name, cron.periodicity, cron.activated, cron.logs_limit,
             cron.environ, cron.user),
            (u'my.task', u'*/10 * * * *', True, 5, {}, None))
        self.assertEqual(self.queue.begins(uid), utc(2008, 1, 1, 0, 10))
        self.assertEqual(data, self.call('GET', uid).json())
        self.assertEqual(self.cron(other).dump(), before)

    def test_add_with_every_field(self):
        response = self.call('POST', body={
            u'name': u'my.task', u'periodicity': u'0 4 * * 1',
            u'environ': {u'path': u'/news', u'days': [1, 2]},
            u'user': u'cronadmin', u'activated': False, u'logs_limit': 12,
            u'timezone': u'Europe/Paris', u'misfire': u'skip',
            u'misfire_grace': 300})
        self.assertEqual(response.status_code, 201, response.text)
        data = response.json()
        self.assertEqual(
            (data[u'timezone'], data[u'misfire'], data[u'misfire_grace']),
            (u'Europe/Paris', u'skip', 300))
        cron = self.cron(data[u'uid'])
        self.assertEqual(
            (cron.environ, cron.user, cron.activated, cron.logs_limit,
             cron.timezone, cron.misfire, cron.misfire_grace),
            ({u'path': u'/news', u'days': [1, 2]}, u'cronadmin', False, 12,
             u'Europe/Paris', u'skip', 300))
        self.assertFalse(self.queue.is_present(cron.uid))

    def test_change(self):
        uid = self.add()
        other = self.add(name=u'other')
        before = self.snapshot()
        response = self.call('PATCH', uid, body={
            u'periodicity': u'*/15 * * * *', u'environ': {u'x': u'y'}})
        self.assertEqual(response.status_code, 204, response.text)
        cron = self.cron(uid)
        self.assertEqual((cron.periodicity, cron.environ, cron.name),
                         (u'*/15 * * * *', {u'x': u'y'}, runners.RECORD))
        self.assertEqual(self.queue.begins(uid), utc(2008, 1, 1, 0, 15))
        after = self.snapshot()
        self.assertEqual(after[1][1], before[1][1])
        self.assertEqual(after[2][other], before[2][other])

    def test_time_zone_and_misfire(self):
        uid = self.add(periodicity=u'0 3 * * *')
        response = self.call('PATCH', uid, body={
            u'timezone': u'Asia/Tokyo', u'misfire': u'run_once'})
        self.assertEqual(response.status_code, 204, response.text)
        cron = self.cron(uid)
        self.assertEqual((cron.timezone, cron.misfire),
                         (u'Asia/Tokyo', u'run_once'))
        self.assertEqual(self.queue.begins(uid), utc(2008, 1, 1, 18))
        self.assertEqual(self.call('GET', uid).json()[u'next'],
                         u'2008-01-01T18:00:00+00:00')
        self.call('PATCH', uid, body={u'timezone': None, u'misfire': None})
        cron = self.cron(uid)
        self.assertEqual((cron.timezone, cron.misfire), (None, None))

    def test_deactivate_a_cron(self):
        uid = self.add()
        self.assertEqual(self.call('PATCH', uid, body={u'activated': False})
                         .status_code, 204)
        self.assertFalse(self.cron(uid).activated)
        self.assertFalse(self.queue.is_present(uid))

    def test_smaller_logs_limit_trims_the_logs(self):
        uid = self.add(logs_limit=10)
        self.add_logs(uid, OK, WARN, FAILURE)
        self.call('PATCH', uid, body={u'logs_limit': 2})
        self.assertEqual([log.status for log in self.cron(uid).logs],
                         [FAILURE, WARN])

    def test_delete(self):
        uid = self.add()
        other = self.add(name=u'other')
        before = self.cron(other).dump()
        response = self.call('DELETE', uid)
        self.assertEqual(response.status_code, 204)
        self.assertIsNone(self.cron(uid))
        self.assertFalse(self.queue.is_present(uid))
        self.assertEqual(self.cron(other).dump(), before)
        self.assertTrue(self.queue.is_pending(other))
        self.assertError(self.call('GET', uid), 404, u'NotFound')

    def test_run_now(self):
        uid = self.add(name=runners.WARN)
        response = self.call('POST', uid + '/run')
        self.assertEqual(response.status_code, 202, response.text)
        cron_url = self.url + u'/' + uid
        self.assertEqual(response.headers['Location'], cron_url)
        data = response.json()
        self.assertEqual(data[u'@id'], cron_url)
        self.assertIn(data[u'queue'][u'state'], (u'queued', u'running'))
        logs = self.wait_logs(uid, 1)
        self.assertEqual(logs[0].status, WARN)
        polled = self.call('GET', uid).json()
        self.assertEqual(polled[u'last_status'], u'WARN')
        self.assertEqual(polled[u'last_date'], u'2008-01-01T00:00:00+00:00')

    def test_run_a_deactivated_cron(self):
        uid = self.add(activated=False)
        before = self.snapshot()
        response = self.call('POST', uid + '/run')
        self.assertError(response, 409, u'Conflict')
        self.assertEqual(self.snapshot(), before)
        self.assertEqual(self.pending_jobs(), [])

    def test_delete_every_log(self):
        uid = self.add(logs_limit=10)
        self.add_logs(uid, OK, WARN, FAILURE)
        response = self.call('DELETE', uid + '/logs')
        self.assertEqual(response.status_code, 204, response.text)
        self.assertEqual(self.cron(uid).logs, [])

    def test_delete_logs_by_position(self):
        uid = self.add(logs_limit=10)
        self.add_logs(uid, OK, WARN, FAILURE)
        response = self.call('DELETE', uid + '/logs',
                             body={u'positions': [0, 2]})
        self.assertEqual(response.status_code, 204, response.text)
        self.assertEqual([log.status for log in self.cron(uid).logs],
                         [WARN])

    def test_delete_logs_before_a_date(self):
        uid = self.add(logs_limit=10)
        self.add_logs(uid, OK, WARN, FAILURE)
        response = self.call('DELETE', uid + '/logs', body={
            u'before': u'2008-01-01T01:01:00+01:00'})
        self.assertEqual(response.status_code, 204, response.text)
        self.assertEqual([log.status for log in self.cron(uid).logs],
                         [FAILURE, WARN])

    def test_writes_need_no_csrf_token(self):
        """Basic auth and JSON, no plone.protect token: the write is done
        (and its queue job, in the async database, is committed)."""
        response = requests.post(
            self.url, auth=('cronadmin', PASSWORD),
            headers={'Accept': 'application/json',
                     'Content-Type': 'application/json'},
            data=json.dumps({u'name': u'x', u'periodicity': u'* * * * *'}))
        self.assertEqual(response.status_code, 201, response.text)
        uid = response.json()[u'uid']
        self.assertEqual(self.cron(uid).name, u'x')
        self.assertTrue(self.queue.is_pending(uid))

    def test_jwt_token(self):
        """plone.restapi's JWT login (its profile is a dependency of ours):
        a token and JSON, no CSRF token."""
        login = requests.post(
            self.portal.absolute_url() + '/@login',
            headers={'Accept': 'application/json',
                     'Content-Type': 'application/json'},
            data=json.dumps({'login': 'cronadmin', 'password': PASSWORD}))
        self.assertEqual(login.status_code, 200, login.text)
        headers = {'Accept': 'application/json',
                   'Content-Type': 'application/json',
                   'Authorization': 'Bearer ' + login.json()['token']}
        response = requests.post(self.url, headers=headers, data=json.dumps(
            {u'name': u'x', u'periodicity': u'* * * * *'}))
        self.assertEqual(response.status_code, 201, response.text)
        uid = response.json()[u'uid']
        self.assertEqual(self.cron(uid).name, u'x')
        response = requests.get(self.url + u'/' + uid, headers=headers)
        self.assertEqual(response.json()[u'name'], u'x')

    def test_writes_must_say_they_send_json(self):
        """A cross-site page can make a logged-in browser POST text/plain
        (a "simple" request, no CORS check): refused, nothing saved."""
        uid = self.add(name=u'other')
        before = self.snapshot()
        body = json.dumps({u'name': u'x', u'periodicity': u'* * * * *'})
        for path, data, content_type in (
                (u'', body, 'text/plain'), (u'', body, None),
                (u'/%s/run' % uid, None, 'text/plain'),
                (u'/%s/run' % uid, None, None),
                (u'/%s/run' % uid, None, 'application/x-www-form-urlencoded'),
        ):
            headers = {'Accept': 'application/json'}
            if content_type is not None:
                headers['Content-Type'] = content_type
            response = requests.post(self.url + path, data=data,
                                     headers=headers,
                                     auth=('cronadmin', PASSWORD))
            self.assertError(response, 415, u'UnsupportedMediaType')
            self.assertEqual(self.snapshot(), before)
        response = requests.patch(
            self.url + u'/' + uid, data=json.dumps({u'name': u'y'}),
            headers={'Accept': 'application/json',
                     'Content-Type': 'text/plain'},
            auth=('cronadmin', PASSWORD))
        self.assertError(response, 415, u'UnsupportedMediaType')
        self.assertEqual(self.snapshot(), before)
        self.assertEqual(self.pending_jobs(), [self.queue.cron_job(uid)])

    def test_without_json_accept_header_no_service_answers(self):
        """The CSRF check is only off for requests that ask for JSON: a
        cross-site form cannot reach the service."""
        before = self.snapshot()
        response = requests.post(
            self.url, auth=('cronadmin', PASSWORD),
            data={u'name': u'x', u'periodicity': u'* * * * *'})
        self.assertNotEqual(response.status_code, 201)
        self.assertEqual(self.snapshot(), before)


#: (method, path, body) of every endpoint; {uid} is an existing or a
#: missing cron
READS = [('GET', u'', None), ('GET', u'{uid}', None),
         ('GET', u'{uid}/logs', None)]
WRITES = [('PATCH', u'', {u'activated': True}),
          ('POST', u'', {u'name': u'x', u'periodicity': u'* * * * *'}),
          ('PATCH', u'{uid}', {u'name': u'changed'}),
          ('POST', u'{uid}/run', None),
          ('DELETE', u'{uid}/logs', None),
          ('DELETE', u'{uid}', None)]


class TestPermissions(RestTestCase):
    """Who may do what; the refused learn nothing about the crons."""

    def setUp(self):
        super(TestPermissions, self).setUp()
        self.uid = self.add(name=runners.WARN)
        self.add_logs(self.uid, OK)

    def requests(self, user, calls, uid):
        for method, path, body in calls:
            yield (method, path), self.call(method, path.format(uid=uid),
                                            user=user, body=body)

    def assertRefused(self, user, calls, status, kind):
        before = self.snapshot()
        answers = {}
        for uid in (self.uid, MISSING_UID):
            for call, response in self.requests(user, calls, uid):
                error = self.assertError(response, status, kind)
                self.assertNotIn(uid, response.text)
                self.assertEqual(set(error), set([u'type', u'message']))
                first = answers.setdefault(call, response.text)
                self.assertEqual(response.text, first,
                                 'existing and missing uids differ')
        self.assertEqual(self.snapshot(), before)

    def assertAllowed(self, user, calls):
        statuses = {}
        for call, response in self.requests(user, calls, self.uid):
            statuses[call] = response.status_code
            self.assertLess(response.status_code, 300, (call, response.text))
        return statuses

    def test_anonymous(self):
        self.assertRefused(None, READS + WRITES, 401, u'Unauthorized')

    def test_member(self):
        self.assertRefused('member', READS + WRITES, 403, u'Forbidden')

    def test_read_only_role(self):
        self.assertAllowed('cronreader', READS)
        self.assertRefused('cronreader', WRITES, 403, u'Forbidden')

    def test_collective_cron_role(self):
        self.check_writer('cronadmin')

    def test_manager(self):
        self.check_writer(SITE_OWNER_NAME)

    def check_writer(self, user):
        self.assertAllowed(user, READS)
        statuses = self.assertAllowed(user, WRITES)
        self.assertEqual(statuses[('POST', u'')], 201)
        for method, path, body in READS[1:] + WRITES[2:]:
            response = self.call(method, path.format(uid=MISSING_UID),
                                 user=user, body=body)
            self.assertError(response, 404, u'NotFound')
            self.assertIn(MISSING_UID, response.json()['error']['message'])

    def test_uid_not_ascii(self):
        error = self.assertError(self.call('GET', u'%C3%A9t%C3%A9'), 404,
                                 u'NotFound')
        self.assertIn(u'\xe9t\xe9', error['message'])

    def test_unknown_path_after_the_permission(self):
        self.assertError(self.call('GET', u'%s/nope' % self.uid, user=None),
                         401, u'Unauthorized')
        self.assertError(self.call('GET', u'%s/nope' % self.uid), 404,
                         u'NotFound')
        self.assertError(self.call('POST', u'%s/logs' % self.uid), 404,
                         u'NotFound')


class TestBadInput(RestTestCase):
    """Each refused input: 400 naming field and value, nothing changed."""

    def setUp(self):
        super(TestBadInput, self).setUp()
        self.uid = self.add(environ={u'keep': True})
        self.add_logs(self.uid, OK, WARN)
        self.other = self.add(name=u'other')
        self.before = self.snapshot()

    def refused(self, method, path, field=None, value=None, **kwargs):
        response = self.call(method, path.format(uid=self.uid), **kwargs)
        error = self.assertError(response, 400, u'BadRequest', field, value)
        self.assertEqual(self.snapshot(), self.before)
        return error

    def bad_fields(self, field, values):
        for value in values:
            body = {u'name': u'x', u'periodicity': u'* * * * *'}
            body[field] = value
            self.refused('POST', u'', field, value, body=body)
            self.refused('PATCH', u'{uid}', field, value,
                         body={field: value})

    def test_malformed_json(self):
        for method, path in (('POST', u''), ('PATCH', u''),
                             ('PATCH', u'{uid}'), ('DELETE', u'{uid}/logs'),
                             ('POST', u'{uid}/run')):
            error = self.refused(method, path, data='{"name": "x",')
            self.assertIn(u'Malformed JSON', error['message'])

    def test_body_not_an_object(self):
        for method, path in (('POST', u''), ('PATCH', u'{uid}')):
            self.refused(method, path, body=[u'name', u'x'])

    def test_unknown_fields(self):
        self.bad_fields(u'colour', [u'blue'])
        self.refused('PATCH', u'', u'name', u'x', body={u'name': u'x'})
        self.refused('POST', u'{uid}/run', u'now', True,
                     body={u'now': True})
        self.refused('DELETE', u'{uid}/logs', u'all', True,
                     body={u'all': True})

    def test_read_only_fields(self):
        self.bad_fields(u'uid', [self.uid])
        self.bad_fields(u'next', [None])

    def test_periodicity(self):
        self.bad_fields(u'periodicity', [
            u'every day', u'0 0 31 2 *', u'* * * * * * *', u'', 5, None])

    def test_never_occurring_periodicity_is_named(self):
        error = self.refused('PATCH', u'{uid}', u'periodicity',
                             u'0 0 31 2 *',
                             body={u'periodicity': u'0 0 31 2 *'})
        self.assertIn(u'never occurs', error['message'])

    def test_environ(self):
        self.bad_fields(u'environ', [u'{"a": 1}', [1, 2], 3, u'x', None])

    def test_logs_limit(self):
        self.bad_fields(u'logs_limit', [0, 26, -1, u'5', 5.5, True, None])

    def test_time_zone_and_misfire_values(self):
        self.bad_fields(u'timezone', [u'Mars/Olympus', 3])
        self.bad_fields(u'misfire', [u'later', 1])
        self.bad_fields(u'misfire_grace', [-1, u'60', 1.5, True])

    def test_name_activated_user(self):
        self.bad_fields(u'name', [u'', u'  ', 3, None])
        self.bad_fields(u'activated', [u'yes', 1, None])
        self.bad_fields(u'user', [u'nobody', 7])

    def test_required_fields(self):
        self.refused('POST', u'', u'name', NO_VALUE,
                     body={u'periodicity': u'* * * * *'})
        self.refused('POST', u'', u'periodicity', NO_VALUE,
                     body={u'name': u'x'})
        self.refused('PATCH', u'', u'activated', NO_VALUE, body={})

    def test_nothing_saved_when_one_field_is_bad(self):
        self.refused('PATCH', u'{uid}', u'logs_limit', 99, body={
            u'name': u'renamed', u'periodicity': u'0 1 * * *',
            u'environ': {}, u'logs_limit': 99})

    def test_switch_value(self):
        self.refused('PATCH', u'', u'activated', u'off',
                     body={u'activated': u'off'})

    def test_delete_logs_selection(self):
        for positions in ([5], [-1], [], u'0', [u'0'], [True]):
            self.refused('DELETE', u'{uid}/logs', u'positions', positions,
                         body={u'positions': positions})
        for before in (u'2008-01-01 00:00', u'soon', 3):
            self.refused('DELETE', u'{uid}/logs', u'before', before,
                         body={u'before': before})
        self.refused('DELETE', u'{uid}/logs', body={
            u'positions': [0], u'before': u'2008-01-01T00:00:00+00:00'})

    def test_unknown_uid(self):
        for method, path, body in READS[1:] + WRITES[2:]:
            response = self.call(method, path.format(uid=MISSING_UID),
                                 body=body)
            self.assertError(response, 404, u'NotFound')
        self.assertEqual(self.snapshot(), self.before)
