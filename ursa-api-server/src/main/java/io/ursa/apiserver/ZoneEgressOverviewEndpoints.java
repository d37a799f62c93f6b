package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.zoneegress.ZoneEgressSpec;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.NotFoundException;
import io.ursa.core.store.ResourcePage;
import java.util.Optional;

/**
 * {@code /zoneegressoverviews} (Kuma's {@code zoneegressoverview_endpoints.go}): each ZoneEgress with the insight of
 * its proxy's connections, {@code {"type":"ZoneEgressOverview","name","creationTime","modificationTime",
 * "zoneEgress":{…},"zoneEgressInsight":{…}}}, the insight left out for one whose proxy never connected to this
 * control plane. Lists page and filter by {@code ?name=} as every list. Stateless and thread-safe.
 */
final class ZoneEgressOverviewEndpoints {
    static final String TYPE = "ZoneEgressOverview";
    private static final String WS = "/zoneegressoverviews";

    private final ResourceManager manager;
    private final ResourceCodec codec;
    private final DataplaneInsights insights;
    private final ErrorMapper errors;

    ZoneEgressOverviewEndpoints(ResourceManager manager, ResourceCodec codec, DataplaneInsights insights,
                                ErrorMapper errors) {
        this.manager = requireNonNull(manager, "manager");
        this.codec = requireNonNull(codec, "codec");
        this.insights = requireNonNull(insights, "insights");
        this.errors = requireNonNull(errors, "errors");
    }

    void addTo(Javalin app) {
        app.get(WS, errors.guard(Titles.LIST_ZONE_EGRESS_OVERVIEWS, this::list));
        app.get(WS + "/{name}", errors.guard(Titles.GET_ZONE_EGRESS_OVERVIEW, this::getOne));
    }

    private void list(Context ctx) {
        Page page = Page.of(ctx);
        ListQuery query = new ListQuery("", Optional.ofNullable(ctx.queryParam("name")).orElse(""), 0, 0);
        ResourcePage<ZoneEgressSpec> result = manager.list(ResourceTypes.ZONE_EGRESS,
                query.page(page.offset(), page.size()));
        ListResponse.write(ctx, page, result.items().stream().map(this::overview).toList(), result.total());
    }

    private void getOne(Context ctx) {
        String name = ctx.pathParam("name");
        Resource<ZoneEgressSpec> zoneEgress = manager.get(ResourceTypes.ZONE_EGRESS, "", name)
                .orElseThrow(() -> new NotFoundException(new ResourceKey(ResourceTypes.ZONE_EGRESS, "", name)));
        Responses.json(ctx, 200, overview(zoneEgress));
    }

    private ObjectNode overview(Resource<ZoneEgressSpec> zoneEgress) {
        ObjectNode out = MetaJson.of(TYPE, "", zoneEgress.name(), zoneEgress.meta().creationTime(),
                zoneEgress.meta().modificationTime());
        out.set("zoneEgress", codec.encodeSpec(zoneEgress.spec()));
        insights.insightOf("", zoneEgress.name()).ifPresent(i -> out.set("zoneEgressInsight", i.deepCopy()));
        return out;
    }
}
