# -*- coding: utf-8 -*-
"""Viewlet managers where add-ons add their own actions (see
docs/dashboard.rst):

- ``collective.cron.cronactions`` (ICronActions): on a cron's page, in its
  actions area; its viewlets are registered for the view
  ``collective.cron.browser.cronview.CronView``;
- ``collective.cron.cronrowactions`` (ICronRowActions): in each row of the
  dashboard's table; for the view
  ``collective.cron.browser.dashboard.CronDashboard``.

In both, a viewlet finds its cron in ``self.manager.cron``.

The dashboard renders the row manager once per cron (1,000 rows are
usual): whether any viewlet is registered for it is looked up once per
page, and a row of a dashboard without row viewlets renders nothing
without looking for them again.
"""
from Products.Five.viewlet.manager import ViewletManagerBase
from zope.component import getSiteManager
from zope.interface import implementer
from zope.interface import providedBy
from zope.viewlet.interfaces import IViewlet

from collective.cron.interfaces import ICronRowData

#: the attribute of the dashboard view caching whether row viewlets exist
HAS_ROW_VIEWLETS = '_collective_cron_row_viewlets'


def has_viewlets(manager):
    """True when any viewlet is registered for ``manager`` (whatever its
    permission or name)."""
    required = [providedBy(item) for item in (
        manager.context, manager.request, manager.__parent__, manager)]
    return bool(getSiteManager().adapters.lookupAll(required, IViewlet))


class CronActionsManager(ViewletManagerBase):
    """The actions of add-ons on a cron's page; the view is the page."""

    @property
    def cron(self):
        return self.__parent__.cron


@implementer(ICronRowData)
class CronRowActionsManager(CronActionsManager):
    """The actions of add-ons in a row of the dashboard; ``row`` is set
    from the template's variable ``row`` (ICronRowData)."""

    row = None
    viewlets = ()

    @property
    def cron(self):
        return self.__parent__.crontab.crons.get(self.row['uid'])

    def rows_have_viewlets(self):
        """Asked once per dashboard: the answer is kept on the view."""
        view = self.__parent__
        found = view.__dict__.get(HAS_ROW_VIEWLETS)
        if found is None:
            found = has_viewlets(self)
            setattr(view, HAS_ROW_VIEWLETS, found)
        return found

    def update(self):
        if self.row is not None and self.rows_have_viewlets():
            super(CronRowActionsManager, self).update()
