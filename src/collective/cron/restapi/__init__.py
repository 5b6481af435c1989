# -*- coding: utf-8 -*-
"""The REST API of collective.cron (plone.restapi services, ``@crons``)."""
