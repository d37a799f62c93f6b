package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.ursa.api.codec.Json;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.NotFoundException;
import io.ursa.core.store.ResourcePage;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Statistics computed on request (Kuma stores and resyncs them; computing them is always fresh):
 * {@code /mesh-insights[/{name}]} (MeshInsight, spec §8.3, times = when computed, plus Ursa's {@code meshCa}: see
 * {@link MeshCaInsight}, and {@code crossMesh}: see {@link CrossMeshInsight}) and {@code /global-insights}
 * ({@code {"type":"GlobalInsights","creationTime","resources":{"<GlobalType>":{"total"}}}}). Stateless and
 * thread-safe.
 */
final class InsightEndpoints {
    static final String MESH_INSIGHT = "MeshInsight";

    private final ResourceManager manager;
    private final ResourceTypes types;
    private final ResourceCodec codec;
    private final DataplaneInsights insights;
    private final MeshCaInsight meshCa;
    private final CrossMeshInsight crossMesh;
    private final ErrorMapper errors;
    private final Clock clock;

    InsightEndpoints(ResourceManager manager, ResourceTypes types, ResourceCodec codec, DataplaneInsights insights,
                     MeshCaInsight meshCa, CrossMeshInsight crossMesh, ErrorMapper errors, Clock clock) {
        this.manager = requireNonNull(manager, "manager");
        this.types = requireNonNull(types, "types");
        this.codec = requireNonNull(codec, "codec");
        this.insights = requireNonNull(insights, "insights");
        this.meshCa = requireNonNull(meshCa, "meshCa");
        this.crossMesh = requireNonNull(crossMesh, "crossMesh");
        this.errors = requireNonNull(errors, "errors");
        this.clock = requireNonNull(clock, "clock");
    }

    void addTo(Javalin app) {
        app.get("/mesh-insights", errors.guard(Titles.LIST, this::listMeshInsights));
        app.get("/mesh-insights/{name}", errors.guard(Titles.GET_ONE, this::getMeshInsight));
        app.get("/global-insights", errors.guard(Titles.GLOBAL_INSIGHTS, this::globalInsights));
    }

    private void listMeshInsights(Context ctx) {
        Page page = Page.of(ctx);
        String nameContains = Optional.ofNullable(ctx.queryParam("name")).orElse("");
        ResourcePage<MeshSpec> meshes = manager.list(ResourceTypes.MESH,
                new ListQuery("", nameContains, page.offset(), page.size()));
        Instant now = now();
        List<ObjectNode> items = meshes.items().stream().map(mesh -> meshInsight(mesh, now)).toList();
        ListResponse.write(ctx, page, items, meshes.total());
    }

    private void getMeshInsight(Context ctx) {
        String name = ctx.pathParam("name");
        Resource<MeshSpec> mesh = manager.get(ResourceTypes.MESH, "", name)
                .orElseThrow(() -> new NotFoundException(ResourceKey.global(ResourceTypes.MESH, name)));
        Responses.json(ctx, 200, meshInsight(mesh, now()));
    }

    private ObjectNode meshInsight(Resource<MeshSpec> meshResource, Instant now) {
        String mesh = meshResource.name();
        MeshInsightCounts counts = new MeshInsightCounts();
        for (Resource<DataplaneSpec> dp : manager.list(ResourceTypes.DATAPLANE, ListQuery.inMesh(mesh)).items()) {
            DataplaneView view = new DataplaneView(codec.encodeSpec(dp.spec()));
            counts.addDataplane(view, DataplaneStatus.of(view, insights.insightOf(mesh, dp.name())));
        }
        for (ResourceType<?> policy : types.policies()) {
            counts.addPolicies(policy.name(), manager.store().count(policy, mesh));
        }
        manager.list(ResourceTypes.EXTERNAL_SERVICE, ListQuery.inMesh(mesh)).items()
                .forEach(es -> counts.addExternalService(codec.encodeSpec(es.spec())));
        ObjectNode insight = counts.writeTo(MetaJson.of(MESH_INSIGHT, "", mesh, now, now));
        return crossMesh.writeTo(meshCa.writeTo(insight, mesh, meshResource.spec()), meshResource);
    }

    private void globalInsights(Context ctx) {
        ObjectNode out = Json.json().createObjectNode();
        out.put("type", "GlobalInsights");
        out.put("creationTime", ResourceCodec.formatTime(now()));
        ObjectNode resources = out.putObject("resources");
        for (ResourceType<?> type : types.all()) {
            if (!type.isMeshScoped() && !type.name().endsWith("Insight")) {
                resources.putObject(type.name()).put("total", manager.store().count(type, ""));
            }
        }
        Responses.json(ctx, 200, out);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
