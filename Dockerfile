# syntax=docker/dockerfile:1
# One image per service, built from source: docker compose builds it three times with
# SERVICE=order-service, payment-service and notification-service.
#
# JAVA_TOOL_OPTIONS (a build argument from .env, empty by default) reaches every JVM here:
# Maven's, the start-up cache's training run and the service's. A machine that needs a JVM
# option (-XX:UseSVE=0 on some Apple silicon) needs it for the build as much as for the run.

# Build: the service's jar and the modules it needs, then its layers. The base images are
# pinned to full versions (ComposeFileTests checks them): the Maven wrapper's Maven on JDK
# 25 here (the maven image names no JDK update), a Temurin JRE release below.
FROM maven:3.9.11-eclipse-temurin-25 AS build
ARG SERVICE
ARG JAVA_TOOL_OPTIONS=""
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn --batch-mode --no-transfer-progress --quiet package -DskipTests -pl "${SERVICE}" -am \
 && cp "${SERVICE}/target/${SERVICE}.jar" /application.jar \
 && java -Djarmode=tools -jar /application.jar extract --layers --destination /extracted

# Run: a JRE, a user without privileges, and the layers from the least to the most often
# changed, so a code change rebuilds only the last one.
FROM eclipse-temurin:25.0.3_9-jre AS runtime
ARG SERVICE
ARG JAVA_TOOL_OPTIONS=""
RUN apt-get update \
 && apt-get install --yes --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system saga \
 && useradd --system --gid saga --home-dir /app saga \
 && mkdir -p /app /var/lib/order-saga \
 && chown saga:saga /app /var/lib/order-saga
WORKDIR /app
COPY --from=build /extracted/dependencies/ ./
COPY --from=build /extracted/spring-boot-loader/ ./
COPY --from=build /extracted/snapshot-dependencies/ ./
COPY --from=build /extracted/application/ ./
USER saga
# MALLOC_ARENA_MAX: two glibc arenas, not up to eight per core, for the threads that
# allocate natively (RocksDB, the Kafka clients); glibc seldom hands arena memory back.
# The training run below and the entry point share these options, JAVA_TOOL_OPTIONS
# included: a JVM drops (with a warning, and starts slower) an AOT cache whose recorded
# settings, such as the collector or compressed oops, differ from its own. Hence also the
# explicit UseCompressedOops: with MaxRAMPercentage alone, a build host with more than about
# 53 GB would train without compressed oops, for a container of 512 MB that uses them.
# TrimNativeHeapInterval: every 5 s, hand back to the system what glibc keeps after a free.
ENV SERVICE=${SERVICE} \
    MALLOC_ARENA_MAX=2 \
    KAFKA_STREAMS_STATE_DIR=/var/lib/order-saga/state \
    JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS}" \
    JAVA_OPTS="-XX:MaxRAMPercentage=60 -XX:+UseCompressedOops -XX:+UseSerialGC -XX:TrimNativeHeapInterval=5000"
# An ahead-of-time cache (JDK 25, JEP 514) from a training run that starts the application
# context and exits: classes come loaded and linked, so the service starts sooner. The run
# needs no Kafka. Its log stays out of the build output unless the run fails or leaves no
# cache; then the build prints it, to say why.
RUN if java -XX:AOTCacheOutput=app.aot $JAVA_OPTS -Dspring.context.exit=onRefresh -jar application.jar \
        > aot-training.log 2>&1 && test -s app.aot; \
    then rm aot-training.log; \
    else cat aot-training.log; exit 1; fi
VOLUME /var/lib/order-saga
ENTRYPOINT ["sh", "-c", "exec java -XX:AOTCache=app.aot $JAVA_OPTS -jar application.jar"]
