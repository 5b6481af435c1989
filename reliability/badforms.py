# -*- coding: utf-8 -*-
"""R5 over HTTP: malformed posts to the Cron Dashboard's add and edit
forms (@@cron-settings/add, @@cron-settings/<uid>/edit)."""
import re

import procs

ERROR = re.compile(r'class="[^"]*\berror\b[^"]*"[^>]*>\s*([^<]{3,200}?)\s*<',
                   re.S)
GOOD = {'name': 'rel-record', 'periodicity': '0 0 1 1 *', 'user': '',
        'logs_limit': '5', 'senviron': '{}'}
ADD_CASES = [
    ('form: periodicity minute 61', {'periodicity': '61 * * * *'}),
    ('form: periodicity empty', {'periodicity': ''}),
    ('form: periodicity with 6 fields', {'periodicity': '* * * * * *'}),
    ('form: environ not JSON', {'senviron': '{bad'}),
    ('form: environ a JSON list', {'senviron': '[1]'}),
    ('form: logs_limit 0', {'logs_limit': '0'}),
    ('form: logs_limit text', {'logs_limit': 'abc'}),
    ('form: name empty', {'name': ''}),
    ('form: unknown user', {'user': 'no-such-user'}),
]


def form_data(values, token, button='add'):
    data = dict(('form.widgets.' + key, value)
                for key, value in dict(GOOD, **values).items())
    data['form.widgets.activated'] = 'selected'
    data['form.widgets.activated-empty-marker'] = '1'
    data['form.buttons.' + button] = button.capitalize()
    if token is not None:
        data['_authenticator'] = token
    return data


def error_text(status, body):
    found = [text.strip() for text in ERROR.findall(body)
             if text.strip() and 'rror' not in text[:8]]
    return found[0] if found else 'HTTP %s' % status


def cron_count(suite, site):
    return len(suite.state(site)['crons'])


def post(suite, site, path, values, token, button='add'):
    """One post: its case result, checking nothing was added."""
    before = cron_count(suite, site)
    status, body, location = procs.post_form(
        '%s/@@cron-settings/%s' % (suite.site_url(site), path),
        form_data(values, token, button))
    unchanged = cron_count(suite, site) == before
    refused = unchanged and location is None and status in (200, 403, 404)
    return refused, error_text(status, body), unchanged


def case(name, refused, text, intact):
    return {'case': name, 'entry': 'dashboard form (HTTP POST)',
            'result': 'refused' if refused else 'ACCEPTED',
            'message': text, 'others_intact': intact}


def form_cases(suite, site):
    token = procs.get_json(suite.site_url(site) + '/@@rel-token')['token']
    results = [case(name, *post(suite, site, 'add', values, token))
               for name, values in ADD_CASES]
    results.append(case('form: valid post without the CSRF token',
                        *post(suite, site, 'add', {}, None)))
    results.append(case('form: edit of an unknown cron uid',
                        *post(suite, site, 'no-such-uid/edit', {}, token,
                              'apply')))
    uid = suite.state(site)['crons'][0]['uid']
    results.append(case('form: edit with periodicity "never"',
                        *post(suite, site, uid + '/edit',
                              {'periodicity': 'never'}, token, 'apply')))
    return results
