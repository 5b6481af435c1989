#!/usr/bin/env python3
"""Screenshots of the Cron Dashboard in a real headless Chromium.

Needs Debian's chromium and chromium-driver (apt-get install chromium
chromium-driver) and the site of `make run` up. Logs in through Plone's
login form, adds example crons through the add form when the crontab is
empty and runs them once (so the pages show logs), and writes
docs/images/dashboard.png and docs/images/cron.png.

    python3 scripts/screenshots.py [--url http://localhost:8080/Plone]

Talks to chromedriver over the WebDriver protocol with the standard library
only (no selenium needed).
"""
import argparse
import base64
import json
import os
import socket
import subprocess
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), 'docs', 'images')
CHROME_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
               '--no-first-run', '--disable-background-networking',
               '--disable-component-update', '--disable-sync',
               '--window-size=1280,1300']


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class WebDriver(object):
    """The few WebDriver commands this script needs."""

    def __init__(self, port):
        self.base = 'http://127.0.0.1:%d' % port
        caps = {'capabilities': {'alwaysMatch': {
            'browserName': 'chrome',
            'goog:chromeOptions': {'binary': '/usr/bin/chromium',
                                   'args': CHROME_ARGS}}}}
        self.session = self.call('POST', '/session', caps)['sessionId']

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.base + path, data=data, method=method,
            headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read().decode())['value']

    def command(self, method, path, body=None):
        return self.call(method, '/session/%s%s' % (self.session, path), body)

    def get(self, url):
        self.command('POST', '/url', {'url': url})

    def find(self, css):
        found = self.command('POST', '/element',
                             {'using': 'css selector', 'value': css})
        return list(found.values())[0]

    def type(self, css, text):
        self.command('POST', '/element/%s/value' % self.find(css),
                     {'text': text})

    def click(self, css):
        self.command('POST', '/element/%s/click' % self.find(css), {})

    def clear(self, css):
        self.command('POST', '/element/%s/clear' % self.find(css), {})

    def script(self, source):
        return self.command('POST', '/execute/sync',
                            {'script': source, 'args': []})

    def screenshot(self, path):
        png = base64.b64decode(self.command('GET', '/screenshot'))
        with open(path, 'wb') as handle:
            handle.write(png)
        print('wrote %s' % path)

    def quit(self):
        self.call('DELETE', '/session/%s' % self.session)


def wait_for_driver(port):
    for _ in range(100):
        try:
            urllib.request.urlopen('http://127.0.0.1:%d/status' % port)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError('chromedriver did not start')


def log_in(driver, url, user, password):
    driver.get(url + '/login')
    driver.type('#__ac_name', user)
    driver.type('#__ac_password', password)
    driver.script("document.querySelector('[name=\"buttons.login\"]').click();")
    time.sleep(2)


#: (name, periodicity, activated, environ): a reindex that succeeds, a
#: call that returns text (a warning), one that raises (a failure) and a
#: deactivated task
EXAMPLES = [
    ('portal_catalog/refreshCatalog', '0 3 * * *', True, '{}'),
    ('plone_utils/getSiteEncoding', '*/15 * * * *', True,
     '{"note": "returns text: logged as a warning"}'),
    ('portal_catalog/getrid', '30 * * * *', True, '{}'),
    ('newsletter.send', '0 8 * * 1', False, '{"list": "weekly"}'),
]


def cron_urls(driver):
    return driver.script(
        "return Array.prototype.map.call("
        "document.querySelectorAll('a.cron-link'), function (a) {"
        "return a.href; });")


def fill(driver, css, text):
    driver.clear(css)
    driver.type(css, text)


def add_cron(driver, url, name, periodicity, activated, environ):
    driver.get(url + '/@@cron-settings/add')
    fill(driver, '#form-widgets-name', name)
    fill(driver, '#form-widgets-periodicity', periodicity)
    fill(driver, '#form-widgets-senviron', environ)
    if not activated:
        driver.click('#form-widgets-activated-0')
    driver.click('#form-buttons-add')
    time.sleep(1)


def add_examples(driver, url):
    """Add the example crons and run each activated one once."""
    for example in EXAMPLES:
        add_cron(driver, url, *example)
    driver.get(url + '/@@cron-settings')
    for cron_url in cron_urls(driver):
        driver.get(cron_url)
        driver.script("var b = document.querySelector("
                      "'[name=\"form.button.run\"]'); if (b) b.click();")
        time.sleep(1)
    time.sleep(8)


SCORE = ("return document.querySelectorAll('tr.cron-log').length * 10"
         " + document.querySelectorAll('.cron-log-messages li').length"
         " + document.querySelectorAll('tr.cron-log .cron-status-0').length"
         " * 5;")


def busiest_cron_url(driver, url):
    """The cron page with the most logs and messages (failures first)."""
    driver.get(url + '/@@cron-settings')
    best, most = None, -1
    for cron_url in cron_urls(driver):
        driver.get(cron_url)
        score = driver.script(SCORE)
        if score > most:
            best, most = cron_url, score
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--url', default='http://localhost:8080/Plone')
    parser.add_argument('--user', default=os.environ.get('ADMIN_USER', 'admin'))
    parser.add_argument('--password',
                        default=os.environ.get('ADMIN_PASSWORD', 'admin'))
    args = parser.parse_args()
    os.makedirs(OUT, exist_ok=True)
    port = free_port()
    server = subprocess.Popen(['chromedriver', '--port=%d' % port],
                              stdout=subprocess.DEVNULL)
    try:
        wait_for_driver(port)
        driver = WebDriver(port)
        try:
            log_in(driver, args.url, args.user, args.password)
            driver.get(args.url + '/@@cron-settings')
            if not cron_urls(driver):
                add_examples(driver, args.url)
            cron_url = busiest_cron_url(driver, args.url)
            driver.get(args.url + '/@@cron-settings')
            time.sleep(1)
            driver.screenshot(os.path.join(OUT, 'dashboard.png'))
            if cron_url:
                driver.get(cron_url)
                time.sleep(1)
                driver.screenshot(os.path.join(OUT, 'cron.png'))
        finally:
            driver.quit()
    finally:
        server.terminate()
        server.wait()


if __name__ == '__main__':
    main()
