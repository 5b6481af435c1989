"""Empty the zc.async queue, keeping its annotations (zconsole run).

This is what a lost queue looks like to collective.cron: the marker still
names the sites, the cron jobs are gone. Run it with a configuration that
starts no dispatcher, while no worker runs.
"""
from __future__ import print_function

import transaction
import zc.async.interfaces


def wipe(root):
    connection = root._p_jar.get_connection('async')
    queue = connection.root()[zc.async.interfaces.KEY]['']
    jobs = list(queue)
    for job in jobs:
        queue.remove(job)
    transaction.commit()
    print('removed %s jobs; %s left; annotations kept: %s'
          % (len(jobs), len(queue), sorted(queue.__annotations__.keys())))


wipe(app)  # noqa: F821 (zconsole)
