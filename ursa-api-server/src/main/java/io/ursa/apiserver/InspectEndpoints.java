package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.NotFoundException;
import java.util.Optional;

/**
 * Kuma's inspect endpoints of one dataplane: {@code GET /meshes/{mesh}/dataplanes/{name}/policies}, the policies
 * that match it per attachment point, and {@code GET /meshes/{mesh}/dataplanes/{name}/xds}, the configuration
 * its proxy is served. Unlike Kuma, whose {@code /xds} relays the Envoy admin's {@code config_dump}, Ursa shows
 * what the control plane serves (so also for proxyless gRPC applications, which have no admin), with private keys
 * redacted. An unknown mesh is a 400, an unknown Dataplane a 404 {@code Not found}; a Dataplane whose proxy is not
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
