#!/usr/bin/env bash
# Starts or stops a single-node Kafka broker (KRaft mode, no ZooKeeper) on 127.0.0.1 for live
# runs and tests. The broker's jars come from Maven Central through Maven (scripts/kafka/pom.xml
# pins the version) and run on the machine's JDK (17 or later).
#
#   scripts/kafka.sh start   fetch jars if needed, format storage, start, wait for the port
#   scripts/kafka.sh stop    stop the broker and wait for it to exit
#
# Environment:
#   KAFKA_PORT   client port (default 9092); the KRaft controller uses KAFKA_PORT + 1
#   KAFKA_HOME   cache folder for jars, config, logs and data (default ~/.cache/harness-kafka)
#   KAFKA_KEEP_DATA=1  keep the data folder on start (a restart keeps topics and offsets)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
port="${KAFKA_PORT:-9092}"
controller_port="$((port + 1))"
home="${KAFKA_HOME:-$HOME/.cache/harness-kafka}"
lib="$home/lib"
data="$home/data-$port"
pid_file="$home/broker-$port.pid"
log_file="$home/broker-$port.log"
config="$home/server-$port.properties"

fetch_jars() {
  if [[ -f "$lib/.complete" ]]; then return; fi
  echo "kafka.sh: fetching broker jars from Maven Central into $lib" >&2
  mkdir -p "$lib"
  mvn -B -q -f "$here/kafka/pom.xml" dependency:copy-dependencies -DoutputDirectory="$lib"
  touch "$lib/.complete"
}

write_config() {
  cat >"$config" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
# Lets tests use a session timeout of a few seconds (the default minimum is 6 s).
group.min.session.timeout.ms=1000
auto.create.topics.enable=false
delete.topic.enable=true
PROPERTIES
  cat >"$home/log4j.properties" <<PROPERTIES
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
PROPERTIES
}

java_run() {
  java -Xms256m -Xmx512m -Dlog4j.configuration="file:$home/log4j.properties" \
    -cp "$lib/*" "$@"
}

is_running() {
  [[ -f "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

start() {
  if is_running; then
    echo "kafka.sh: broker already running (pid $(cat "$pid_file"), port $port)" >&2
    return
  fi
  command -v java >/dev/null || { echo "kafka.sh: java not found: install a JDK 17+" >&2; exit 1; }
  command -v mvn >/dev/null || { echo "kafka.sh: mvn not found: install maven" >&2; exit 1; }
  mkdir -p "$home"
  fetch_jars
  write_config
  if [[ "${KAFKA_KEEP_DATA:-0}" != "1" || ! -f "$data/meta.properties" ]]; then
    rm -rf "$data"
    cluster_id="$(java_run kafka.tools.StorageTool random-uuid)"
    java_run kafka.tools.StorageTool format -t "$cluster_id" -c "$config" >/dev/null
  fi
  nohup java -Xms256m -Xmx512m -Dlog4j.configuration="file:$home/log4j.properties" \
    -cp "$lib/*" kafka.Kafka "$config" >"$log_file" 2>&1 &
  echo $! >"$pid_file"

  # Wait up to 60 s for the client port.
  for _ in $(seq 1 120); do
    if port_open; then
      echo "kafka.sh: broker up on 127.0.0.1:$port (pid $(cat "$pid_file"))" >&2
      return
    fi
    if ! is_running; then
      echo "kafka.sh: broker exited during start; last log lines:" >&2
      tail -n 20 "$log_file" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "kafka.sh: broker did not open 127.0.0.1:$port within 60 s; see $log_file" >&2
  exit 1
}

stop() {
  if ! is_running; then
    echo "kafka.sh: no broker running on port $port" >&2
    rm -f "$pid_file"
    return
  fi
  pid="$(cat "$pid_file")"
  kill "$pid"
  # A controlled shutdown takes a few seconds; after 30 s the broker is killed.
  for _ in $(seq 1 60); do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$pid_file"
      echo "kafka.sh: broker stopped (pid $pid)" >&2
      return
    fi
    sleep 0.5
  done
  echo "kafka.sh: broker did not stop within 30 s, killing pid $pid" >&2
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pid_file"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: scripts/kafka.sh start|stop" >&2
    exit 2
    ;;
esac
