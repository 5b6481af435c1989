# -*- coding: utf-8 -*-
"""The in-process benchmarks (P1, P2, P3, P5, P6, P7, P8), as
zope.testrunner tests.

They run in collective.cron's functional test layer of this Python's job
backend (collective.cron.testing: a Plone site, a real queue and worker --
zc.async's dispatcher on Python 2, Huey's consumer on Python 3 --, the
clock frozen at 2008-01-01 00:00 UTC, so that no job becomes due unless a
benchmark moves the clock). They reach the backend only through IQueue,
except P6, which measures zc.async's own database (Python 2 only). Each
test adds its figures to bench/results.json.tmp (see stats.py); durations
are wall-clock seconds (time.time(), which the fake clock leaves alone).

Run them with ``make bench``; ``make test`` never sees them (it only looks
in src/).
"""
import datetime
import os
import unittest

import six
import transaction
from Acquisition import aq_base
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.testing.zope import Browser
from Products.CMFCore.interfaces import ISiteRoot
from Testing.makerequest import makerequest
from zope.component import getGlobalSiteManager
from zope.component import provideAdapter
from zope.component.hooks import setSite
from zope.globalrequest import setRequest

from collective.cron import crontab as model
from collective.cron.browser.dashboard import BATCH_SIZE
from collective.cron.crontab import Cron
from collective.cron.crontab import Crontab
from collective.cron.interfaces import ICron
from collective.cron.interfaces import IJobRunner
from collective.cron.interfaces import IQueue
from collective.cron.job import run_job
from collective.cron.restapi.testing import Client
from collective.cron.schedule import next_runs
from collective.cron.testing import COLLECTIVE_CRON_FUNCTIONAL_TESTING
from collective.cron.testing import COLLECTIVE_CRON_SERVER_TESTING
from collective.cron.testing import set_now
from collective.cron.testing import wait_for

from cronbench import runners
from cronbench.stats import record
from cronbench.stats import summary
from cronbench.stats import timed

PERIODICITY = u'*/5 * * * *'
SIZES = (10, 100, 1000)
REPEAT = 5
RUNNER_FACTORIES = ((runners.NOOP, runners.NoopRunner),
                    (runners.STAMP, runners.StampRunner))
#: the logs of fill(): when the first logged run began (naive local time),
#: how long each took (the dashboard shows it: "3 s")
LOGGED_RUN = datetime.datetime(2007, 12, 31, 12, 0)
RUN_SECONDS = 3
#: P8: four crons in nine have a zone of their own (the others: the
#: crontab's)
P8_ZONES = (None, u'Europe/Paris', None, u'America/New_York', None,
            u'Asia/Tokyo', None, u'Australia/Sydney', None)


def fill(count, logs=0, crontab=None):
    """``crontab`` (default: the registry's) plus ``count`` activated crons
    with distinct names and ``logs`` logs each (runs of RUN_SECONDS, as
    runs log them now: with their start)."""
    crontab = Crontab.load() if crontab is None else crontab
    start = len(crontab.crons)
    for index in range(start, start + count):
        cron = Cron(name=u'cronbench-%04d' % index, periodicity=PERIODICITY,
                    activated=True, crontab=crontab)
        for number in range(logs):
            began = LOGGED_RUN + datetime.timedelta(minutes=5 * number)
            cron.log(date=began + datetime.timedelta(seconds=RUN_SECONDS),
                     status=model.OK, messages=[u'run %s' % number],
                     start=began)
    return crontab


def varied_periodicity(index):
    """One of ten kinds of periodicity, its numbers taken from ``index``
    (1,000 crons: 455 distinct periodicities)."""
    minute, hour = index % 60, (index // 60) % 24
    kinds = (u'%d * * * *' % minute,
             u'*/%d * * * *' % (index % 29 + 1),
             u'%d %d * * *' % (minute, hour),
             u'%d %d * * %d' % (minute, hour, index % 7),
             u'%d %d %d * *' % (minute, hour, index % 28 + 1),
             u'%d %d 1 %d *' % (minute, hour, index % 12 + 1),
             u'%d */%d * * 1-5' % (minute, index % 6 + 1),
             u'@daily',
             u'@hourly',
             u'0,30 %d-%d * * *' % (hour % 12, hour % 12 + 8))
    return kinds[index % len(kinds)]


def fill_varied(count):
    """The registry's crontab plus ``count`` deactivated crons of varied
    periodicities, four in nine in a zone of their own (P8_ZONES)."""
    crontab = Crontab.load()
    for index in range(count):
        Cron(name=u'cronbench-%04d' % index,
             periodicity=varied_periodicity(index),
             timezone=P8_ZONES[index % len(P8_ZONES)], crontab=crontab)
    return crontab


def saved(count, logs=0):
    """A committed crontab of ``count`` crons (all queued); reloaded."""
    fill(count, logs).save()
    transaction.commit()
    return Crontab.load()


def register_runners():
    for name, factory in RUNNER_FACTORIES:
        provideAdapter(factory, (ISiteRoot, ICron), IJobRunner, name=name)


def unregister_runners():
    registry = getGlobalSiteManager()
    for name, factory in RUNNER_FACTORIES:
        registry.unregisterAdapter(factory, (ISiteRoot, ICron), IJobRunner,
                                   name=name)


class Benchmarks(unittest.TestCase):
    """One test per figure family; each records its figures."""

    layer = COLLECTIVE_CRON_FUNCTIONAL_TESTING

    def setUp(self):
        self.portal = self.layer['portal']
        register_runners()

    def tearDown(self):
        transaction.abort()
        setRequest(self.layer['request'])
        unregister_runners()

    def next_request(self):
        """A new global request, as each save of a site comes in a request
        of its own. plone.registry 3 (Plone 6) keeps the values it read or
        wrote in the global request (request.other), and keeps them across
        transaction.abort(): without this, a repetition would read the
        crontab the aborted one wrote (Plone 5.2 has no such cache)."""
        setRequest(makerequest(aq_base(self.layer['app'])).REQUEST)

    @property
    def queue(self):
        return IQueue(self.portal)

    # P1: saving the whole crontab (and synchronising the queue)

    def first_saves(self, count):
        durations = []
        for _ in range(REPEAT):
            self.next_request()
            crontab = fill(count)
            durations.append(timed(crontab.save)[0])
            self.assertEqual(len(self.queue.cron_uids()), count)
            transaction.abort()
        return durations

    def unchanged_saves(self, count):
        crontab = saved(count)
        jobs = dict((uid, self.queue.cron_job(uid)) for uid in crontab.crons)
        durations = []
        for _ in range(REPEAT):
            self.next_request()
            crontab = Crontab.load()
            durations.append(timed(crontab.save)[0])
            self.assertTrue(all(self.queue.cron_job(uid) is job
                                for uid, job in jobs.items()))
            transaction.abort()
        return durations

    def sync(self, count):
        record('P1 first save N=%s' % count,
               summary(self.first_saves(count), 's', n=count))
        record('P1 unchanged save N=%s' % count,
               summary(self.unchanged_saves(count), 's', n=count))

    def test_p1_sync_0010(self):
        self.sync(10)

    def test_p1_sync_0100(self):
        self.sync(100)

    def test_p1_sync_1000(self):
        self.sync(1000)

    # P2: saving one changed cron

    def one_cron(self, count):
        uid = list(saved(count).crons)[count // 2]
        durations = []
        for rep in range(REPEAT):
            self.next_request()
            cron = Crontab.load().crons[uid]
            before = self.queue.cron_job(uid)
            cron.environ = {u'repetition': rep}
            durations.append(timed(cron.save)[0])
            self.assertIsNot(self.queue.cron_job(uid), before)
            transaction.abort()
        record('P2 one cron save N=%s' % count,
               summary(durations, 's', n=count))

    def test_p2_one_cron_0010(self):
        self.one_cron(10)

    def test_p2_one_cron_0100(self):
        self.one_cron(100)

    def test_p2_one_cron_1000(self):
        self.one_cron(1000)

    # P3: the job wrapper around a runner that does nothing

    def job_site(self):
        """The site as a job sees it: no HTTP request around it."""
        app = aq_base(self.layer['app'])
        site = app.unrestrictedTraverse(self.portal.getId())
        setSite(site)
        return site

    def test_p3_run_overhead(self):
        crontab = fill(99)
        cron = Cron(name=runners.NOOP, periodicity=PERIODICITY,
                    activated=True, crontab=crontab)
        crontab.save()
        transaction.commit()
        site = self.job_site()
        overheads = []
        try:
            for rep in range(REPEAT + 1):
                self.next_request()
                total, result = timed(run_job, site, cron.uid)
                self.assertEqual(result[0], model.OK, result)
                transaction.abort()
                overheads.append(total - runners.LAST_CALL.pop('seconds'))
        finally:
            setSite(self.portal)
        record('P3 run_job overhead N=100',
               summary(overheads[1:], 's', n=100, warmup=overheads[0]))

    # P5: the dashboard (its first page: BATCH_SIZE crons, the batch
    # navigation, and the duplicate-name count over all crons)

    def browser(self):
        browser = Browser(self.layer['app'])
        browser.handleErrors = False
        browser.addHeader('Authorization', 'Basic %s:%s' % (
            SITE_OWNER_NAME, SITE_OWNER_PASSWORD))
        return browser

    def dashboard(self, count):
        saved(count, logs=2)
        url = self.portal.absolute_url() + '/@@cron-settings'
        browser = self.browser()
        durations = []
        shown = min(count, BATCH_SIZE)
        for rep in range(REPEAT + 1):
            durations.append(timed(browser.open, url)[0])
            page = text(browser.contents)
            self.assertIn(u'cronbench-%04d' % (shown - 1), page)
            self.assertNotIn(u'cronbench-%04d' % shown, page)
            self.assertEqual(page.count(u'(Every 5 minutes)'), shown)
            self.assertEqual(page.count(u'>%s s<' % RUN_SECONDS), shown)
        cache = bool(os.environ.get('CHAMELEON_CACHE'))
        record('P5 dashboard N=%s' % count,
               summary(durations[1:], 's', n=count, warmup=durations[0],
                       template_cache=cache))

    def test_p5_dashboard_0100(self):
        self.dashboard(100)

    def test_p5_dashboard_1000(self):
        self.dashboard(1000)

    # P8: the next 5 runs of 1,000 crons

    def test_p8_next_runs_1000(self):
        fill_varied(1000).save()
        transaction.commit()
        crons = Crontab.load().crons.values()
        durations = []
        for rep in range(REPEAT + 1):
            # the memo of next runs (per periodicity, start and zone),
            # emptied so that every repetition computes every run
            model._next_runs.clear()
            seconds, runs = timed(lambda: [next_runs(cron) for cron in crons])
            self.assertEqual([len(found) for found in runs], [5] * 1000)
            self.assertTrue(all(found == sorted(set(found))
                                for found in runs))
            durations.append(seconds)
        record('P8 next 5 runs N=1000',
               summary(durations[1:], 's', n=1000, warmup=durations[0],
                       periodicities=len(set(cron.periodicity
                                             for cron in crons)),
                       zoned=len([cron for cron in crons if cron.timezone])))

    # P6: storage growth

    def test_p6_storage(self):
        # zc.async's databases (Python 2): storage imports zc.async
        from cronbench.storage import FileStorageSite
        site = FileStorageSite(self.layer)
        site.start()
        try:
            self.grow(site)
        finally:
            site.stop()

    def grow(self, site):
        cron = Cron(name=runners.NOOP, periodicity=PERIODICITY,
                    activated=True, crontab=Crontab.load())
        cron.save()
        transaction.commit()
        queue = IQueue(site.portal)
        done = 0
        for target in (100, 1000):
            while done < target:
                run_when_due(queue, cron.uid)
                done += 1
            main_size, async_size = site.packed_sizes()
            # 'async' is a keyword on Python 3: no dict(async=...)
            record('P6 sizes after %s runs' % target, dict(
                {'async': async_size}, main=main_size, runs=target,
                unit='bytes',
                completed=completed_jobs(queue), pending=len(queue.queue),
                logs=len(Crontab.load().crons[cron.uid].logs)))


class RestBenchmarks(unittest.TestCase):
    """P7: the REST API, over HTTP to a real WSGI server."""

    layer = COLLECTIVE_CRON_SERVER_TESTING

    def get_crons(self, path, count, expected, before=None):
        """Durations of REPEAT + 1 GETs of ``path`` (``before`` is called
        before each, untimed)."""
        client = Client(self.layer['portal'])
        durations = []
        for rep in range(REPEAT + 1):
            if before is not None:
                before(rep)
            seconds, response = timed(client.request, 'GET', path)
            self.assertEqual(response.status_code, 200, response.text)
            data = response.json()
            self.assertEqual((data['items_total'], len(data['items'])),
                             (count, expected))
            durations.append(seconds)
        return durations

    def test_p7_rest_crons_1000(self):
        saved(1000, logs=2)
        durations = self.get_crons('@crons', 1000, 25)
        record('P7 REST GET @crons N=1000',
               summary(durations[1:], 's', n=1000, warmup=durations[0]))
        durations = self.get_crons('@crons', 1000, 25, change_one_cron)
        record('P7 REST GET @crons N=1000 after a change',
               summary(durations[1:], 's', n=1000, warmup=durations[0]))
        durations = self.get_crons('@crons?b_size=1000', 1000, 1000)
        record('P7 REST GET @crons?b_size=1000 N=1000',
               summary(durations[1:], 's', n=1000, warmup=durations[0]))


def change_one_cron(rep):
    """Change a cron's environ and commit: the next read of the crontab
    cannot reuse the crontab read before."""
    cron = list(Crontab.load().crons.values())[500]
    cron.environ = {u'repetition': rep}
    cron.save()
    transaction.commit()


def text(contents):
    """The test browser's page as unicode (bytes on Python 2)."""
    if isinstance(contents, six.binary_type):
        return contents.decode('utf-8')
    return contents


def run_when_due(queue, uid, seconds=30):
    """Move the clock to the cron's pending job; wait for its next one."""
    transaction.begin()
    job = queue.cron_job(uid)
    set_now(queue.begins(uid) + datetime.timedelta(seconds=1))

    def requeued():
        transaction.begin()
        return queue.cron_job(uid) is not job and queue.is_pending(uid)
    wait_for(requeued, seconds, 'the next job of %s' % uid)


def completed_jobs(queue):
    """How many completed jobs the queue's agents keep."""
    transaction.begin()
    return sum(len(agent.completed)
               for agents in queue.queue.dispatchers.values()
               for agent in agents.values())
