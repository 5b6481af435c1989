# -*- coding: utf-8 -*-
"""The @crons services (see docs/rest.rst).

=======  ========================  ===========================  ===========
method   path                      does                         permission
=======  ========================  ===========================  ===========
GET      @crons                    the crontab, batched crons   ccron: View
PATCH    @crons                    the global switch            ccron: Edit
POST     @crons                    add a cron (201)             ccron: Edit
GET      @crons/{uid}              one cron                     ccron: View
PATCH    @crons/{uid}              change a cron                ccron: Edit
DELETE   @crons/{uid}              delete a cron (204)          ccron: Edit
POST     @crons/{uid}/run          queue a run now (202)        ccron: Edit
GET      @crons/{uid}/logs         its logs, newest first       ccron: View
DELETE   @crons/{uid}/logs         all or selected logs (204)   ccron: Edit
=======  ========================  ===========================  ===========

They work through the model (Crontab, Cron) and the cron manager; saving
the crontab or a cron synchronises the queue.
"""
import six
from plone.restapi.batching import HypermediaBatch
from zope.component import getMultiAdapter
from zope.component import queryAdapter

from collective.cron.crontab import Cron
from collective.cron.interfaces import AsyncQueueNotReady
from collective.cron.interfaces import ICronManager
from collective.cron.interfaces import IQueue
from collective.cron.late import silent_since
from collective.cron.restapi.base import UID
from collective.cron.restapi.base import VIEW
from collective.cron.restapi.base import CronService
from collective.cron.restapi.base import ServiceError
from collective.cron.restapi.base import WritingService
from collective.cron.restapi.base import bad_request
from collective.cron.restapi.base import only_fields
from collective.cron.restapi.base import read_body
from collective.cron.restapi.fields import FIELDS
from collective.cron.restapi.fields import READ_ONLY
from collective.cron.restapi.fields import checked_date
from collective.cron.restapi.fields import checked_positions
from collective.cron.restapi.fields import check_run_as
from collective.cron.restapi.fields import checked_settings
from collective.cron.restapi.fields import checked_value
from collective.cron.restapi.fields import cron_json
from collective.cron.restapi.fields import iso
from collective.cron.restapi.fields import log_json
from collective.cron.restapi.fields import new_settings
from collective.cron.reading import read_crontab

BATCH_PARAMETERS = (('b_start', 0), ('b_size', 1))


def checked_batch_parameters(request):
    """b_start and b_size, when given, are whole numbers (b_size >= 1)."""
    for name, smallest in BATCH_PARAMETERS:
        value = request.form.get(name)
        if value is None:
            continue
        if not (isinstance(value, six.string_types) and value.isdigit()
                and int(value) >= smallest):
            raise bad_request(u'%s must be a whole number of at least %s'
                              % (name, smallest), name, value)


class CronsGet(CronService):
    """GET: the crontab, one cron, a cron's logs."""

    permission = VIEW
    routes = {(): 'crontab_json', (UID,): 'one_cron',
              (UID, 'logs'): 'logs'}

    def load_crontab(self):
        return read_crontab(self.context)

    def batch(self, sequence):
        checked_batch_parameters(self.request)
        return HypermediaBatch(self.request, sequence)

    def batched(self, batch, items):
        data = {u'@id': batch.canonical_url, u'items': items,
                u'items_total': batch.items_total}
        links = batch.links
        if links:
            data[u'batching'] = links
        return data

    @property
    def queue(self):
        return queryAdapter(self.context, IQueue)

    def crontab_json(self):
        crontab = self.crontab
        batch = self.batch(list(crontab.crons.values()))
        queue = self.queue
        data = self.batched(batch, [
            cron_json(self.cron_url(cron), cron, queue, crontab.activated)
            for cron in batch])
        data[u'activated'] = crontab.activated
        data[u'invalid_records'] = len(crontab.invalid_records)
        silent, last_poll = silent_since(self.context, queue=queue)
        data[u'worker_silent'] = silent
        data[u'worker_last_poll'] = iso(last_poll)
        return data

    def one_cron(self, cron):
        return cron_json(self.cron_url(cron), cron, self.queue,
                         self.crontab.activated)

    def logs(self, cron):
        batch = self.batch(list(enumerate(cron.logs)))
        return self.batched(batch, [log_json(position, log)
                                    for position, log in batch])


class CronsPatch(WritingService):
    """PATCH: the global switch, or a cron's settings."""

    routes = {(): 'switch', (UID,): 'change'}

    def switch(self):
        data = read_body(self.request)
        only_fields(data, ('activated',))
        if 'activated' not in data:
            raise bad_request(u'Field "activated" is required', 'activated')
        crontab = self.crontab
        crontab.activated = checked_value(self.context, 'activated',
                                          data['activated'])
        crontab.save()
        return self.reply_no_content()

    def change(self, cron):
        data = read_body(self.request)
        only_fields(data, FIELDS, READ_ONLY)
        settings = checked_settings(self.context, data)
        check_run_as(self.context, settings, cron)
        for field, value in settings.items():
            setattr(cron, field, value)
        cron.save()
        return self.reply_no_content()


class CronsPost(WritingService):
    """POST: add a cron, or queue a run of one now."""

    routes = {(): 'add', (UID, 'run'): 'run'}

    def add(self):
        data = read_body(self.request)
        only_fields(data, FIELDS, READ_ONLY)
        cron = Cron(**new_settings(self.context, data))
        self.crontab.add_cron(cron)
        cron.save()
        url = self.cron_url(cron)
        return self.created(url, cron_json(
            url, cron, queryAdapter(self.context, IQueue),
            self.crontab.activated))

    def run(self, cron):
        only_fields(read_body(self.request), ())
        manager = getMultiAdapter((self.context, cron), ICronManager)
        try:
            queued = manager.register_job(force=True)
        except AsyncQueueNotReady as exc:
            raise ServiceError(503, u'ServiceUnavailable', six.text_type(exc))
        if not queued:
            raise ServiceError(409, u'Conflict', u'Cron "%s" was not queued: '
                               u'it or the crontab is deactivated' % cron.uid)
        url = self.cron_url(cron)
        self.request.response.setStatus(202)
        self.request.response.setHeader('Location', url)
        return cron_json(url, cron, manager.queue, self.crontab.activated)


class CronsDelete(WritingService):
    """DELETE: a cron, or its logs (all, or selected)."""

    routes = {(UID,): 'delete', (UID, 'logs'): 'delete_logs'}

    def delete(self, cron):
        only_fields(read_body(self.request), ())
        del self.crontab.crons[cron.uid]
        self.crontab.save()
        return self.reply_no_content()

    def delete_logs(self, cron):
        data = read_body(self.request)
        only_fields(data, ('positions', 'before'))
        selected = log_selector(data, len(cron.logs))
        cron.logs[:] = [log for position, log in enumerate(cron.logs)
                        if not selected(position, log)]
        cron.save()
        return self.reply_no_content()


def log_selector(data, count):
    """(position, log) -> whether DELETE's body selects that log: the logs
    at ``positions`` (0: the newest), those dated ``before`` a date, or
    every log without a body."""
    if 'positions' in data and 'before' in data:
        raise bad_request(u'Give "positions" or "before", not both')
    if 'positions' in data:
        positions = checked_positions(data['positions'], count)
        return lambda position, log: position in positions
    if 'before' in data:
        before = checked_date('before', data['before'])
        return lambda position, log: log.utc_date < before
    return lambda position, log: True
