# -*- coding: utf-8 -*-
"""The job backend of this Python: zc.async on Python 2, Huey on 3 (as
collective.cron's own configure.zcml chooses)."""
import sys

if sys.version_info[0] == 2:
    from cronrel.backend_zcasync import JobReader  # noqa: F401
    from cronrel.backend_zcasync import current_run  # noqa: F401
    from cronrel.backend_zcasync import queue_state  # noqa: F401
else:
    from cronrel.backend_huey import JobReader  # noqa: F401
    from cronrel.backend_huey import current_run  # noqa: F401
    from cronrel.backend_huey import queue_state  # noqa: F401
