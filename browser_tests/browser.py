"""Headless Chromium driven by Selenium through Debian's
/usr/bin/chromedriver (Selenium 3.141, the last release for Python 2.7, on
Plone 5.2; Selenium 4 on Python 3), and the few steps every test and the
screenshots share: log in through Plone's login form, wait for a page,
click, fill a field."""
from __future__ import print_function

import io
import os

import selenium
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.common.exceptions import TimeoutException
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from instance import HOME

CHROMEDRIVER = '/usr/bin/chromedriver'
CHROMIUM = '/usr/bin/chromium'
WAIT = 20
#: where a failed wait leaves the page it saw (screenshot and HTML)
FAILURES = os.path.join(HOME, 'failures')
#: Run now: queued, the worker polls every second, the run is quick
RUN_TIMEOUT = 30


def new_driver(language='en-US', width=1280, height=1000):
    """A headless Chromium whose requests say Accept-Language: language."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ('--headless', '--no-sandbox', '--disable-gpu',
                     '--disable-dev-shm-usage', '--no-first-run',
                     '--disable-background-networking', '--disable-sync',
                     '--disable-component-update', '--lang=' + language,
                     '--window-size=%d,%d' % (width, height)):
        options.add_argument(argument)
    options.add_experimental_option(
        'prefs', {'intl.accept_languages': language})
    driver = chrome(options)
    driver.set_page_load_timeout(60)
    return driver


def chrome(options):
    """Chromium through CHROMEDRIVER: Selenium 3.141 takes the driver's
    path as executable_path, Selenium 4 in a Service (without one it would
    look for a driver of its own)."""
    if selenium.__version__.startswith('3.'):
        return webdriver.Chrome(executable_path=CHROMEDRIVER,
                                options=options)
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER),
                            options=options)


def replaced(element):
    """A wait condition: ``element``'s page was replaced. Chromium may
    report an element of a replaced page as not belonging to the document
    instead of as stale (seen with chromedriver 156): both mean gone."""
    def condition(driver):
        try:
            element.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:
            if 'does not belong to the document' in str(exc):
                return True
            raise
        return False
    return condition


class Browser(object):
    """One driver on the site at ``url``."""

    def __init__(self, url, language='en-US', width=1280, height=1000):
        self.url = url
        self.driver = new_driver(language, width, height)

    def quit(self):
        self.driver.quit()

    def wait(self, condition, timeout=WAIT):
        try:
            return WebDriverWait(self.driver, timeout).until(condition)
        except TimeoutException:
            raise TimeoutException('waited %s s on %s (%s)' % (
                timeout, self.driver.current_url, self.keep_page()))

    def keep_page(self):
        """Save the page's screenshot and HTML in FAILURES; the path."""
        if not os.path.isdir(FAILURES):
            os.makedirs(FAILURES)
        path = os.path.join(FAILURES, 'page-%d' % len(os.listdir(FAILURES)))
        self.driver.save_screenshot(path + '.png')
        with io.open(path + '.html', 'w', encoding='utf-8') as handle:
            handle.write(self.driver.page_source)
        return path + '.png/.html'

    def open(self, path=''):
        self.driver.get(self.url + path)

    def find(self, css, timeout=WAIT):
        """The element, once it is in the page."""
        return self.wait(EC.presence_of_element_located((By.CSS_SELECTOR,
                                                         css)), timeout)

    def find_all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def present(self, css):
        return bool(self.find_all(css))

    def text(self, css):
        return self.find(css).text

    def click(self, css):
        """Click, once visible and enabled."""
        self.click_element(self.wait(EC.element_to_be_clickable(
            (By.CSS_SELECTOR, css))))

    def click_element(self, element):
        """Click, scrolled into view first, at once: chromedriver scrolls
        with the page's scroll-behavior, and Plone 6's Bootstrap makes it
        smooth, so its click would land while the page still scrolls, on
        another element."""
        self.script("arguments[0].scrollIntoView("
                    "{block: 'center', behavior: 'instant'});", element)
        element.click()

    def submit(self, css):
        """Click a button that loads a new page, and wait for it."""
        html = self.driver.find_element(By.TAG_NAME, 'html')
        self.click(css)
        self.wait(replaced(html))

    def fill(self, css, text):
        field = self.find(css)
        field.clear()
        field.send_keys(text)

    def wait_text(self, css, text, timeout=WAIT):
        """Wait until the element's text contains ``text``."""
        self.wait(EC.text_to_be_present_in_element((By.CSS_SELECTOR, css),
                                                   text), timeout)

    def messages(self):
        return [m.text for m in self.find_all('.portalMessage')]

    def log_in(self, user, password):
        """Through Plone's login form (the @@login page)."""
        self.open('/login')
        self.fill('#__ac_name', user)
        self.fill('#__ac_password', password)
        self.submit('[name="buttons.login"]')
        self.find('#personaltools-logout')  # only shown once logged in

    def script(self, source, *args):
        return self.driver.execute_script(source, *args)

    def screenshot(self, path):
        self.driver.save_screenshot(path)
        print('wrote %s' % path)


class Dashboard(Browser):
    """The Cron Dashboard's pages, as a user sees them."""

    DASHBOARD = '/@@cron-settings'

    def open_dashboard(self):
        self.open(self.DASHBOARD)
        self.find('#cron-crontab-preferences')

    def cron_links(self):
        return [(a.text, a.get_attribute('href'))
                for a in self.find_all('#cron-table a.cron-link')]

    def cron_names(self):
        self.open_dashboard()
        return [text for text, url in self.cron_links()]

    def row(self, name):
        """The dashboard's row of the cron ``name``, the dashboard open."""
        rows = [tr for tr in self.find_all('#cron-table tbody tr')
                if tr.find_element(By.CSS_SELECTOR, 'a.cron-link').text == name]
        if len(rows) != 1:
            raise AssertionError('%d crons named %r on the dashboard'
                                 % (len(rows), name))
        return rows[0]

    def row_text(self, name):
        self.open_dashboard()
        return self.row(name).text

    def row_button(self, name, button):
        """A CSS selector for the button named ``button`` (cron_run, ...) in
        the row of the cron ``name``; opens the dashboard."""
        self.open_dashboard()
        uid = self.row(name).find_element(
            By.CSS_SELECTOR, 'input[name="uids_to_delete"]').get_attribute('value')
        return '#cron-table button[name="%s"][value="%s"]' % (button, uid)

    def cron_url(self, name):
        """The page of the cron ``name`` (the tests give crons distinct
        names), from the dashboard's table."""
        self.open_dashboard()
        urls = [url for text, url in self.cron_links() if text == name]
        if len(urls) != 1:
            raise AssertionError('%d crons named %r on the dashboard'
                                 % (len(urls), name))
        return urls[0]

    def open_cron(self, name):
        self.driver.get(self.cron_url(name))
        self.find('#cron-settings')

    def add_cron(self, name, periodicity, activated=True, environ=u'{}'):
        """Through the add form; back on the dashboard afterwards."""
        self.open(self.DASHBOARD + '/add')
        self.fill('#form-widgets-name', name)
        self.fill('#form-widgets-periodicity', periodicity)
        self.fill('#form-widgets-senviron', environ)
        checkbox = self.find('#form-widgets-activated-0')
        if checkbox.is_selected() != activated:
            checkbox.click()
        self.submit('#form-buttons-add')
        self.find('#cron-table')

    @classmethod
    def logged_in(cls, url, user, language='en-US', width=1280,
                  height=1000):
        """A new browser, logged in as ``user`` (login, password); quit
        again if the login fails."""
        browser = cls(url, language, width, height)
        try:
            browser.log_in(*user)
        except Exception:  # quit the browser, then fail as the login did
            browser.quit()
            raise
        return browser

    def run_now(self):
        """Click Run now on the open cron page."""
        self.submit('#cron_action_form [name="form.button.run"]')
        self.find('#cron-settings')

    def wait_for_log(self, timeout=RUN_TIMEOUT):
        """Reload the open cron page until it shows a log."""
        url = self.driver.current_url

        def logged(driver):
            driver.get(url)
            return driver.find_elements(By.CSS_SELECTOR, 'tr.cron-log')
        WebDriverWait(self.driver, timeout, 1).until(logged)
