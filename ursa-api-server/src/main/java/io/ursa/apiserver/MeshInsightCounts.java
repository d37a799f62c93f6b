package io.ursa.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.Json;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The statistics of one MeshInsight (spec §8.3), added up from the mesh's dataplanes, policies and external
 * services: {@code dataplanes}, {@code policies} (types with none are left out), {@code services} (internal =
 * distinct {@code kuma.io/service} of dataplane inbounds, external = distinct services of ExternalServices) and
 * {@code dataplanesByType}. Zero counters are left out. Not thread-safe: one request builds one.
 */
final class MeshInsightCounts {
    private final DataplaneCounters dataplanes = new DataplaneCounters();
    private final DataplaneCounters standard = new DataplaneCounters();
    private final DataplaneCounters gateways = new DataplaneCounters();
    private final Map<String, Long> policies = new TreeMap<>();
    private final Set<String> internalServices = new TreeSet<>();
    private final Set<String> externalServices = new TreeSet<>();

    void addDataplane(DataplaneView dataplane, DataplaneStatus status) {
        dataplanes.add(status);
        (dataplane.isGateway() ? gateways : standard).add(status);
        internalServices.addAll(dataplane.inboundServices());
    }

    /** An ExternalService spec in Kuma JSON; its service is {@code tags["kuma.io/service"]}. */
    void addExternalService(JsonNode spec) {
        JsonNode service = spec.path("tags").path(DataplaneView.SERVICE_TAG);
        if (service.isTextual() && !service.asText().isEmpty()) {
            externalServices.add(service.asText());
        }
    }

    void addPolicies(String type, long total) {
        if (total > 0) {
            policies.put(type, total);
        }
    }

    /** Adds the statistics fields to {@code insight}. */
    ObjectNode writeTo(ObjectNode insight) {
        insight.set("dataplanes", dataplanes.toJson());
        if (!policies.isEmpty()) {
            ObjectNode byType = insight.putObject("policies");
            policies.forEach((type, total) -> byType.putObject(type).put("total", total));
        }
        ObjectNode services = insight.putObject("services");
        DataplaneCounters.putNonZero(services, "total", internalServices.size() + externalServices.size());
        DataplaneCounters.putNonZero(services, "internal", internalServices.size());
        DataplaneCounters.putNonZero(services, "external", externalServices.size());
        ObjectNode byType = Json.json().createObjectNode();
        byType.set("standard", standard.toJson());
        byType.set("gateway", gateways.toJson());
        insight.set("dataplanesByType", byType);
        return insight;
    }
}
