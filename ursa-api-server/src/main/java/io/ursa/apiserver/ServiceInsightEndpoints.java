package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.validation.Violation;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.ListQuery;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Kuma 2.0's ServiceInsight per service ({@code pkg/api-server/service_insight_endpoints.go}):
 * {@code GET /meshes/{mesh}/service-insights} and {@code /service-insights} (every mesh) list
 * {@code {"type":"ServiceInsight","mesh","name","creationTime","modificationTime","status","dataplanes":{"total",
 * "online","offline"},"issuedBackends"?,"serviceType"?,"addressPort"?}} sorted by mesh and name, paged with
 * {@code size} and {@code offset} like every list; {@code GET /meshes/{mesh}/service-insights/{name}} answers one.
 * The statistics are computed on request ({@link ServiceInsights}), so both times are the time of the request.
 * Unlike Kuma, which answers a service it does not know with empty statistics, an unknown service is a 404
 * {@code Not found}. An unknown mesh is a 400 {@code Mesh is not found}, as for every mesh-scoped endpoint. Reading
 * needs what reading the mesh's Dataplanes and ExternalServices needs ({@link AccessChecks}). Stateless and
 * thread-safe.
 */
final class ServiceInsightEndpoints {
    static final String TYPE = "ServiceInsight";
    private static final String WS = "/service-insights";

    private final ResourceManager manager;
    private final ServiceInsights services;
    private final AccessChecks access;
    private final ErrorMapper errors;
    private final Clock clock;
    private final MeshScope meshFromPath;

    ServiceInsightEndpoints(ResourceManager manager, ServiceInsights services, AccessChecks access,
                            ErrorMapper errors, Clock clock) {
        this.manager = requireNonNull(manager, "manager");
        this.services = requireNonNull(services, "services");
        this.access = requireNonNull(access, "access");
        this.errors = requireNonNull(errors, "errors");
        this.clock = requireNonNull(clock, "clock");
        this.meshFromPath = MeshScope.fromPath(manager);
    }

    void addTo(Javalin app) {
        app.get("/meshes/{mesh}" + WS, errors.guard(Titles.LIST, ctx -> list(ctx, meshFromPath)));
        app.get(WS, errors.guard(Titles.LIST, ctx -> list(ctx, MeshScope.allMeshes())));
        app.get("/meshes/{mesh}" + WS + "/{name}", errors.guard(Titles.GET_ONE, this::getOne));
    }

    private void list(Context ctx, MeshScope scope) {
        Page page = Page.of(ctx);
        String mesh = scope.resolve(ctx);
        requireRead(ctx, mesh);
        List<String> meshes = mesh.isEmpty()
                ? manager.list(ResourceTypes.MESH, ListQuery.all()).items().stream().map(Resource::name)
                        .sorted().toList()
                : List.of(mesh);
        Instant now = now();
        List<ObjectNode> items = new ArrayList<>();
        for (String m : meshes) {
            services.of(m).forEach((name, stat) -> items.add(stat.writeTo(MetaJson.of(TYPE, m, name, now, now))));
        }
        int from = Math.min(page.offset(), items.size());
        ListResponse.write(ctx, page, items.subList(from, Math.min(items.size(), from + page.size())),
                items.size());
    }

    private void getOne(Context ctx) {
        String mesh = meshFromPath.resolve(ctx);
        String name = ctx.pathParam("name");
        requireRead(ctx, mesh);
        ServiceStat stat = services.of(mesh).get(name);
        if (stat == null) {
            throw ApiException.of(404, Titles.GET_ONE, "Not found", new Violation("name", "no Dataplane inbound,"
                    + " gateway or ExternalService of mesh " + mesh + " has service " + name));
        }
        Instant now = now();
        Responses.json(ctx, 200, stat.writeTo(MetaJson.of(TYPE, mesh, name, now, now)));
    }

    private void requireRead(Context ctx, String mesh) {
        access.requireRead(ctx, ResourceTypes.DATAPLANE, mesh, "");
        access.requireRead(ctx, ResourceTypes.EXTERNAL_SERVICE, mesh, "");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
