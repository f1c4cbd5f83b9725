#!/usr/bin/env bash
# Makes sure a MariaDB/MySQL server answers at 127.0.0.1:3306 for the MySQL
# token-store tests: start it if it is installed and stopped, install it if
# it is missing and we are root, otherwise fail with a clear message.
# The tests must fail, never skip, when the database is missing.
set -euo pipefail

host=127.0.0.1
port=3306

reachable() {
  if command -v mariadb-admin >/dev/null 2>&1; then
    mariadb-admin --protocol=tcp -h "$host" -P "$port" -uroot ping >/dev/null 2>&1
  elif command -v mysqladmin >/dev/null 2>&1; then
    mysqladmin --protocol=tcp -h "$host" -P "$port" -uroot ping >/dev/null 2>&1
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

if [ ! -x /usr/sbin/mariadbd ] && [ ! -x /usr/sbin/mysqld ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-mariadb: no MariaDB server at $host:$port and none installed; install mariadb-server (as root: apt-get install mariadb-server) and run again" >&2
    exit 1
  fi
  echo "ensure-mariadb: installing mariadb-server with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq mariadb-server mariadb-client >&2
fi

daemon=/usr/sbin/mariadbd
[ -x "$daemon" ] || daemon=/usr/sbin/mysqld
echo "ensure-mariadb: starting $daemon" >&2
mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
start-stop-daemon --start --oknodo --background --exec "$daemon" -- --user=mysql >&2 || true
if ! wait_up; then
  echo "ensure-mariadb: MariaDB did not come up at $host:$port within 30s" >&2
  exit 1
fi
# A fresh install lets root in only through the unix socket: allow TCP with
# no password, as the tests expect, and make sure database test exists.
if ! mariadb --protocol=tcp -h "$host" -P "$port" -uroot -e "SELECT 1" >/dev/null 2>&1; then
  mariadb -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('')" >&2 || true
fi
mariadb -uroot -e "CREATE DATABASE IF NOT EXISTS test" >/dev/null 2>&1 || true
echo "ensure-mariadb: MariaDB is up at $host:$port" >&2
