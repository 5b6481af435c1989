"""docs/images/*.png, taken on the live instance of the browser run before
the tests add their crons: the dashboard with example crons that ran once
(OK, WARN, FAILURE and a deactivated one), the page of the failed one, and
the confirmation page of the dashboard's Delete the selected crons for it
(cancelled). On Plone 6 the same pictures go to
var/browser-instance6/screenshots/ instead, not committed: the docs show
Plone 5.2's."""
from __future__ import print_function

import os

from browser import Dashboard
from instance import ADMIN
from instance import HOME
from instance import PLONE
from instance import ROOT

if PLONE == '5.2':
    OUT = os.path.join(ROOT, 'docs', 'images')
else:
    OUT = os.path.join(HOME, 'screenshots')

#: (name, periodicity, activated, environ): a reindex that succeeds, a
#: call that returns text (a warning), one that raises (a failure) and a
#: deactivated task
EXAMPLES = [
    ('portal_catalog/refreshCatalog', '0 3 * * *', True, u'{}'),
    ('plone_utils/getSiteEncoding', '*/15 * * * *', True,
     u'{"note": "returns text: logged as a warning"}'),
    ('portal_catalog/getrid', '30 * * * *', True, u'{}'),
    ('newsletter.send', '0 8 * * 1', False, u'{"list": "weekly"}'),
]
FAILING = 'portal_catalog/getrid'


def take(url, out=OUT):
    if not os.path.isdir(out):
        os.makedirs(out)
    browser = Dashboard.logged_in(url, ADMIN, width=1280, height=1300)
    try:
        for name, periodicity, activated, environ in EXAMPLES:
            browser.add_cron(name, periodicity, activated, environ)
        for name, periodicity, activated, environ in EXAMPLES:
            if activated:
                browser.open_cron(name)
                browser.run_now()
                browser.wait_for_log()
        browser.open_dashboard()
        browser.screenshot(os.path.join(out, 'dashboard.png'))
        browser.open_cron(FAILING)
        browser.screenshot(os.path.join(out, 'cron.png'))
        browser.open_dashboard()
        browser.click('#cron-table input[name="uids_to_delete"][title="%s"]'
                      % FAILING)
        browser.submit('#cron-delete-selected')
        browser.find('#cron-confirm')
        browser.screenshot(os.path.join(out, 'confirm.png'))
        browser.submit('#cron-cancel')
    finally:
        browser.quit()
