package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.policy.ExternalServiceSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.ListQuery;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The services of a mesh and their statistics, computed from its Dataplanes, their insights and its
 * ExternalServices the way Kuma 2.0's insight resyncer builds its ServiceInsight ({@code pkg/insights/resyncer.go},
 * {@code createOrUpdateServiceInsight}); Kuma stores and resyncs it, Ursa computes it on request, so it is always
 * fresh:
 * <ul>
 *   <li>each inbound's {@code kuma.io/service} is an {@code internal} service at
 *       {@code <service>.}{@value #DNS_DOMAIN}{@code :}{@value #VIP_PORT} (Kuma's default {@code dnsServer.domain}
 *       and {@code serviceVipPort}, which Ursa's VIPs use); a Dataplane counts once per inbound of the service;</li>
 *   <li>a gateway's {@code kuma.io/service} is a {@code gateway_delegated} or {@code gateway_builtin} service,
 *       with no address;</li>
 *   <li>each ExternalService's service is {@code external} at its {@code networking.address}.</li>
 * </ul>
 * Stateless and thread-safe.
 */
final class ServiceInsights {
    static final String DNS_DOMAIN = "mesh";
    static final int VIP_PORT = 80;

    private final ResourceManager manager;
    private final ResourceCodec codec;
    private final DataplaneInsights insights;

    ServiceInsights(ResourceManager manager, ResourceCodec codec, DataplaneInsights insights) {
        this.manager = requireNonNull(manager, "manager");
        this.codec = requireNonNull(codec, "codec");
        this.insights = requireNonNull(insights, "insights");
    }

    /** The services of {@code mesh} by name; empty when it has none (or there is no such mesh). */
    SortedMap<String, ServiceStat> of(String mesh) {
        SortedMap<String, ServiceStat> services = new TreeMap<>();
        for (Resource<DataplaneSpec> dp : manager.list(ResourceTypes.DATAPLANE, ListQuery.inMesh(mesh)).items()) {
            JsonNode spec = codec.encodeSpec(dp.spec());
            DataplaneView view = new DataplaneView(spec);
            Optional<JsonNode> insight = insights.insightOf(mesh, dp.name());
            DataplaneStatus status = DataplaneStatus.of(view, insight);
            String backend = insight.map(i -> i.path("mTLS").path("issuedBackend").asText("")).orElse("");
            JsonNode gateway = spec.path("networking").path("gateway");
            if (gateway.isObject()) {
                ServiceStat.Type type = "BUILTIN".equals(gateway.path("type").asText())
                        ? ServiceStat.Type.GATEWAY_BUILTIN : ServiceStat.Type.GATEWAY_DELEGATED;
                String service = gateway.path("tags").path(DataplaneView.SERVICE_TAG).asText("");
                if (!service.isEmpty()) {
                    services.computeIfAbsent(service, s -> new ServiceStat(type, "")).addDataplane(status, backend);
                }
            }
            for (String service : view.inboundServices()) {
                services.computeIfAbsent(service, s -> new ServiceStat(ServiceStat.Type.INTERNAL,
                        s + "." + DNS_DOMAIN + ":" + VIP_PORT)).addDataplane(status, backend);
            }
        }
        for (Resource<ExternalServiceSpec> es
                : manager.list(ResourceTypes.EXTERNAL_SERVICE, ListQuery.inMesh(mesh)).items()) {
            JsonNode spec = codec.encodeSpec(es.spec());
            String service = spec.path("tags").path(DataplaneView.SERVICE_TAG).asText("");
            String address = spec.path("networking").path("address").asText("");
            services.computeIfAbsent(service, s -> new ServiceStat(ServiceStat.Type.EXTERNAL, address))
                    .addExternalService();
        }
        return services;
    }
}
