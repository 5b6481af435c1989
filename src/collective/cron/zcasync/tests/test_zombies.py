# -*- coding: utf-8 -*-
"""An interrupted run at a worker's start (collective.cron.tests.
test_zombies) with the zc.async backend: the running mark is kept in the
zc.async queue's annotations, and zc.async calls the job again."""
import transaction
from BTrees.OOBTree import OOBTree

from collective.cron import crontab as model
from collective.cron.tests import runners
from collective.cron.tests.base import utc
from collective.cron.tests.test_zombies import ZombieTestCase
from collective.cron.zcasync import queue as queues


class TestInterruptedRun(ZombieTestCase):

    def mark_running_by_its_job(self, uid):
        """The running mark the cron's job made before its worker died."""
        transaction.begin()
        trees = queues.annotations(self.queue.queue).setdefault(
            queues.RUNNING_KEY, OOBTree())
        tree = trees.setdefault(queues.site_path(self.portal), OOBTree())
        tree[uid] = (self.queue.cron_job(uid), utc(2008, 1, 1, 0, 5))
        transaction.commit()

    def test_an_interrupted_run_runs_again(self):
        """A job whose worker died while it ran is called again by zc.async
        at the start: it is no zombie (its run did not happen)."""
        uid = self.claimed_before_resync(interrupted=True)
        logs = self.wait_logs(uid, 1)
        self.assertEqual(logs[0].status, model.OK)
        self.assertEqual(len(runners.runs()), 1)
