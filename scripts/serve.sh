#!/bin/bash
# Start the development instance (worker + HTTP), after creating its site.
set -e
instance=$1
bin=$(dirname "$0")/../.venv/bin
"$bin/zconsole" run "$instance/setup/etc/zope.conf" "$(dirname "$0")/create_site.py"
cat <<MSG

  collective.cron is running on http://localhost:${PORT:-8080}/${SITE_ID:-Plone}
  Cron Dashboard:  http://localhost:${PORT:-8080}/${SITE_ID:-Plone}/@@cron-settings
  Log in as ${ADMIN_USER:-admin} / ${ADMIN_PASSWORD:-admin}   (Ctrl-C stops it)

MSG
exec "$bin/runwsgi" "$instance/etc/zope.ini"
