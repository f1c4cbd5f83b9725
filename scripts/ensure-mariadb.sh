#!/usr/bin/env bash
# Makes sure a MariaDB/MySQL server answers at 127.0.0.1:3306 for the MySQL
# token-store tests: start it if it is installed and stopped, install it if
# it is missing and we are root, otherwise fail with a clear message.
# The tests must fail, never skip, when the database is missing.
set -euo pipefail

host=127.0.0.1
port=3306
. "$(dirname "$0")/lib.sh"

reachable() {
  if command -v mariadb-admin >/dev/null 2>&1; then
    mariadb-admin --protocol=tcp -h "$host" -P "$port" -uroot ping >/dev/null 2>&1
  elif command -v mysqladmin >/dev/null 2>&1; then
    mysqladmin --protocol=tcp -h "$host" -P "$port" -uroot ping >/dev/null 2>&1
  else
    port_open
  fi
}

if reachable; then exit 0; fi

if [ ! -x /usr/sbin/mariadbd ] && [ ! -x /usr/sbin/mysqld ]; then
  apt_install "MariaDB server" mariadb-server mariadb-client
fi

daemon=/usr/sbin/mariadbd
[ -x "$daemon" ] || daemon=/usr/sbin/mysqld
say "starting $daemon"
mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
start-stop-daemon --start --oknodo --background --exec "$daemon" -- --user=mysql >&2 || true
wait_up MariaDB
# A fresh install lets root in only through the unix socket: allow TCP with
# no password, as the tests expect, and make sure database test exists.
if ! mariadb --protocol=tcp -h "$host" -P "$port" -uroot -e "SELECT 1" >/dev/null 2>&1; then
  mariadb -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('')" >&2 || true
fi
mariadb -uroot -e "CREATE DATABASE IF NOT EXISTS test" >/dev/null 2>&1 || true
say "MariaDB is up at $host:$port"
