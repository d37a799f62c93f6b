package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.NotFoundException;
import java.util.Optional;

/**
 * Kuma's inspect endpoints of one dataplane: {@code GET /meshes/{mesh}/dataplanes/{name}/policies}, the policies
 * that match it per attachment point, and {@code GET /meshes/{mesh}/dataplanes/{name}/xds}, the configuration
 * its proxy is served. Unlike Kuma, whose {@code /xds} relays the Envoy admin's {@code config_dump}, Ursa shows
 * what the control plane serves (so also for proxyless gRPC applications, which have no admin), with private keys
 * redacted. Also {@code GET /meshes/{mesh}/meshgateways/{name}/dataplanes} and
 * {@code GET /meshes/{mesh}/meshgatewayroutes/{name}/dataplanes}, the builtin gateway Dataplanes a MeshGateway
 * configures and those a MeshGatewayRoute routes (Kuma's shape; an unknown MeshGateway or route is a 404). An
 * unknown mesh is a 400, an unknown Dataplane a 404 {@code Not found}; a Dataplane whose proxy is not
 * connected has no served configuration, which is a 404 that says so. Stateless and thread-safe.
 */
final class InspectEndpoints {
    private static final String DATAPLANE = "/meshes/{mesh}/dataplanes/{name}";

    private final ResourceManager manager;
    private final DataplaneInspector inspector;
    private final ErrorMapper errors;
    private final MeshScope meshFromPath;

    InspectEndpoints(ResourceManager manager, DataplaneInspector inspector, ErrorMapper errors) {
        this.manager = requireNonNull(manager, "manager");
        this.inspector = requireNonNull(inspector, "inspector");
        this.errors = requireNonNull(errors, "errors");
        this.meshFromPath = MeshScope.fromPath(manager);
    }

    void addTo(Javalin app) {
        app.get(DATAPLANE + "/policies", errors.guard(Titles.INSPECT_POLICIES, this::policies));
        app.get(DATAPLANE + "/xds", errors.guard(Titles.INSPECT_DATAPLANE, this::xds));
        app.get("/meshes/{mesh}/meshgateways/{name}/dataplanes",
                errors.guard(Titles.INSPECT_GATEWAY_DATAPLANES, this::gatewayDataplanes));
        app.get("/meshes/{mesh}/meshgatewayroutes/{name}/dataplanes",
                errors.guard(Titles.INSPECT_GATEWAY_ROUTE_DATAPLANES, this::gatewayRouteDataplanes));
    }

    /** Kuma's {@code GET /meshes/{mesh}/meshgateways/{name}/dataplanes}: the builtin gateways it configures. */
    private void gatewayDataplanes(Context ctx) {
        ResourceKey key = existing(ctx, ResourceTypes.MESH_GATEWAY);
        Responses.json(ctx, 200, inspector.gatewayDataplanes(key.mesh(), key.name())
                .orElseGet(InspectEndpoints::emptyList));
    }

    /** Kuma's {@code GET /meshes/{mesh}/meshgatewayroutes/{name}/dataplanes}: the builtin gateways using it. */
    private void gatewayRouteDataplanes(Context ctx) {
        ResourceKey key = existing(ctx, ResourceTypes.MESH_GATEWAY_ROUTE);
        Responses.json(ctx, 200, inspector.gatewayRouteDataplanes(key.mesh(), key.name())
                .orElseGet(InspectEndpoints::emptyList));
    }

    private ResourceKey existing(Context ctx, ResourceType<?> type) {
        String mesh = meshFromPath.resolve(ctx);
        ResourceKey key = new ResourceKey(type, mesh, ctx.pathParam("name"));
        if (manager.get(type, mesh, key.name()).isEmpty()) {
            throw new NotFoundException(key);
        }
        return key;
    }

    /** What a MeshGateway or route no gateway uses answers without an xDS side: {@code {"total":0,"items":[]}}. */
    private static JsonNode emptyList() {
        ObjectNode list = JsonNodeFactory.instance.objectNode();
        list.put("total", 0);
        list.putArray("items");
        return list;
    }

    private void policies(Context ctx) {
        ResourceKey key = existingDataplane(ctx);
        JsonNode policies = inspector.matchedPolicies(key.mesh(), key.name())
                .orElseThrow(() -> new NotFoundException(key));
        Responses.json(ctx, 200, policies);
    }

    private void xds(Context ctx) {
        ResourceKey key = existingDataplane(ctx);
        Optional<JsonNode> served = inspector.servedConfig(key.mesh(), key.name());
        if (served.isEmpty()) {
            throw ApiException.of(404, Titles.INSPECT_XDS, "Dataplane " + key.name() + " in mesh " + key.mesh()
                    + " is not connected to this control plane, so it is served no configuration");
        }
        Responses.json(ctx, 200, served.get());
    }

    private ResourceKey existingDataplane(Context ctx) {
        String mesh = meshFromPath.resolve(ctx);
        ResourceKey key = new ResourceKey(ResourceTypes.DATAPLANE, mesh, ctx.pathParam("name"));
        if (manager.get(ResourceTypes.DATAPLANE, mesh, key.name()).isEmpty()) {
            throw new NotFoundException(key);
        }
        return key;
    }
}
