package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import io.ursa.xds.context.ProxyMetadata;
import io.ursa.xds.resources.EnvoyType;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One ADS stream of a proxy and what happened on it (Kuma's {@code DiscoverySubscription}): when it connected and
 * disconnected, and per resource type the responses sent, acknowledged and rejected, the last acknowledged
 * version and the last rejection with Envoy's or grpc's error text. An incremental ("delta") stream's answers name
 * the response they answer by nonce alone, so the versions of its responses still unanswered are kept by nonce.
 * Thread-safe: requests arrive on the stream's
 * thread, responses on the cache's; every method synchronizes on this object.
 */
final class Subscription {
    private final String id;
    private final long streamId;
    private final ProxyKey key;
    private final ProxyMetadata metadata;
    private final String controlPlaneInstanceId;
    private final Instant connectTime;
    private final String userAgent;
    private final Map<EnvoyType, TypeStats> stats = new EnumMap<>(EnvoyType.class);
    private final Map<EnvoyType, String> lastSentVersion = new EnumMap<>(EnvoyType.class);
    private final Protocol protocol;
    /** Delta only: the version of each response not answered yet, by nonce (unique on the stream). */
    private final Map<String, String> unanswered = new HashMap<>();
    private Instant disconnectTime;
    private String generationError;
    private Instant lastUpdateTime;

    Subscription(String id, long streamId, ProxyKey key, ProxyMetadata metadata, String controlPlaneInstanceId,
                 Instant connectTime, String userAgent, Protocol protocol) {
        this.id = requireNonNull(id, "id");
        this.streamId = streamId;
        this.key = requireNonNull(key, "key");
        this.metadata = requireNonNull(metadata, "metadata");
        this.controlPlaneInstanceId = requireNonNull(controlPlaneInstanceId, "controlPlaneInstanceId");
        this.connectTime = requireNonNull(connectTime, "connectTime");
        this.userAgent = requireNonNull(userAgent, "userAgent");
        this.protocol = requireNonNull(protocol, "protocol");
    }

    /** The variant of the xDS protocol the stream speaks. */
    enum Protocol {
        /** State of the world: every response of a type holds all its resources. */
        SOTW("state-of-the-world"),
        /** Incremental: responses hold only the resources added or changed, and the names removed. */
        DELTA("delta");

        private final String label;

        Protocol(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    /** The last rejection of a type: the version Envoy refused and why. */
    record Rejection(String version, String error, Instant time) {
    }

    /** The counters of one type; a snapshot copy when read through {@link #view()}. */
    record TypeStats(long responsesSent, long responsesAcknowledged, long responsesRejected,
                     Optional<String> lastAckedVersion, Optional<Rejection> lastRejection) {
        static final TypeStats NONE = new TypeStats(0, 0, 0, Optional.empty(), Optional.empty());
    }

    /** An immutable copy of the subscription, for the API. */
    record View(String id, ProxyKey key, String controlPlaneInstanceId, Instant connectTime,
                Optional<Instant> disconnectTime, Optional<Instant> lastUpdateTime, String userAgent,
                Map<EnvoyType, TypeStats> stats, Optional<String> generationError) {
        long total(java.util.function.ToLongFunction<TypeStats> counter) {
            return stats.values().stream().mapToLong(counter).sum();
        }
    }

    long streamId() {
        return streamId;
    }

    ProxyKey key() {
        return key;
    }

    ProxyMetadata metadata() {
        return metadata;
    }

    Protocol protocol() {
        return protocol;
    }

    synchronized boolean isConnected() {
        return disconnectTime == null;
    }

    synchronized void responseSent(EnvoyType type, String version, Instant now) {
        lastSentVersion.put(type, version);
        TypeStats s = stats.getOrDefault(type, TypeStats.NONE);
        stats.put(type, new TypeStats(s.responsesSent() + 1, s.responsesAcknowledged(), s.responsesRejected(),
                s.lastAckedVersion(), s.lastRejection()));
        lastUpdateTime = now;
    }

    /** A delta response of {@code version} sent with {@code nonce}, whose answer will name only the nonce. */
    synchronized void responseSent(EnvoyType type, String version, String nonce, Instant now) {
        responseSent(type, version, now);
        unanswered.put(nonce, version);
    }

    /**
     * The version of the delta response sent with {@code nonce}, now answered; empty for a nonce never sent or
     * answered before.
     */
    synchronized Optional<String> answered(String nonce) {
        return Optional.ofNullable(unanswered.remove(nonce));
    }

    /** The version last sent of {@code type}, "" before the first. */
    synchronized String lastSentVersion(EnvoyType type) {
        return lastSentVersion.getOrDefault(type, "");
    }

    synchronized void acknowledged(EnvoyType type, String version) {
        TypeStats s = stats.getOrDefault(type, TypeStats.NONE);
        stats.put(type, new TypeStats(s.responsesSent(), s.responsesAcknowledged() + 1, s.responsesRejected(),
                Optional.of(version), s.lastRejection()));
    }

    /** A NACK of {@code version}. */
    synchronized void rejected(EnvoyType type, String version, String error, Instant now) {
        TypeStats s = stats.getOrDefault(type, TypeStats.NONE);
        stats.put(type, new TypeStats(s.responsesSent(), s.responsesAcknowledged(), s.responsesRejected() + 1,
                s.lastAckedVersion(), Optional.of(new Rejection(version, error, now))));
    }

    /** Records that generating this proxy's configuration failed; returns the previous failure, if any. */
    synchronized Optional<String> generationFailed(String reason) {
        Optional<String> previous = Optional.ofNullable(generationError);
        generationError = reason;
        return previous;
    }

    /** Records a successful generation; returns the failure it ends, if any. */
    synchronized Optional<String> generated() {
        Optional<String> previous = Optional.ofNullable(generationError);
        generationError = null;
        return previous;
    }

    synchronized void disconnected(Instant now) {
        if (disconnectTime == null) {
            disconnectTime = now;
        }
    }

    synchronized View view() {
        return new View(id, key, controlPlaneInstanceId, connectTime, Optional.ofNullable(disconnectTime),
                Optional.ofNullable(lastUpdateTime), userAgent, Map.copyOf(stats), Optional.ofNullable(generationError));
    }
}
