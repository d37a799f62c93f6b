package io.ursa.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.store.ResourceStore;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.MeshContextBuilder;
import io.ursa.xds.context.ProxyMetadata;
import io.ursa.xds.testing.XdsFixtures;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which proxies a change of a mesh can reach: after an instance comes, goes or changes health, or a Timeout, Retry,
 * CircuitBreaker or HealthCheck for named services changes, only the plain sidecars that call those services, and
 * the proxies that are not plain sidecars (transparent, gateway, proxyless, the changed Dataplane itself); after
 * any other change, every proxy.
 */
class NarrowChangeTest {
    private static final String MESH = XdsFixtures.SHOP_ROUTING_ALL + """
            type: Dataplane
            mesh: shop
            name: web-1
            networking:
              address: 10.0.0.1
              inbound: [{port: 8080, tags: {kuma.io/service: web}}]
              outbound: [{port: 20001, tags: {kuma.io/service: backend}}]
            ---
            type: Dataplane
            mesh: shop
            name: admin-1
            networking:
              address: 10.0.0.2
              inbound: [{port: 8080, tags: {kuma.io/service: admin}}]
              outbound: [{port: 20002, tags: {kuma.io/service: billing}}]
            ---
            type: Dataplane
            mesh: shop
            name: edge-1
            networking:
              address: 10.0.0.3
              inbound: [{port: 8080, tags: {kuma.io/service: edge}}]
              transparentProxying: {redirectPortInbound: 15006, redirectPortOutbound: 15001}
            ---
            type: Dataplane
            mesh: shop
            name: backend-1
            networking:
              address: 10.0.0.4
              inbound: [{port: 8080, tags: {kuma.io/service: backend}}]
            """;
    private static final String BACKEND_2 = """
            type: Dataplane
            mesh: shop
            name: backend-2
            networking:
              address: 10.0.0.5
              inbound: [{port: 8080, tags: {kuma.io/service: backend}}]
            """;

    private final ResourceStore store = XdsFixtures.store(MESH);
    private final MeshContextBuilder builder = new MeshContextBuilder(store, ResourceTypes.standard());

    @Test
    void anInstanceThatComesReachesItsCallersOnlyAndEveryProxyThatIsNotAPlainSidecar() {
        MeshContext before = build();
        write(BACKEND_2);
        MeshContext after = build();

        NarrowChange change = NarrowChange.between(before, after).orElseThrow();

        assertThat(change.changedServices()).containsExactly("backend");
        assertThat(mayChange(change, after, "web-1", ProxyMetadata.envoy())).as("calls backend").isTrue();
        assertThat(mayChange(change, after, "admin-1", ProxyMetadata.envoy())).as("calls billing only").isFalse();
        assertThat(mayChange(change, after, "backend-1", ProxyMetadata.envoy())).as("calls nothing").isFalse();
        assertThat(mayChange(change, after, "backend-2", ProxyMetadata.envoy())).as("the new instance").isTrue();
        assertThat(mayChange(change, after, "edge-1", ProxyMetadata.envoy()))
                .as("transparent proxying: its outbounds come from every Dataplane").isTrue();
        assertThat(mayChange(change, after, "admin-1", ProxyMetadata.grpc()))
                .as("a proxyless gRPC application knows every service").isTrue();
    }

    @Test
    void anInstanceThatTurnsUnhealthyOrGoesChangesItsServiceAndAnUnhealthyOneThatGoesChangesNothing() {
        write(BACKEND_2);
        MeshContext healthy = build();
        store.delete(new ResourceKey(ResourceTypes.DATAPLANE, "shop", "backend-2"));
        MeshContext gone = build();
        write(BACKEND_2.replace("tags: {kuma.io/service: backend}}]",
                "tags: {kuma.io/service: backend}, health: {ready: false}}]"));
        MeshContext unhealthy = build();
        store.delete(new ResourceKey(ResourceTypes.DATAPLANE, "shop", "backend-2"));
        MeshContext goneAgain = build();

        assertThat(NarrowChange.between(healthy, gone).orElseThrow().changedServices()).containsExactly("backend");
        assertThat(NarrowChange.between(healthy, unhealthy).orElseThrow().changedServices())
                .containsExactly("backend");
        NarrowChange unseen = NarrowChange.between(unhealthy, goneAgain).orElseThrow();
        assertThat(unseen.changedServices()).as("it was no endpoint").isEmpty();
        assertThat(mayChange(unseen, goneAgain, "web-1", ProxyMetadata.envoy())).isFalse();
    }

    @Test
    void aRouteToAnotherServiceByNameMakesEveryCallerDependOnIt() {
        write("""
                type: TrafficRoute
                mesh: shop
                name: canary
                sources: [{match: {kuma.io/service: '*'}}]
                destinations: [{match: {kuma.io/service: billing}}]
                conf:
                  split:
                  - {weight: 90, destination: {kuma.io/service: billing}}
                  - {weight: 10, destination: {kuma.io/service: backend}}
                """);
        MeshContext before = build();
        write(BACKEND_2);
        MeshContext after = build();

        NarrowChange change = NarrowChange.between(before, after).orElseThrow();

        assertThat(mayChange(change, after, "admin-1", ProxyMetadata.envoy()))
                .as("billing's route sends a tenth to backend").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "type: Timeout\nconf: {connectTimeout: 9s}",
        "type: Retry\nconf: {http: {numRetries: 7}}",
        "type: CircuitBreaker\nconf: {thresholds: {maxConnections: 7}}",
        "type: HealthCheck\nconf: {interval: 9s, timeout: 2s, unhealthyThreshold: 3, healthyThreshold: 1}"})
    void aDestinationPolicyForOneServiceReachesItsCallersOnlyAndEveryProxyThatIsNotAPlainSidecar(String policy) {
        MeshContext before = build();
        write(policy(policy, "backend-policy", "{kuma.io/service: backend}"));
        MeshContext after = build();

        NarrowChange change = NarrowChange.between(before, after).orElseThrow();

        assertThat(change.changedServices()).containsExactly("backend");
        assertThat(mayChange(change, after, "web-1", ProxyMetadata.envoy())).as("calls backend").isTrue();
        assertThat(mayChange(change, after, "admin-1", ProxyMetadata.envoy())).as("calls billing only").isFalse();
        assertThat(mayChange(change, after, "backend-1", ProxyMetadata.envoy()))
                .as("is backend, calls nothing: the policy is its callers'").isFalse();
        assertThat(mayChange(change, after, "edge-1", ProxyMetadata.envoy())).as("transparent proxying").isTrue();
        assertThat(mayChange(change, after, "admin-1", ProxyMetadata.grpc())).as("proxyless gRPC").isTrue();
    }

    @Test
    void aPolicyThatMovesFromOneServiceToAnotherOrGoesReachesTheCallersOfBoth() {
        MeshContext onBackend = withTimeout("slow", "{kuma.io/service: backend}");
        MeshContext onBilling = withTimeout("slow", "{kuma.io/service: billing}");
        store.delete(new ResourceKey(ResourceTypes.TIMEOUT, "shop", "slow"));
        MeshContext gone = build();

        NarrowChange moved = NarrowChange.between(onBackend, onBilling).orElseThrow();
        assertThat(moved.changedServices()).containsExactlyInAnyOrder("backend", "billing");
        assertThat(reachedSidecars(moved, onBilling)).containsExactly("web-1", "admin-1");
        NarrowChange removed = NarrowChange.between(onBilling, gone).orElseThrow();
        assertThat(removed.changedServices()).containsExactly("billing");
        assertThat(reachedSidecars(removed, gone)).containsExactly("admin-1");
    }

    @Test
    void aPolicyForOneServiceAndAnInstanceOfAnotherReachTheCallersOfBoth() {
        MeshContext before = build();
        write(policy("type: Timeout\nconf: {connectTimeout: 9s}", "slow-billing", "{kuma.io/service: billing}"));
        write(BACKEND_2);
        MeshContext after = build();

        NarrowChange change = NarrowChange.between(before, after).orElseThrow();

        assertThat(change.changedServices()).containsExactlyInAnyOrder("backend", "billing");
        assertThat(reachedSidecars(change, after)).containsExactly("web-1", "admin-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // every service, or no service named
        "type: Timeout\nconf: {connectTimeout: 9s}|{kuma.io/service: '*'}",
        "type: Timeout\nconf: {connectTimeout: 9s}|{version: v2}",
        "type: Retry\nconf: {http: {numRetries: 7}}|{kuma.io/service: '*'}",
        // kinds that apply to inbounds, to whole proxies, or decide where traffic goes
        "type: TrafficPermission|{kuma.io/service: backend}",
        "type: FaultInjection\nconf: {delay: {percentage: 50, value: 1s}}|{kuma.io/service: backend}",
        "type: RateLimit\nconf: {http: {requests: 5, interval: 1s}}|{kuma.io/service: backend}",
        "type: TrafficLog|{kuma.io/service: backend}",
        "type: TrafficRoute\nconf: {destination: {kuma.io/service: backend}}|{kuma.io/service: backend}"})
    void anyOtherPolicyChangeIsNoNarrowChange(String policyAndDestination) {
        String[] parts = policyAndDestination.split("\\|");
        MeshContext before = build();
        write(policy(parts[0], "other", parts[1]));
        write(BACKEND_2);
        MeshContext after = build();

        assertThat(NarrowChange.between(before, after)).as(parts[0]).isEmpty();
    }

    @Test
    void aPolicyForOneServiceThatNowSelectsEveryServiceIsNoNarrowChange() {
        MeshContext before = withTimeout("slow", "{kuma.io/service: backend}");
        MeshContext after = withTimeout("slow", "{kuma.io/service: '*'}");

        assertThat(NarrowChange.between(before, after)).isEmpty();
        assertThat(NarrowChange.between(after, before)).as("and back").isEmpty();
    }

    /** The mesh after writing Timeout {@code name} (9 s) from every source to {@code destination}. */
    private MeshContext withTimeout(String name, String destination) {
        write(policy("type: Timeout\nconf: {connectTimeout: 9s}", name, destination));
        return build();
    }

    /** A policy of mesh shop from every source to {@code destination}; {@code typeAndConf} starts with its type. */
    private static String policy(String typeAndConf, String name, String destination) {
        return typeAndConf + "\nmesh: shop\nname: " + name + "\nsources: [{match: {kuma.io/service: '*'}}]\n"
                + "destinations: [{match: " + destination + "}]\n";
    }

    private MeshContext build() {
        return builder.build("shop").orElseThrow();
    }

    /** Which of the plain sidecars web-1 (calls backend), admin-1 (billing) and backend-1 the change may reach. */
    private static List<String> reachedSidecars(NarrowChange change, MeshContext mesh) {
        return Stream.of("web-1", "admin-1", "backend-1")
                .filter(name -> mayChange(change, mesh, name, ProxyMetadata.envoy())).toList();
    }

    private static boolean mayChange(NarrowChange change, MeshContext mesh, String dataplane, ProxyMetadata metadata) {
        Optional<Resource<DataplaneSpec>> found = mesh.proxy(dataplane).map(p -> p.dataplane());
        return change.mayChange(found.orElseThrow(), metadata);
    }

    private void write(String yaml) {
        XdsFixtures.write(store, yaml);
    }
}
