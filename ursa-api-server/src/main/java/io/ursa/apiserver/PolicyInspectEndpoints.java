package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.ursa.api.codec.Json;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.NotFoundException;
import java.util.List;
import java.util.Map;

/**
 * Kuma 2.0's inspect endpoint of a policy ({@code pkg/api-server/inspect_endpoints.go}, {@code inspectPolicies}):
 * {@code GET /meshes/{mesh}/{ws}/{name}/dataplanes} for each {@link ResourceTypes#inspectable() inspectable} type
 * answers {@code {"total","items":[{"kind","dataplane":{"mesh","name"},"attachments":[...]}]}}, the Dataplanes of
 * the mesh the policy hits, by name, and where ({@link PolicyHits}). The matching is the
 * {@link DataplaneInspector}'s, the same that answers {@code GET /meshes/{mesh}/dataplanes/{name}/policies}. Like
 * Kuma the answer is not paged; unlike Kuma, which answers an unknown policy with no Dataplanes, an unknown policy
 * is a 404 {@code Not found}. An unknown mesh is a 400 {@code Mesh is not found}, as for every mesh-scoped endpoint;
 * a type that cannot be inspected has no such endpoint (404). Reading needs what reading the policy and the mesh's
 * Dataplanes needs ({@link AccessChecks}). Stateless and thread-safe.
 */
final class PolicyInspectEndpoints {
    private final ResourceManager manager;
    private final ResourceTypes types;
    private final DataplaneInspector inspector;
    private final AccessChecks access;
    private final ErrorMapper errors;
    private final MeshScope meshFromPath;

    PolicyInspectEndpoints(ResourceManager manager, ResourceTypes types, DataplaneInspector inspector,
                           AccessChecks access, ErrorMapper errors) {
        this.manager = requireNonNull(manager, "manager");
        this.types = requireNonNull(types, "types");
        this.inspector = requireNonNull(inspector, "inspector");
        this.access = requireNonNull(access, "access");
        this.errors = requireNonNull(errors, "errors");
        this.meshFromPath = MeshScope.fromPath(manager);
    }

    void addTo(Javalin app) {
        for (ResourceType<?> type : types.inspectable()) {
            app.get("/meshes/{mesh}/" + type.wsPath() + "/{name}/dataplanes",
                    errors.guard(Titles.INSPECT_POLICY, ctx -> dataplanes(ctx, type)));
        }
    }

    private void dataplanes(Context ctx, ResourceType<?> type) {
        String mesh = meshFromPath.resolve(ctx);
        String name = ctx.pathParam("name");
        access.requireRead(ctx, type, mesh, name);
        access.requireRead(ctx, ResourceTypes.DATAPLANE, mesh, "");
        if (manager.get(type, mesh, name).isEmpty()) {
            throw new NotFoundException(new ResourceKey(type, mesh, name));
        }
        List<String> dataplanes = manager.list(ResourceTypes.DATAPLANE, ListQuery.inMesh(mesh)).items().stream()
                .map(Resource::name).sorted().toList();
        Map<String, JsonNode> matched = inspector.matchedPolicies(mesh, dataplanes);
        ObjectNode out = Json.json().createObjectNode();
        ArrayNode items = Json.json().createArrayNode();
        for (String dataplane : dataplanes) {
            JsonNode policies = matched.get(dataplane);
            if (policies != null) {
                PolicyHits.entry(mesh, dataplane, policies, type.name(), name).ifPresent(items::add);
            }
        }
        out.put("total", items.size());
        out.set("items", items);
        Responses.json(ctx, 200, out);
    }
}
