#!/usr/bin/env bash
# A project-local PostgreSQL for development and tests.
#   scripts/db.sh start   initialise on first use, start, create the database
#   scripts/db.sh stop
#   scripts/db.sh status
# Data lives in .pgdata/ (ignored by git). The server listens on 127.0.0.1
# only, on $PGPORT (default 54329, so it never collides with a system
# server on 5432), and trusts local connections: it is for development.
# It keeps PostgreSQL's durability defaults (fsync, synchronous_commit,
# full_page_writes): what `make run` acknowledges survives a crash. Tests
# skip waiting for the disk on their own connections (portal/settings_test.py).
set -euo pipefail
cd "$(dirname "$0")/.."
project=$(pwd)

port=${PGPORT:-54329}
dbname=${PGDATABASE_NAME:-portal}

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pgbin" ] && command -v pg_ctl >/dev/null 2>&1; then
  pgbin=$(dirname "$(command -v pg_ctl)")
fi
if [ -z "$pgbin" ]; then
  echo "PostgreSQL server binaries not found; run scripts/system-deps.sh as root." >&2
  exit 1
fi

# PostgreSQL refuses to run as root: as root, run it as the postgres user.
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  as_pg=(runuser -u postgres --)
fi

datadir=$project/.pgdata
if [ ${#as_pg[@]} -gt 0 ] && [ ! -e "$datadir" ]; then
  # The postgres user may not be able to reach the project (say under /root,
  # mode 700): keep the data elsewhere and leave a symlink in the project.
  if ! "${as_pg[@]}" test -x "$project"; then
    fallback=/var/tmp/portal-pgdata-$(printf '%s' "$project" | md5sum | cut -c1-12)
    mkdir -p "$fallback"
    chown postgres: "$fallback"
    ln -s "$fallback" "$datadir"
  fi
fi
data=$(readlink -f "$datadir")

# From /, so that the postgres user never has to enter the project.
pg() { (cd / && "${as_pg[@]}" "$@"); }
ready() { "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$port"; }
# Our server runs when postmaster.pid names a live process and this port
# (line 1 is the PID, line 4 the port).
ours() {
  [ -f "$data/postmaster.pid" ] || return 1
  local pid pidport
  pid=$(sed -n 1p "$data/postmaster.pid")
  pidport=$(sed -n 4p "$data/postmaster.pid")
  [ "$pidport" = "$port" ] && kill -0 "$pid" 2>/dev/null
}

case "${1:-start}" in
start)
  if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$data"
    [ ${#as_pg[@]} -gt 0 ] && chown postgres: "$data"
    chmod 700 "$data"
    echo "Initialising PostgreSQL in $data"
    pg "$pgbin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat <<CONF | pg tee -a "$data/postgresql.conf" >/dev/null
# Project-local development server (scripts/db.sh)
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
CONF
  fi
  # Clusters made by earlier versions of this script traded durability for
  # speed: give them PostgreSQL's defaults back (a reload applies them).
  durability_off='^(fsync|synchronous_commit|full_page_writes) = off$'
  reload=
  if grep -qE "$durability_off" "$data/postgresql.conf"; then
    pg sed -i -E "/$durability_off/d; /^# A throw-away server: speed over durability\.$/d" \
      "$data/postgresql.conf"
    reload=1
  fi
  if ready; then
    # Something answers on the port: go on only if it is our own server.
    if ! ours; then
      echo "Port $port is taken by another PostgreSQL; set PGPORT to a free port." >&2
      exit 1
    fi
    if [ -n "$reload" ]; then
      pg "$pgbin/pg_ctl" reload -D "$data" >/dev/null
    fi
  else
    # A killed server can leave a stale pid file behind; pg_ctl copes.
    pg "$pgbin/pg_ctl" start -w -t 60 -D "$data" -l "$data/server.log" -o "-p $port" >/dev/null \
      || { tail -n 5 "$data/server.log" >&2; exit 1; }
  fi
  exists=$("$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$dbname'")
  if [ "$exists" != 1 ]; then
    "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$dbname"
  fi
  ;;
stop)
  if [ -f "$data/postmaster.pid" ]; then
    pg "$pgbin/pg_ctl" stop -D "$data" -m fast >/dev/null && echo "PostgreSQL stopped."
  else
    echo "PostgreSQL is not running."
  fi
  ;;
status)
  if ready; then echo "PostgreSQL is accepting connections on 127.0.0.1:$port"; else echo "PostgreSQL is not running."; exit 3; fi
  ;;
*)
  echo "usage: $0 start|stop|status" >&2
  exit 2
  ;;
esac
