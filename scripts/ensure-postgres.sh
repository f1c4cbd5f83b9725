#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers at 127.0.0.1:5432 for the mirror
# tests (user postgres, no password): start it if it is installed and
# stopped, install it if it is missing and we are root, otherwise fail with
# a clear message. The tests must fail, never skip, when the database is
# missing.
set -euo pipefail

host=127.0.0.1
port=5432
. "$(dirname "$0")/lib.sh"

reachable() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$host" -p "$port" >/dev/null 2>&1
  else
    port_open
  fi
}

installed() { compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; }

if ! reachable; then
  if ! installed; then
    apt_install "PostgreSQL server" postgresql
  fi
  say "starting PostgreSQL"
  if command -v pg_lsclusters >/dev/null 2>&1 && command -v pg_ctlcluster >/dev/null 2>&1; then
    # Debian's clusters: start every one that is down.
    pg_lsclusters --no-header | while read -r version cluster _ status _; do
      if [ "$status" != "online" ]; then
        pg_ctlcluster "$version" "$cluster" start >&2 || true
      fi
    done
  else
    service postgresql start >&2 || true
  fi
  wait_up PostgreSQL
fi

# The tests connect over TCP as postgres without a password. A fresh
# install asks for one: trust local TCP connections, as the tests expect.
if ! psql -h "$host" -p "$port" -U postgres -w -d postgres -Atc "SELECT 1" >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v pg_lsclusters >/dev/null 2>&1; then
    for hba in /etc/postgresql/*/*/pg_hba.conf; do
      grep -q "^host all postgres 127.0.0.1/32 trust" "$hba" || sed -i "1i host all postgres 127.0.0.1/32 trust" "$hba"
    done
    pg_lsclusters --no-header | while read -r version cluster _; do
      pg_ctlcluster "$version" "$cluster" reload >&2 || true
    done
  fi
  if ! psql -h "$host" -p "$port" -U postgres -w -d postgres -Atc "SELECT 1" >/dev/null 2>&1; then
    say "PostgreSQL at $host:$port refuses user postgres without a password; allow it in pg_hba.conf (host all postgres 127.0.0.1/32 trust) or set ZOHOHUB_POSTGRES_DSN"
    exit 1
  fi
fi
say "PostgreSQL is up at $host:$port"
