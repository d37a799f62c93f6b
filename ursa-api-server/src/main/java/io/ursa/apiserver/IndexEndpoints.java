package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.ursa.api.codec.Json;
import io.ursa.api.policy.PolicySupport;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.Trait;
import io.ursa.api.resource.ResourceTypes;
import java.util.Comparator;
import java.util.function.Supplier;

/**
 * The API's self-description (spec §8.2): {@code GET /} (index), {@code GET /config} (the effective configuration
 * as the composition root gives it, secrets already masked) and {@code GET /policies} (the registry's policy
 * types, sorted by name) and {@code GET /_resources} (every type). Thread-safe: fields are immutable, the configuration supplier must be thread-safe.
 */
final class IndexEndpoints {
    static final String TAGLINE = "Ursa";

    private final ResourceTypes types;
    private final Supplier<? extends JsonNode> effectiveConfig;
    private final ErrorMapper errors;
    private final ObjectNode index;

    IndexEndpoints(ResourceTypes types, Supplier<? extends JsonNode> effectiveConfig, String version,
                   String hostname, String instanceId, ErrorMapper errors) {
        this.types = requireNonNull(types, "types");
        this.effectiveConfig = requireNonNull(effectiveConfig, "effectiveConfig");
        this.errors = requireNonNull(errors, "errors");
        this.index = Json.json().createObjectNode()
                .put("hostname", requireNonNull(hostname, "hostname"))
                .put("tagline", TAGLINE)
                .put("version", requireNonNull(version, "version"))
                .put("instanceId", requireNonNull(instanceId, "instanceId"))
                // Kuma reads it from a stored cluster-wide Config resource; Ursa has none yet
                .put("clusterId", "");
    }

    void addTo(Javalin app) {
        app.get("/", errors.guard(Titles.INDEX, ctx -> Responses.json(ctx, 200, index)));
        app.get("/config", errors.guard(Titles.CONFIG, this::config));
        app.get("/policies", errors.guard(Titles.POLICIES, this::policies));
        app.get("/_resources", errors.guard(Titles.POLICIES, this::resources));
    }

    /**
     * Every resource type the API serves, sorted by name, in the shape later Kuma 2.x versions answer at the same
     * path: {@code {"resources": [{"name", "path", "scope": "Mesh"|"Global", "readOnly", "singularDisplayName",
     * "pluralDisplayName", "policy"?: {"isExperimental"}}]}}; {@code policy} is there for policy types only.
     */
    private void resources(Context ctx) {
        ObjectNode body = Json.json().createObjectNode();
        ArrayNode list = body.putArray("resources");
        types.all().stream().sorted(Comparator.comparing(ResourceType::name)).forEach(type -> {
            ObjectNode resource = list.addObject()
                    .put("name", type.name())
                    .put("path", type.wsPath())
                    .put("scope", type.isMeshScoped() ? "Mesh" : "Global")
                    .put("readOnly", false)
                    .put("singularDisplayName", type.singularDisplayName())
                    .put("pluralDisplayName", type.pluralDisplayName());
            if (type.has(Trait.POLICY)) {
                resource.putObject("policy").put("isExperimental", type.has(Trait.EXPERIMENTAL));
            }
        });
        Responses.json(ctx, 200, body);
    }

    private void config(Context ctx) {
        JsonNode config = effectiveConfig.get();
        Responses.json(ctx, 200, config == null ? Json.json().createObjectNode() : config);
    }

    private void policies(Context ctx) {
        ObjectNode body = Json.json().createObjectNode();
        ArrayNode list = body.putArray("policies");
        types.policies().stream().sorted(Comparator.comparing(ResourceType::name)).forEach(type -> {
            ObjectNode policy = list.addObject()
                    .put("name", type.name())
                    .put("readOnly", false)
                    .put("path", type.wsPath())
                    .put("singularDisplayName", type.singularDisplayName())
                    .put("pluralDisplayName", type.pluralDisplayName())
                    .put("isExperimental", type.has(Trait.EXPERIMENTAL));
            // Ursa's addition: what each kind of data plane does with the type today
            PolicySupport.of(type.name()).ifPresent(support -> policy.putObject("support")
                    .put("envoy", support.envoy().json())
                    .put("proxylessGrpc", support.proxylessGrpc().json())
                    .put("note", support.note()));
        });
        Responses.json(ctx, 200, body);
    }
}
