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
#
# In secure mode (docker-compose.secure.yml) it connects with the client settings in
# $COMMAND_CONFIG. Given $ACLS_FILE (acls.txt, the rules io.ordersaga.events.KafkaAccess reads),
# it first gives the admin and every principal the rules name their SCRAM credentials, from
# $SECRETS_DIR/passwords, then applies the rules: everything they do not allow is denied.
set -euo pipefail

bootstrap="${BOOTSTRAP_SERVERS:-kafka:19092}"
kafka_bin="${KAFKA_BIN:-/opt/kafka/bin}"
kafka_topics="${KAFKA_TOPICS:-$kafka_bin/kafka-topics.sh}"
kafka_configs="${KAFKA_CONFIGS:-$kafka_bin/kafka-configs.sh}"
kafka_acls="${KAFKA_ACLS:-$kafka_bin/kafka-acls.sh}"
catalogue="${TOPICS_FILE:-/etc/order-saga/topics.txt}"

if [ ! -r "$catalogue" ]; then
  echo "The topic catalogue $catalogue cannot be read; mount topics.txt there." >&2
  exit 1
fi

client=()
if [ -n "${COMMAND_CONFIG:-}" ]; then
  client+=(--command-config "$COMMAND_CONFIG")
fi

# Each rule: <principal> <operations> <resource type> <resource name>; a name ending in * is a prefix.
# Rules that differ only in their resource go to Kafka in one call (each call is a JVM).
grant_access() {
  local rules="$1" users principal operations type name
  if [ -z "${SECRETS_DIR:-}" ]; then
    echo "ACLS_FILE needs SECRETS_DIR, where passwords/<principal> are." >&2
    exit 1
  fi
  users="admin $(grep -Ev '^[[:space:]]*(#|$)' "$rules" | awk '{ print $1 }' | sort -u | tr '\n' ' ')"
  for principal in $users; do
    local password
    password="$(cat "$SECRETS_DIR/passwords/$principal")"
    "$kafka_configs" --bootstrap-server "$bootstrap" "${client[@]+"${client[@]}"}" --alter --entity-type users \
      --entity-name "$principal" --add-config "SCRAM-SHA-512=[password=$password]" > /dev/null
  done
  declare -A resources=()
  local keys=()
  while read -r principal operations type name extra || [ -n "${principal:-}" ]; do
    case "${principal:-}" in ''|'#'*) continue ;; esac
    if [ -z "${name:-}" ] || [ -n "${extra:-}" ]; then
      echo "Not '<principal> <operations> <resource type> <resource name>' in $rules: $principal $operations $type $name $extra" >&2
      exit 1
    fi
    local pattern=literal
    if [ "${name%\*}" != "$name" ]; then
      pattern=prefixed
      name="${name%\*}"
    fi
    case "$type" in
      topic|group|transactional-id) ;;
      *) echo "Not a resource type (topic, group, transactional-id) in $rules: $type" >&2; exit 1 ;;
    esac
    local key="$principal $operations $pattern"
    if [ -z "${resources[$key]+set}" ]; then
      keys+=("$key")
      resources[$key]=""
    fi
    resources[$key]+=" --$type $name"
  done < "$rules"
  local count=0
  for key in "${keys[@]}"; do
    read -r principal operations pattern <<< "$key"
    local arguments=(--add --allow-principal "User:$principal" --resource-pattern-type "$pattern")
    for operation in $(echo "$operations" | tr ',' ' '); do
      arguments+=(--operation "$operation")
    done
    # shellcheck disable=SC2206 # the resources are "--<type> <name>" pairs without spaces
    arguments+=(${resources[$key]})
    "$kafka_acls" --bootstrap-server "$bootstrap" "${client[@]+"${client[@]}"}" "${arguments[@]}" > /dev/null
    count=$((count + 1))
  done
  echo "SCRAM credentials for: $users; the rules of $rules applied ($count calls)."
}

if [ -n "${ACLS_FILE:-}" ]; then
  if [ ! -r "$ACLS_FILE" ]; then
    echo "The access rules $ACLS_FILE cannot be read; mount acls.txt there." >&2
    exit 1
  fi
  grant_access "$ACLS_FILE"
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
  "$kafka_topics" --bootstrap-server "$bootstrap" "${client[@]+"${client[@]}"}" --create --if-not-exists --topic "$topic" \
    --partitions "$partitions" "${replication[@]+"${replication[@]}"}" "${configs[@]+"${configs[@]}"}"
  count=$((count + 1))
done < "$catalogue"

echo "All topics exist ($count in the catalogue)."
