# -*- coding: utf-8 -*-
"""collective.cron 2.x's module paths, kept for add-ons written for 2.x.

Each module re-exports the components that now live elsewhere in the
package under their 2.x names; nothing here is registered a second time
(the components are registered where they are defined).
"""
