# -*- coding: utf-8 -*-
"""The demo task of ``make run``'s site (registered by demo.zcml, which only
that instance's configuration includes): it logs OK and changes nothing."""
from collective.cron.crontab import Runner

#: the name of the demo cron (and of its runner)
DEMO = u'collective.cron.demo'


class DemoRunner(Runner):
    """Reads the site as the cron's user; an OK log shows that it ran."""

    def run(self):
        self.context.objectIds()
