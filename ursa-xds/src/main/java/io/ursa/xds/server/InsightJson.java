package io.ursa.xds.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.core.cluster.ProxyConnections;
import io.ursa.xds.resources.EnvoyType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A Dataplane's subscriptions in Kuma's DataplaneInsight JSON ({@code subscriptions[].status.{total,cds,eds,lds,
 * rds,sds}}, uint64 counters as strings as protobuf JSON writes them). Ursa adds, per type, the last acknowledged
 * version ({@code lastAckedVersion}) and the last rejection ({@code lastRejection: {version, error, time}}), which
 * Kuma only logs, and per subscription the reason its configuration cannot be generated now
 * ({@code generationError}; the proxy keeps its last configuration meanwhile). When the proxy was given an
 * identity certificate, Kuma's {@code mTLS} block says by which backend, until when, and how often, and Ursa's
 * {@code tlsReady} whether the sidecar has confirmed it, so that its inbounds accept mesh mTLS: in a PERMISSIVE
 * mesh, callers send mTLS to a service once all its instances are ready, plaintext before.
 */
final class InsightJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<EnvoyType, String> FIELDS = Map.of(
            EnvoyType.CLUSTER, "cds",
            EnvoyType.CLUSTER_LOAD_ASSIGNMENT, "eds",
            EnvoyType.LISTENER, "lds",
            EnvoyType.ROUTE_CONFIGURATION, "rds",
            EnvoyType.SECRET, "sds");

    private InsightJson() {
    }

    static ObjectNode of(List<Subscription.View> subscriptions) {
        return of(subscriptions, Optional.empty(), Optional.empty());
    }

    /**
     * @param tlsReadyBackend the CA backend whose mesh mTLS the sidecar's inbounds accept now (it acknowledged its
     *                        certificate); written as {@code mTLS.tlsReady}
     */
    static ObjectNode of(List<Subscription.View> subscriptions, Optional<ProxyCertificates.Status> certificate,
                         Optional<String> tlsReadyBackend) {
        ObjectNode insight = JSON.createObjectNode();
        certificate.ifPresent(c -> {
            ObjectNode mtls = insight.putObject("mTLS");
            mtls.put("certificateExpirationTime", c.certificateExpirationTime().toString());
            mtls.put("lastCertificateRegeneration", c.lastCertificateRegeneration().toString());
            mtls.put("certificateRegenerations", c.certificateRegenerations());
            mtls.put("issuedBackend", c.issuedBackend());
            mtls.putArray("supportedBackends").add(c.issuedBackend());
            mtls.put("tlsReady", tlsReadyBackend.filter(c.issuedBackend()::equals).isPresent());
        });
        var array = insight.putArray("subscriptions");
        for (Subscription.View s : subscriptions) {
            ObjectNode node = array.addObject();
            node.put("id", s.id());
            node.put("controlPlaneInstanceId", s.controlPlaneInstanceId());
            node.put("connectTime", s.connectTime().toString());
            s.disconnectTime().ifPresent(t -> node.put("disconnectTime", t.toString()));
            ObjectNode status = node.putObject("status");
            s.lastUpdateTime().ifPresent(t -> status.put("lastUpdateTime", t.toString()));
            counters(status.putObject("total"), s.total(Subscription.TypeStats::responsesSent),
                    s.total(Subscription.TypeStats::responsesAcknowledged),
                    s.total(Subscription.TypeStats::responsesRejected));
            for (EnvoyType type : EnvoyType.values()) {
                Subscription.TypeStats stats = s.stats().get(type);
                if (stats == null) {
                    continue;
                }
                ObjectNode typeNode = status.putObject(FIELDS.get(type));
                counters(typeNode, stats.responsesSent(), stats.responsesAcknowledged(), stats.responsesRejected());
                stats.lastAckedVersion().ifPresent(v -> typeNode.put("lastAckedVersion", v));
                stats.lastRejection().ifPresent(r -> {
                    ObjectNode rejection = typeNode.putObject("lastRejection");
                    rejection.put("version", r.version());
                    rejection.put("error", r.error());
                    rejection.put("time", r.time().toString());
                });
            }
            node.putObject("version").put("userAgent", s.userAgent());
            s.generationError().ifPresent(e -> node.put("generationError", e));
        }
        return insight;
    }

    /**
     * Adds, last, the subscription of a proxy connected to another instance of the cluster, as the shared record
     * has it: {@code id}, {@code controlPlaneInstanceId} and {@code connectTime}. Its {@code status} (per-type
     * responses, ACKs, NACKs) and the {@code mTLS} block are kept by the instance that serves it and left out.
     */
    static ObjectNode connectedElsewhere(ObjectNode insight, ProxyConnections.ProxyConnection connection) {
        insight.remove("mTLS");
        ObjectNode node = ((ArrayNode) insight.get("subscriptions")).addObject();
        node.put("id", UUID.nameUUIDFromBytes((connection.instanceId() + "/" + connection.proxy() + "/"
                + connection.connectTime()).getBytes(StandardCharsets.UTF_8)).toString());
        node.put("controlPlaneInstanceId", connection.instanceId());
        node.put("connectTime", connection.connectTime().toString());
        return insight;
    }

    private static void counters(ObjectNode node, long sent, long acked, long rejected) {
        if (sent > 0) {
            node.put("responsesSent", Long.toString(sent));
        }
        if (acked > 0) {
            node.put("responsesAcknowledged", Long.toString(acked));
        }
        if (rejected > 0) {
            node.put("responsesRejected", Long.toString(rejected));
        }
    }
}
