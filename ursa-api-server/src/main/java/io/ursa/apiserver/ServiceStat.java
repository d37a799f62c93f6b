package io.ursa.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * The statistics of one service of a ServiceInsight (Kuma 2.0's {@code ServiceInsight.Service}), added up one
 * instance at a time: the first instance decides the {@code serviceType} and {@code addressPort}, as Kuma's
 * resyncer decides them. Not thread-safe: one request builds one.
 */
final class ServiceStat {
    /** Kuma's {@code ServiceInsight.Service.Type}; {@code internal}, proto's zero, is left out of the JSON. */
    enum Type {
        INTERNAL("internal"),
        EXTERNAL("external"),
        GATEWAY_DELEGATED("gateway_delegated"),
        GATEWAY_BUILTIN("gateway_builtin");

        private final String json;

        Type(String json) {
            this.json = json;
        }
    }

    private final Type type;
    private final String addressPort;
    private final Map<String, Long> issuedBackends = new TreeMap<>();
    private long total;
    private long online;
    private long offline;

    ServiceStat(Type type, String addressPort) {
        this.type = type;
        this.addressPort = addressPort;
    }

    /**
     * One Dataplane that serves the service: online when its status is online, offline otherwise (a partially
     * degraded one counts as offline, as in Kuma); {@code issuedBackend} is the CA backend of its certificate,
     * empty when it has none.
     */
    void addDataplane(DataplaneStatus status, String issuedBackend) {
        total++;
        if (status == DataplaneStatus.ONLINE) {
            online++;
        } else {
            offline++;
        }
        if (!issuedBackend.isEmpty()) {
            issuedBackends.merge(issuedBackend, 1L, Long::sum);
        }
    }

    /** One ExternalService of the service: counted in {@code total}, neither online nor offline, as in Kuma. */
    void addExternalService() {
        total++;
    }

    /**
     * Kuma's rule: an external service is {@code not_available}; otherwise {@code offline} with no instance
     * online, {@code online} with all of them, else {@code partially_degraded}.
     */
    String status() {
        if (type == Type.EXTERNAL) {
            return "not_available";
        }
        if (online == 0) {
            return "offline";
        }
        return online == total ? "online" : "partially_degraded";
    }

    /** Adds the fields of the service to {@code out}, zero values left out as protobuf's JSON leaves them. */
    ObjectNode writeTo(ObjectNode out) {
        out.put("status", status());
        ObjectNode dataplanes = out.putObject("dataplanes");
        DataplaneCounters.putNonZero(dataplanes, "total", total);
        DataplaneCounters.putNonZero(dataplanes, "online", online);
        DataplaneCounters.putNonZero(dataplanes, "offline", offline);
        if (!issuedBackends.isEmpty()) {
            ObjectNode backends = out.putObject("issuedBackends");
            issuedBackends.forEach(backends::put);
        }
        if (type != Type.INTERNAL) {
            out.put("serviceType", type.json);
        }
        if (!addressPort.isEmpty()) {
            out.put("addressPort", addressPort);
        }
        return out;
    }
}
