#!/usr/bin/env bash
# Creates what secure mode needs, once, in a directory of its own (the first argument, or
# $SECRETS_DIR): a certificate authority of the suite's own, a key and certificate for the
# brokers signed by it, a trust store with the authority's certificate for the clients, and a
# random password for each principal. `./run --secure` runs it on every start (under
# .run-data/secrets) and compose's secrets job likewise (in a volume); what exists is kept, so
# a restart keeps its credentials, and only a missing principal's password is added. Nothing
# here is ever committed: the directory is under the data directory or in a volume.
#
#   ca.p12, ca.pem        the authority's key (PKCS12) and certificate (PEM, for kcat)
#   broker.p12            the brokers' key and certificate chain; its names are $BROKER_HOSTS
#   truststore.p12        the authority's certificate, for Java clients
#   passwords/<name>      one password per store (ca, broker, truststore), per principal, and
#                         per user of the suite's issuer (auth-service) and its command-line client
#   admin.properties      the admin's client settings, for Kafka's own command-line tools
#   node.properties       the nodes' own client settings (TLS with the brokers' certificate, a
#                         super user): compose's broker health check and topic job use them on
#                         the broker's node listener, before any SCRAM user exists
#
# $SHARES hands each container only what it needs: "<dir>=<name>,<name> ...", each <dir> a
# directory under $SHARES_DIR (in compose, a volume only that container mounts), given the
# authority's certificate (ca.pem) and passwords/<name> for each name. $OWNER, if set, becomes
# the owner of the secrets (compose's broker runs as a user of its own).
#
# The principals are admin (a super user: topics, ACLs, Conduktor Console, the operator's
# tools) and $PRINCIPALS, by default the three services. The issuer's users are $USERS, by
# default the demo customers alice, bob and carol, the operator, the command-line client
# order-saga-cli, and load-customers, the one password of the load generator's customers
# (which ./run --secure's issuer lets sign in); they are not Kafka principals. keytool comes with every JDK and JRE.
set -euo pipefail

dir="${1:-${SECRETS_DIR:-}}"
if [ -z "$dir" ]; then
  echo "Usage: create-secrets.sh <directory> (or SECRETS_DIR=<directory>)" >&2
  exit 2
fi
hosts="${BROKER_HOSTS:-localhost}"
principals="admin ${PRINCIPALS:-order-service payment-service notification-service}"
users="${USERS:-alice bob carol operator order-saga-cli load-customers}"
keytool="${KEYTOOL:-keytool}"
days=825

umask 077
mkdir -p "$dir/passwords"

password() {
  local file="$dir/passwords/$1"
  if [ ! -s "$file" ]; then
    # Letters and digits only: the password goes into a JAAS line between double quotes.
    # (No pipe into head: with pipefail, the writer's SIGPIPE would fail the script.)
    local random
    random="$(LC_ALL=C tr -dc 'A-Za-z0-9' < <(head -c 1024 /dev/urandom))"
    printf '%s' "${random:0:32}" > "$file"
  fi
  cat "$file"
}

for name in ca broker truststore $principals $users; do
  password "$name" > /dev/null
done

write_admin_properties() {
  {
    echo "security.protocol=SASL_SSL"
    echo "sasl.mechanism=SCRAM-SHA-512"
    echo "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"$(password admin)\";"
    echo "ssl.truststore.type=PKCS12"
    echo "ssl.truststore.location=$(cd "$dir" && pwd)/truststore.p12"
    echo "ssl.truststore.password=$(password truststore)"
  } > "$dir/admin.properties"
}

write_node_properties() {
  local here
  here="$(cd "$dir" && pwd)"
  {
    echo "security.protocol=SSL"
    echo "ssl.keystore.type=PKCS12"
    echo "ssl.keystore.location=$here/broker.p12"
    echo "ssl.keystore.password=$(password broker)"
    echo "ssl.key.password=$(password broker)"
    echo "ssl.truststore.type=PKCS12"
    echo "ssl.truststore.location=$here/truststore.p12"
    echo "ssl.truststore.password=$(password truststore)"
  } > "$dir/node.properties"
}

finish() {
  write_admin_properties
  write_node_properties
  for share in ${SHARES:-}; do
    local target="${SHARES_DIR:?SHARES needs SHARES_DIR}/${share%%=*}"
    mkdir -p "$target/passwords"
    cp "$dir/ca.pem" "$target/ca.pem"
    for name in $(echo "${share#*=}" | tr ',' ' '); do
      password "$name" > "$target/passwords/$name"
    done
    # Readable by the one container that mounts it, whichever user it runs as.
    chmod -R a+rX,go-w "$target"
  done
  if [ -n "${OWNER:-}" ]; then
    chown -R "$OWNER" "$dir"
  fi
}

if [ -s "$dir/broker.p12" ] && [ -s "$dir/truststore.p12" ]; then
  finish
  echo "Secrets in $dir kept from an earlier start."
  exit 0
fi

san="$(echo "$hosts" | tr ',' '\n' | awk '!seen[$0]++' | sed -E '/^$/d; s/^([0-9.]+)$/ip:\1/; /^ip:/!s/^/dns:/' | paste -sd, -)"
ca_pass="$(password ca)"
broker_pass="$(password broker)"
trust_pass="$(password truststore)"
rm -f "$dir"/ca.p12 "$dir"/ca.pem "$dir"/broker.p12 "$dir"/broker.csr "$dir"/broker.pem "$dir"/truststore.p12

"$keytool" -genkeypair -alias ca -keyalg RSA -keysize 3072 -validity 3650 -dname "CN=order-saga local CA" \
  -ext bc:c -keystore "$dir/ca.p12" -storetype PKCS12 -storepass "$ca_pass" -keypass "$ca_pass" 2> /dev/null
"$keytool" -exportcert -rfc -alias ca -keystore "$dir/ca.p12" -storepass "$ca_pass" -file "$dir/ca.pem" 2> /dev/null
"$keytool" -importcert -noprompt -alias ca -file "$dir/ca.pem" -keystore "$dir/truststore.p12" -storetype PKCS12 \
  -storepass "$trust_pass" 2> /dev/null

"$keytool" -genkeypair -alias broker -keyalg RSA -keysize 2048 -validity "$days" -dname "CN=order-saga broker" \
  -keystore "$dir/broker.p12" -storetype PKCS12 -storepass "$broker_pass" -keypass "$broker_pass" 2> /dev/null
"$keytool" -certreq -alias broker -keystore "$dir/broker.p12" -storepass "$broker_pass" -file "$dir/broker.csr" 2> /dev/null
"$keytool" -gencert -rfc -alias ca -keystore "$dir/ca.p12" -storepass "$ca_pass" -infile "$dir/broker.csr" \
  -outfile "$dir/broker.pem" -validity "$days" -ext "SAN=$san" -ext KU=digitalSignature,keyEncipherment \
  -ext EKU=serverAuth,clientAuth 2> /dev/null
"$keytool" -importcert -noprompt -alias ca -file "$dir/ca.pem" -keystore "$dir/broker.p12" -storepass "$broker_pass" 2> /dev/null
"$keytool" -importcert -alias broker -file "$dir/broker.pem" -keystore "$dir/broker.p12" -storepass "$broker_pass" 2> /dev/null
rm -f "$dir/broker.csr"
finish

echo "Secrets created in $dir: a certificate authority, the brokers' certificate for $hosts, and a password for each of: $principals."
