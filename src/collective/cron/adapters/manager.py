# -*- coding: utf-8 -*-
"""2.x's collective.cron.adapters.manager: the cron and crontab managers
and their subscribers (see cronmanager.py, crontabmanager.py, restart.py).
"""
from collective.cron.cronmanager import AsyncManager
from collective.cron.cronmanager import CronManager
from collective.cron.crontab import runJob
from collective.cron.crontabmanager import CrontabManager
from collective.cron.crontabmanager import do_synchronize
from collective.cron.crontabmanager import do_syncronize_on_mod
from collective.cron.restart import server_restart

__all__ = ['AsyncManager', 'CronManager', 'CrontabManager', 'do_synchronize',
           'do_syncronize_on_mod', 'runJob', 'server_restart']
