# Functions the ensure-*.sh scripts share; each sources this file:
#   . "$(dirname "$0")/lib.sh"
# after setting host and port and defining reachable, the check that the
# service answers at host:port.

# script is the calling script's, for its messages: ensure-redis.
script=$(basename "$0" .sh)

# say writes a message of the calling script to stderr.
say() { echo "$script: $*" >&2; }

# port_open reports whether something accepts TCP connections at
# host:port: the check of last resort when the service's own client is not
# installed.
port_open() { (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; }

# wait_up waits up to 30 s for reachable, and fails the script saying that
# the service ($1) did not come up.
wait_up() {
  for _ in $(seq 1 60); do
    reachable && return 0
    sleep 0.5
  done
  say "$1 did not come up at $host:$port within 30s"
  exit 1
}

# apt_install installs packages ($2 and on) with apt-get when the script
# runs as root on a machine that has it; otherwise it fails the script
# saying that the service ($1) is neither answering nor installed.
apt_install() {
  local what=$1
  shift
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    say "no $what at $host:$port and none installed; install $1 (as root: apt-get install $1) and run again"
    exit 1
  fi
  say "installing $1 with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq "$@" >&2
}
