package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Read access to a Dataplane spec through its Kuma JSON form (spec §12.1: {@code networking.inbound[].tags},
 * {@code networking.gateway.tags}, {@code inbound[].health.ready}). Reading the wire form keeps the API independent
 * of how the spec record is modelled. Immutable.
 */
final class DataplaneView {
    static final String SERVICE_TAG = "kuma.io/service";

    private final JsonNode networking;

    DataplaneView(JsonNode spec) {
        this.networking = requireNonNull(spec, "spec").path("networking");
    }

    boolean isGateway() {
        return networking.path("gateway").isObject();
    }

    /** One tag set per inbound, then the gateway's, as Kuma matches selectors against them. */
    List<Map<String, String>> tagSets() {
        List<Map<String, String>> sets = new ArrayList<>();
        for (JsonNode inbound : networking.path("inbound")) {
            sets.add(tags(inbound.path("tags")));
        }
        if (isGateway()) {
            sets.add(tags(networking.path("gateway").path("tags")));
        }
        return sets;
    }

    /** The {@code kuma.io/service} of each inbound that names one. */
    List<String> inboundServices() {
        List<String> services = new ArrayList<>();
        for (JsonNode inbound : networking.path("inbound")) {
            JsonNode service = inbound.path("tags").path(SERVICE_TAG);
            if (service.isTextual() && !service.asText().isEmpty()) {
                services.add(service.asText());
            }
        }
        return services;
    }

    int inboundCount() {
        return networking.path("inbound").size();
    }

    /** Inbounds whose health is reported and not ready. */
    int unhealthyInboundCount() {
        int count = 0;
        for (JsonNode inbound : networking.path("inbound")) {
            JsonNode health = inbound.path("health");
            if (health.isObject() && !health.path("ready").asBoolean(false)) {
                count++;
            }
        }
        return count;
    }

    static Map<String, String> tags(JsonNode node) {
        Map<String, String> tags = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode()) {
                tags.put(e.getKey(), e.getValue().asText());
            }
        });
        return tags;
    }
}
