#!/bin/bash
# Start the development instance (worker + HTTP), after creating its site.
#   scripts/serve.sh INSTANCE [BIN]   (BIN: the environment's bin/, .venv/bin)
set -e
instance=$1
bin=${2:-$(dirname "$0")/../.venv/bin}
"$bin/zconsole" run "$instance/setup/etc/zope.conf" "$(dirname "$0")/create_site.py"
# The URL to open: "localhost" for the loopback and wildcard addresses.
# Plone serves 127.0.0.1 unthemed on purpose (Site Setup > Theming >
# Advanced settings > Unthemed host names), localhost themed.
case "${HOST:-127.0.0.1}" in
  127.0.0.1|0.0.0.0|localhost|::|::1|'*') host=localhost ;;
  *:*) host="[${HOST}]" ;;
  *) host=$HOST ;;
esac
url="http://${host}:${PORT:-8080}/${SITE_ID:-Plone}"
cat <<MSG

  collective.cron is running on ${url}
  Cron Dashboard:  ${url}/@@cron-settings
  Log in as ${ADMIN_USER:-admin} / ${ADMIN_PASSWORD:-admin}   (Ctrl-C stops it)
  (http://127.0.0.1:${PORT:-8080}/... shows the same site without its theme:
  Plone does not theme the host name 127.0.0.1.)

MSG
exec "$bin/runwsgi" "$instance/etc/zope.ini"
