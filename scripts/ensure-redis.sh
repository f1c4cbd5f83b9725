#!/usr/bin/env bash
# Makes sure a Redis server answers at 127.0.0.1:6379 for the org-wide
# limiter tests (limiter/redislimit): start it if it is installed and
# stopped, install it if it is missing and we are root, otherwise fail with
# a clear message. The tests must fail, never skip, when Redis is missing.
set -euo pipefail

host=127.0.0.1
port=6379
. "$(dirname "$0")/lib.sh"

reachable() {
  if command -v redis-cli >/dev/null 2>&1; then
    [ "$(redis-cli -h "$host" -p "$port" ping 2>/dev/null)" = "PONG" ]
  else
    port_open
  fi
}

if reachable; then exit 0; fi

if ! command -v redis-server >/dev/null 2>&1; then
  apt_install Redis redis-server
fi

say "starting redis-server"
redis-server --bind "$host" --port "$port" --daemonize yes --save '' --appendonly no >&2
wait_up Redis
say "Redis is up at $host:$port"
