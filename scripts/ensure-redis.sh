#!/usr/bin/env bash
# Makes sure a Redis server answers at 127.0.0.1:6379 for the org-wide
# limiter tests (limiter/redislimit): start it if it is installed and
# stopped, install it if it is missing and we are root, otherwise fail with
# a clear message. The tests must fail, never skip, when Redis is missing.
set -euo pipefail

host=127.0.0.1
port=6379

reachable() {
  if command -v redis-cli >/dev/null 2>&1; then
    [ "$(redis-cli -h "$host" -p "$port" ping 2>/dev/null)" = "PONG" ]
  else
    (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
  fi
}

wait_up() {
  for _ in $(seq 1 60); do
    reachable && return 0
    sleep 0.5
  done
  return 1
}

if reachable; then exit 0; fi

if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-redis: no Redis at $host:$port and none installed; install redis-server (as root: apt-get install redis-server) and run again" >&2
    exit 1
  fi
  echo "ensure-redis: installing redis-server with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq redis-server >&2
fi

echo "ensure-redis: starting redis-server" >&2
redis-server --bind "$host" --port "$port" --daemonize yes --save '' --appendonly no >&2
if ! wait_up; then
  echo "ensure-redis: Redis did not come up at $host:$port within 30s" >&2
  exit 1
fi
echo "ensure-redis: Redis is up at $host:$port" >&2
