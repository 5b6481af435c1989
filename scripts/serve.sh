#!/bin/bash
# Start the development instance (worker + HTTP), after creating its site.
#   scripts/serve.sh INSTANCE [BIN [REDIS_PORT]]
# BIN: the environment's bin/ (.venv/bin); REDIS_PORT (make run PLONE=6
# REDIS=1): first start a Redis server of our own on that port for Huey's
# task store (scripts/run-redis), stopped with Zope.
set -e
instance=$1
bin=${2:-$(dirname "$0")/../.venv/bin}
redis_port=${3:-}
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ -n "$redis_port" ] && listening "$redis_port"; then
    cat >&2 <<MSG
REDIS_PORT=$redis_port: something already listens on 127.0.0.1:$redis_port
(a Redis server of the system?). Stop it, choose another port (make run
PLONE=6 REDIS=1 REDIS_PORT=6380), or use that server: make run PLONE=6
REDIS_URL=redis://127.0.0.1:$redis_port/0
MSG
    exit 1
fi
if [ -n "$redis_port" ]; then
    # its own session: Ctrl-C stops Zope first, then the EXIT trap Redis
    setsid "$(dirname "$0")/run-redis" "$instance/var/redis" "$redis_port" &
    redis=$!
    trap 'kill $redis 2>/dev/null; wait $redis 2>/dev/null' EXIT
    until listening "$redis_port"; do
        kill -0 $redis 2>/dev/null || { wait $redis; exit 1; }
        sleep 0.1
    done
    echo "Redis server on 127.0.0.1:$redis_port (data in $instance/var/redis)"
fi
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
if [ -n "$redis_port" ]; then
    "$bin/runwsgi" "$instance/etc/zope.ini"
else
    exec "$bin/runwsgi" "$instance/etc/zope.ini"
fi
