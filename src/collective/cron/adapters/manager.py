# -*- coding: utf-8 -*-
"""2.x's collective.cron.adapters.manager: the cron and crontab managers
and their subscribers (see cronmanager.py, crontabmanager.py, restart.py).
"""
from collective.cron.cronmanager import AsyncManager  # noqa: F401
from collective.cron.cronmanager import CronManager  # noqa: F401
from collective.cron.crontab import runJob  # noqa: F401
from collective.cron.crontabmanager import CrontabManager  # noqa: F401
from collective.cron.crontabmanager import do_synchronize  # noqa: F401
from collective.cron.crontabmanager import do_syncronize_on_mod  # noqa: F401
from collective.cron.restart import server_restart  # noqa: F401
