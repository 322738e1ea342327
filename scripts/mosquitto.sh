#!/usr/bin/env bash
# Starts or stops a Mosquitto broker on 127.0.0.1 with scripts/mosquitto.conf, for live runs
# and tests (install with: apt-get install -y mosquitto).
#
#   scripts/mosquitto.sh start   start and wait until the port accepts connections
#   scripts/mosquitto.sh stop    stop (saving persistent sessions) and wait for the exit
#
# Environment:
#   MOSQUITTO_PORT  listener port (default 1883)
#   MOSQUITTO_HOME  folder for the generated config, the log and the persistence file
#                   (default ~/.cache/harness-mosquitto)
#   MOSQUITTO_KEEP_DATA=1  keep saved sessions on start (a restart test sets this)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
port="${MOSQUITTO_PORT:-1883}"
home="${MOSQUITTO_HOME:-$HOME/.cache/harness-mosquitto}"
data="$home/data-$port"
pid_file="$home/mosquitto-$port.pid"
log_file="$home/mosquitto-$port.log"
config="$home/mosquitto-$port.conf"

binary="$(command -v mosquitto || true)"
[[ -z "$binary" && -x /usr/sbin/mosquitto ]] && binary=/usr/sbin/mosquitto

is_running() {
  [[ -f "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

start() {
  if is_running; then
    echo "mosquitto.sh: already running (pid $(cat "$pid_file"), port $port)" >&2
    return
  fi
  [[ -n "$binary" ]] || { echo "mosquitto.sh: mosquitto not found: apt-get install -y mosquitto" >&2; exit 1; }
  mkdir -p "$home"
  if [[ "${MOSQUITTO_KEEP_DATA:-0}" != "1" ]]; then rm -rf "$data"; fi
  mkdir -p "$data"
  sed -e "s|@PORT@|$port|g" -e "s|@DATA@|$data|g" -e "s|@USER@|$(id -un)|g" \
    "$here/mosquitto.conf" >"$config"
  nohup "$binary" -c "$config" >>"$log_file" 2>&1 &
  echo $! >"$pid_file"
  for _ in $(seq 1 50); do
    if port_open; then
      echo "mosquitto.sh: up on 127.0.0.1:$port (pid $(cat "$pid_file"))" >&2
      return
    fi
    if ! is_running; then
      echo "mosquitto.sh: exited during start; last log lines:" >&2
      tail -n 20 "$log_file" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "mosquitto.sh: port $port not open within 5 s; see $log_file" >&2
  exit 1
}

stop() {
  if ! is_running; then
    echo "mosquitto.sh: not running on port $port" >&2
    rm -f "$pid_file"
    return
  fi
  pid="$(cat "$pid_file")"
  kill "$pid"
  for _ in $(seq 1 100); do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$pid_file"
      echo "mosquitto.sh: stopped (pid $pid)" >&2
      return
    fi
    sleep 0.1
  done
  echo "mosquitto.sh: did not stop within 10 s, killing pid $pid" >&2
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pid_file"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: scripts/mosquitto.sh start|stop" >&2
    exit 2
    ;;
esac
