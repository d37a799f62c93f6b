package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.policy.TrafficRouteSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.spec.Tags;
import io.ursa.xds.context.CarriedKey;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.ProxyKind;
import io.ursa.xds.context.ProxyMetadata;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A change of a mesh that only touched some of its Dataplanes (an instance came, went, or changed its inbounds or
 * health: a deploy, autoscaling) and policies confined to some destination services (a Timeout, Retry,
 * CircuitBreaker or HealthCheck for {@code kuma.io/service: backend}; {@link DestinationPolicyChange}), found by
 * comparing the mesh's contexts before and after. Everything else of the mesh (the Mesh, its other policies,
 * ExternalServices, mTLS, VIPs, cross-mesh listeners, gateway certificates) must be equal, or it is no narrow
 * change and every proxy is regenerated, as for any change.
 *
 * <p>For a narrow change, a proxy needs a new configuration only when its own Dataplane changed or it reaches a
 * service whose endpoints or destination policies changed. Only a plain Envoy sidecar is judged that way: one
 * without transparent proxying (whose outbounds, VIPs and direct-access clusters come from every Dataplane of the
 * mesh), not a gateway, not a proxyless gRPC application (whose clients know every service). The services a
 * sidecar reaches are those of its outbounds and every service a TrafficRoute of the mesh sends to by name (a
 * split to another service); a route to {@code kuma.io/service: '*'} stays on the outbound's own service.
 * Anything not judged is regenerated. Immutable.
 */
final class NarrowChange {
    private final Set<String> changedServices;
    private final Set<String> changedDataplanes;
    private final boolean policiesChanged;
    /** Whether a TrafficRoute of the mesh sends traffic to a changed service by name. */
    private final boolean routedToChanged;

    private NarrowChange(Set<String> changedServices, Set<String> changedDataplanes, Set<String> routedServices,
                         boolean policiesChanged) {
        this.changedServices = changedServices;
        this.changedDataplanes = changedDataplanes;
        this.policiesChanged = policiesChanged;
        this.routedToChanged = routedServices.stream().anyMatch(changedServices::contains);
    }

    /**
     * The narrow change from {@code before} to {@code after}, or empty when more than Dataplanes and destination
     * policies changed.
     */
    static Optional<NarrowChange> between(MeshContext before, MeshContext after) {
        requireNonNull(before, "before");
        requireNonNull(after, "after");
        if (!before.sameBesidesDataplanesAndPolicies(after)) {
            return Optional.empty();
        }
        Optional<Set<String>> policyServices = DestinationPolicyChange.services(before.policies(), after.policies());
        if (policyServices.isEmpty()) {
            return Optional.empty();
        }
        Set<String> services = new HashSet<>(policyServices.get());
        addChanged(services, before.endpoints(), after.endpoints());
        addChanged(services, before.applicationEndpoints(), after.applicationEndpoints());
        return Optional.of(new NarrowChange(services, changedDataplanes(before.dataplanes(), after.dataplanes()),
                routedServices(after), !before.policies().equals(after.policies())));
    }

    /**
     * Carries what {@code before}'s proxies computed and this change leaves as it was into {@code after}'s shared
     * resources ({@link CarriedKey}): nothing when a TrafficRoute of the mesh sends traffic to a changed service by
     * name (whose effect on other services' routes the keys do not say), as then every proxy is regenerated anyway.
     *
     * @return how many values were carried
     */
    int carry(MeshContext before, MeshContext after) {
        if (routedToChanged) {
            return 0;
        }
        return after.shared().carryFrom(before.shared(), changedServices, policiesChanged);
    }

    /**
     * Whether the proxy of Dataplane {@code dataplane} (with {@code metadata}) may have a new configuration after
     * this change; false only when it certainly has not.
     */
    boolean mayChange(Resource<DataplaneSpec> dataplane, ProxyMetadata metadata) {
        if (changedDataplanes.contains(dataplane.name()) || metadata.kind() != ProxyKind.ENVOY) {
            return true;
        }
        DataplaneSpec.Networking networking = dataplane.spec().networking();
        if (networking == null || networking.gateway() != null || networking.redirectsOutbound()) {
            return true;
        }
        if (routedToChanged) {
            return true;
        }
        for (DataplaneSpec.Outbound outbound : networking.outbound()) {
            String service = outbound.service().isEmpty() ? outbound.tags().getOrDefault(Tags.SERVICE, "")
                    : outbound.service();
            if (service.isEmpty() || changedServices.contains(service)) {
                return true;
            }
        }
        return false;
    }

    /** The services whose endpoints or destination policies changed. */
    Set<String> changedServices() {
        return Set.copyOf(changedServices);
    }

    private static <T> void addChanged(Set<String> into, Map<String, List<T>> before, Map<String, List<T>> after) {
        for (Map.Entry<String, List<T>> entry : before.entrySet()) {
            if (!entry.getValue().equals(after.get(entry.getKey()))) {
                into.add(entry.getKey());
            }
        }
        for (String service : after.keySet()) {
            if (!before.containsKey(service)) {
                into.add(service);
            }
        }
    }

    /** Dataplanes added, removed, or whose spec changed. */
    private static Set<String> changedDataplanes(List<Resource<DataplaneSpec>> before,
                                                 List<Resource<DataplaneSpec>> after) {
        Map<String, DataplaneSpec> old = new HashMap<>();
        before.forEach(d -> old.put(d.name(), d.spec()));
        Set<String> changed = new HashSet<>();
        for (Resource<DataplaneSpec> dataplane : after) {
            DataplaneSpec previous = old.remove(dataplane.name());
            // the store hands out the instance it decoded before for a row that did not change
            if (previous != dataplane.spec() && !Objects.equals(previous, dataplane.spec())) {
                changed.add(dataplane.name());
            }
        }
        changed.addAll(old.keySet());
        return changed;
    }

    /** Every service a TrafficRoute of the mesh names as where traffic goes (not {@code *}). */
    private static Set<String> routedServices(MeshContext mesh) {
        Set<String> services = new HashSet<>();
        for (Resource<?> route : mesh.policies().getOrDefault(ResourceTypes.TRAFFIC_ROUTE, List.of())) {
            TrafficRouteSpec.Conf conf = ((TrafficRouteSpec) route.spec()).conf();
            if (conf == null) {
                continue;
            }
            addService(services, conf.destination());
            addSplits(services, conf.split());
            for (TrafficRouteSpec.Http http : conf.http()) {
                addService(services, http.destination());
                addSplits(services, http.split());
            }
        }
        return services;
    }

    private static void addSplits(Set<String> services, List<TrafficRouteSpec.Split> splits) {
        for (TrafficRouteSpec.Split split : splits) {
            addService(services, split.destination());
        }
    }

    private static void addService(Set<String> services, Map<String, String> destination) {
        String service = destination.getOrDefault(Tags.SERVICE, "*");
        if (!service.equals("*")) {
            services.add(service);
        }
    }
}
