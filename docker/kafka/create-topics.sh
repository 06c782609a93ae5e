#!/usr/bin/env bash
# Creates every topic of the suite before the services start, as the topic catalogue lists
# them (shared-events/src/main/resources/io/ordersaga/events/topics.txt, mounted at
# $TOPICS_FILE): the same file the services, the one-command run and the tests read. Run
# once by the kafka-topics service of docker-compose.yml; ComposeSettingsIT runs it against
# a real broker. Creating a topic that exists is a no-op, so a second `docker compose up` is
# safe.
#
# Replication comes from the cluster's defaults (default.replication.factor,
# min.insync.replicas), so the same script serves one broker and a cluster;
# REPLICATION_FACTOR and MIN_INSYNC_REPLICAS override them, as they do for the services.
set -euo pipefail

bootstrap="${BOOTSTRAP_SERVERS:-kafka:19092}"
kafka_topics="${KAFKA_TOPICS:-/opt/kafka/bin/kafka-topics.sh}"
catalogue="${TOPICS_FILE:-/etc/order-saga/topics.txt}"

if [ ! -r "$catalogue" ]; then
  echo "The topic catalogue $catalogue cannot be read; mount topics.txt there." >&2
  exit 1
fi

replication=()
if [ -n "${REPLICATION_FACTOR:-}" ]; then
  replication+=(--replication-factor "$REPLICATION_FACTOR")
fi
if [ -n "${MIN_INSYNC_REPLICAS:-}" ]; then
  replication+=(--config "min.insync.replicas=$MIN_INSYNC_REPLICAS")
fi

# Each line: <name> <partitions> [<config>=<value> ...]; blank lines and # comments skipped.
count=0
while read -r topic partitions configs_line || [ -n "${topic:-}" ]; do
  case "${topic:-}" in ''|'#'*) continue ;; esac
  configs=()
  for config in ${configs_line:-}; do
    configs+=(--config "$config")
  done
  "$kafka_topics" --bootstrap-server "$bootstrap" --create --if-not-exists --topic "$topic" \
    --partitions "$partitions" "${replication[@]+"${replication[@]}"}" "${configs[@]+"${configs[@]}"}"
  count=$((count + 1))
done < "$catalogue"

echo "All topics exist ($count in the catalogue)."
