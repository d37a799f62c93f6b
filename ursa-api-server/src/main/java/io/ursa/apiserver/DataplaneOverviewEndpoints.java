package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.NotFoundException;
import io.ursa.core.store.ResourcePage;
import java.util.List;
import java.util.Optional;

/**
 * {@code dataplanes+insights} (spec §8.2): each Dataplane with its DataplaneInsight,
 * {@code {"type":"DataplaneOverview","mesh","name","creationTime","modificationTime","dataplane":{…},"dataplaneInsight":{…}}},
 * the insight left out for a dataplane that never connected. Lists filter by {@link DataplaneFilter} and
 * {@code ?name=}; unlike Kuma 2.0, whose {@code total} was the size of the returned page, {@code total} counts
 * every match. Stateless and thread-safe.
 */
final class DataplaneOverviewEndpoints {
    static final String TYPE = "DataplaneOverview";
    private static final String WS = "/dataplanes+insights";

    private final ResourceManager manager;
    private final ResourceCodec codec;
    private final DataplaneInsights insights;
    private final ErrorMapper errors;
    private final MeshScope meshFromPath;

    DataplaneOverviewEndpoints(ResourceManager manager, ResourceCodec codec, DataplaneInsights insights,
                               ErrorMapper errors) {
        this.manager = requireNonNull(manager, "manager");
        this.codec = requireNonNull(codec, "codec");
        this.insights = requireNonNull(insights, "insights");
        this.errors = requireNonNull(errors, "errors");
        this.meshFromPath = MeshScope.fromPath(manager);
    }

    void addTo(Javalin app) {
        app.get("/meshes/{mesh}" + WS, errors.guard(Titles.LIST_OVERVIEWS, ctx -> list(ctx, meshFromPath)));
        app.get(WS, errors.guard(Titles.LIST_OVERVIEWS, ctx -> list(ctx, MeshScope.allMeshes())));
        app.get("/meshes/{mesh}" + WS + "/{name}", errors.guard(Titles.GET_OVERVIEW, this::getOne));
    }

    private void list(Context ctx, MeshScope scope) {
        Page page = Page.of(ctx);
        DataplaneFilter filter = DataplaneFilter.of(ctx);
        String mesh = scope.resolve(ctx);
        ListQuery query = new ListQuery(mesh, Optional.ofNullable(ctx.queryParam("name")).orElse(""), 0, 0);
        List<Resource<DataplaneSpec>> pageItems;
        long total;
        if (filter.acceptsAll()) {
            ResourcePage<DataplaneSpec> result = manager.list(ResourceTypes.DATAPLANE,
                    query.page(page.offset(), page.size()));
            pageItems = result.items();
            total = result.total();
        } else {
            List<Resource<DataplaneSpec>> matching = manager.list(ResourceTypes.DATAPLANE, query).items().stream()
                    .filter(dp -> filter.matches(new DataplaneView(codec.encodeSpec(dp.spec()))))
                    .toList();
            int from = Math.min(page.offset(), matching.size());
            pageItems = matching.subList(from, Math.min(matching.size(), from + page.size()));
            total = matching.size();
        }
        ListResponse.write(ctx, page, pageItems.stream().map(this::overview).toList(), total);
    }

    private void getOne(Context ctx) {
        String mesh = meshFromPath.resolve(ctx);
        String name = ctx.pathParam("name");
        Resource<DataplaneSpec> dataplane = manager.get(ResourceTypes.DATAPLANE, mesh, name)
                .orElseThrow(() -> new NotFoundException(new ResourceKey(ResourceTypes.DATAPLANE, mesh, name)));
        Responses.json(ctx, 200, overview(dataplane));
    }

    private ObjectNode overview(Resource<DataplaneSpec> dataplane) {
        ObjectNode out = MetaJson.of(TYPE, dataplane.mesh(), dataplane.name(), dataplane.meta().creationTime(),
                dataplane.meta().modificationTime());
        out.set("dataplane", codec.encodeSpec(dataplane.spec()));
        insights.insightOf(dataplane.mesh(), dataplane.name()).ifPresent(i -> out.set("dataplaneInsight", i.deepCopy()));
        return out;
    }
}
