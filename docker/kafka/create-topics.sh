#!/usr/bin/env bash
# Creates every topic of the suite, with the partition counts and configs the code expects,
# before the services start. Run once by the kafka-topics service of docker-compose.yml;
# ComposeFileTests checks this list against the code, and ComposeSettingsIT runs the script
# against a real broker. Creating a topic that exists is a no-op, so a second
# `docker compose up` is safe.
set -euo pipefail

bootstrap="${BOOTSTRAP_SERVERS:-kafka:19092}"
kafka_topics="${KAFKA_TOPICS:-/opt/kafka/bin/kafka-topics.sh}"

# create <topic> <partitions> [<config>=<value> ...]
create() {
  local topic=$1 partitions=$2
  shift 2
  local configs=()
  for config in "$@"; do
    configs+=(--config "$config")
  done
  "$kafka_topics" --bootstrap-server "$bootstrap" --create --if-not-exists --topic "$topic" \
    --partitions "$partitions" --replication-factor 1 "${configs[@]+"${configs[@]}"}"
}

# The saga's topics and their dead-letter topics (io.ordersaga.events.Topic). The saga's
# topics are the system of record: the services rebuild their state from them, so they keep
# every record (retention.ms=-1); dead-letter topics keep the broker's default of 7 days.
create orders 3 retention.ms=-1
create orders-dlt 3
create payments 3 retention.ms=-1
create payments-dlt 3
create notifications 3 retention.ms=-1
create notifications-dlt 3

# payment-service: account commands, their dead letters, and the compacted account states.
create payment-account-commands 3
create payment-account-commands-dlt 3
create payment-accounts 3 cleanup.policy=compact

# notification-service: webhook deliveries to make, the ones that failed for good, and the
# ones made (with their dead letters). The retry topics appear when a webhook URL is
# configured; the service creates them.
create notification-webhooks 3
create notification-webhooks-dlt 3 retention.ms=-1
create notification-webhooks-delivered 3
create notification-webhooks-delivered-dlt 3

echo "All topics exist."
