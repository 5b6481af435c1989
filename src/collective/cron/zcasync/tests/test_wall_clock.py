# -*- coding: utf-8 -*-
"""A local wall clock behind the instant, which only zc.async's time
machine can show (its naive ``now()`` is the wall time of the zone it was
set in; the Huey backend's clock always derives the local time from the
instant)."""
import datetime
import time

import pytz
import zc.async.testing

from collective.cron.tests.base import QueueTestCase


class TestWallClockBehind(QueueTestCase):

    def test_a_job_is_never_queued_in_the_past(self):
        """When the local wall clock is behind the instant (the repeated
        hour of a DST change), the job still begins after the instant."""
        local_offset = -time.timezone // 60
        behind = pytz.FixedOffset(local_offset - 60)
        zc.async.testing.set_now(datetime.datetime(2008, 1, 1, 0, 1,
                                                   tzinfo=behind))
        current = datetime.datetime.now(pytz.UTC)
        uid = self.add(periodicity=u'*/1 * * * *')
        self.assertLessEqual(self.cron(uid).next, current)
        self.assertEqual(self.queue.begins(uid),
                         current.replace(second=0) +
                         datetime.timedelta(minutes=1))
