# -*- coding: utf-8 -*-
"""``@@cron-schedule?periodicity=<periodicity>[&timezone=<IANA name>]``:
a periodicity in words and its next runs, as JSON, for the add and edit
forms' script (``cronform.js``) that shows them as one types, in the zone
of the form's time zone field (``zone`` is accepted for ``timezone``).

Read only (GET; it writes nothing), ``ccron: View``, never cached. Fields:
``periodicity`` (as received, stripped), ``valid``, ``error`` (why it is
invalid, the model's message; null when valid), ``text`` (the words, in
the request's language: French or English; "" when invalid), ``next``
(the next 5 runs, ISO 8601 with the zone's offset; [] when invalid) and
``zone`` (the zone they are in: ``timezone`` when it names a zone, else
the crontab's, else the server's local zone; the form checks the field).
"""
import json

import six
from Products.Five import BrowserView

from collective.cron.browser.base import server_zone
from collective.cron.crontab import CronFormatError
from collective.cron.crontab import Crontab
from collective.cron.crontab import check_periodicity
from collective.cron.crontab import check_timezone
from collective.cron.interfaces import InvalidCron
from collective.cron.schedule import describe
from collective.cron.schedule import next_runs
from collective.cron.schedule import request_language
from collective.cron.utils import text

#: how many next runs the view lists
COUNT = 5


def schedule_json(periodicity, zone, language):
    """The view's answer (see the module's docstring)."""
    periodicity = periodicity.strip()
    try:
        check_periodicity(periodicity)
    except CronFormatError as error:
        return {'periodicity': periodicity, 'valid': False,
                'error': text(str(error)), 'text': u'', 'next': [],
                'zone': zone or server_zone()[1]}
    runs = next_runs(periodicity, COUNT, zone)
    return {'periodicity': periodicity, 'valid': True, 'error': None,
            'text': describe(periodicity, language),
            'next': [run.isoformat() for run in runs],
            'zone': zone or server_zone()[1]}


def crontab_zone():
    """The crontab's zone (None: the server's local zone), read from the
    registry without loading the crons."""
    return Crontab(read_only=True).manager.timezone or None


class CronScheduleView(BrowserView):
    """``@@cron-schedule`` (permission ``ccron: View``)."""

    def zone(self):
        """The requested zone (``timezone``, else ``zone``) when pytz knows
        it, else the crontab's default (None: the server's local zone)."""
        form = self.request.form
        try:
            zone = check_timezone(form.get('timezone') or form.get('zone'))
        except InvalidCron:
            zone = None
        return zone or crontab_zone()

    def __call__(self):
        response = self.request.response
        response.setHeader('Content-Type', 'application/json; charset=utf-8')
        response.setHeader('Cache-Control', 'no-store')
        periodicity = self.request.form.get('periodicity', u'')
        if not isinstance(periodicity, six.string_types):
            periodicity = u''
        return json.dumps(schedule_json(text(periodicity), self.zone(),
                                        request_language(self.request)),
                          sort_keys=True)
