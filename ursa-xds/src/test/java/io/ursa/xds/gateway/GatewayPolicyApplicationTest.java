package io.ursa.xds.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.generator.Profiles;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.testing.StrictEnvoyProtos;
import io.ursa.xds.testing.XdsFixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Connection policies change the gateway's routes and clusters as Kuma's gateway applies them (selected by the
 * listener's tags as source and the backend's tags as destination), and unusable certificates leave their listener
 * out.
 */
class GatewayPolicyApplicationTest {
    private static final Path FULL = XdsFixtures.TESTDATA.resolve("gateway/full.input.yaml");

    @Test
    void aTimeoutForTheListenerChangesItsRoutesAndClusters() {
        ResourceSet resources = generate("""
                ---
                type: Timeout
                mesh: default
                name: http-listener-slow
                sources: [{match: {port: http}}]
                destinations: [{match: {kuma.io/service: web}}]
                conf:
                  connectTimeout: 2s
                  http: {requestTimeout: 42s, idleTimeout: 60s}
                """);

        Route exact = route(resources, "edge-gateway:HTTP:8080", "*", "/exact");
        assertThat(exact.getRoute().getTimeout().getSeconds()).isEqualTo(42);
        Cluster web = resources.get(Cluster.class, exact.getRoute().getWeightedClusters().getClusters(0).getName())
                .orElseThrow();
        assertThat(web.getConnectTimeout().getSeconds()).isEqualTo(2);
        // the HTTPS listener's tags are not selected: its api route keeps the default 15s
        assertThat(route(resources, "edge-gateway:HTTPS:8443", "api.example.com", "/").getRoute().getTimeout().getSeconds())
                .isEqualTo(15);
    }

    @Test
    void aRetryForTheDestinationChangesTheRoutesRetryPolicy() {
        ResourceSet resources = generate("""
                ---
                type: Retry
                mesh: default
                name: web-retries
                sources: [{match: {kuma.io/service: edge}}]
                destinations: [{match: {kuma.io/service: web}}]
                conf:
                  http: {numRetries: 2, retryOn: [all_5xx], retriableStatusCodes: [503]}
                """);

        var policy = route(resources, "edge-gateway:HTTP:8080", "*", "/exact").getRoute().getRetryPolicy();
        assertThat(policy.getNumRetries().getValue()).isEqualTo(2);
        assertThat(policy.getRetryOn()).isEqualTo("5xx,retriable-status-codes");
        assertThat(policy.getRetriableStatusCodesList()).containsExactly(503);
        // api still gets the default retry
        assertThat(route(resources, "edge-gateway:HTTPS:8443", "api.example.com", "/").getRoute().getRetryPolicy().getNumRetries()
                .getValue()).isEqualTo(5);
    }

    @Test
    void circuitBreakerHealthCheckAndRateLimitApplyToTheDestination() {
        ResourceSet resources = generate("""
                ---
                type: CircuitBreaker
                mesh: default
                name: api-breaker
                sources: [{match: {kuma.io/service: edge}}]
                destinations: [{match: {kuma.io/service: api}}]
                conf:
                  thresholds: {maxConnections: 7}
                ---
                type: HealthCheck
                mesh: default
                name: api-health
                sources: [{match: {kuma.io/service: edge}}]
                destinations: [{match: {kuma.io/service: api}}]
                conf: {interval: 10s, timeout: 2s, unhealthyThreshold: 3, healthyThreshold: 1}
                ---
                type: RateLimit
                mesh: default
                name: api-limit
                sources: [{match: {kuma.io/service: edge}}]
                destinations: [{match: {kuma.io/service: api}}]
                conf:
                  http: {requests: 10, interval: 1s}
                """);

        Route api = route(resources, "edge-gateway:HTTPS:8443", "api.example.com", "/");
        Cluster cluster = resources.get(Cluster.class, api.getRoute().getWeightedClusters().getClusters(0).getName())
                .orElseThrow();
        assertThat(cluster.getCircuitBreakers().getThresholds(0).getMaxConnections().getValue()).isEqualTo(7);
        assertThat(cluster.getHealthChecksList()).hasSize(1);
        assertThat(api.getTypedPerFilterConfigMap()).containsKey("envoy.filters.http.local_ratelimit");
        assertThat(route(resources, "edge-gateway:HTTP:8080", "*", "/exact").getTypedPerFilterConfigMap()).isEmpty();
    }

    @Test
    void aMissingOrUnusableCertificateLeavesItsListenerOutAndSaysWhy() {
        String yaml = XdsFixtures.read(FULL)
                .replace("certificates: [{secret: www-example-com}]", "certificates: [{secret: nowhere}]");
        ProxyContext proxy = XdsFixtures.firstProxy(yaml, "broken certificates");

        ResourceSet resources = Profiles.gateway().generate(proxy);

        StrictEnvoyProtos.check(resources);
        assertThat(resources.get(Listener.class, "edge-gateway:HTTPS:8443")).isEmpty();
        assertThat(resources.get(RouteConfiguration.class, "edge-gateway:HTTPS:8443")).isEmpty();
        assertThat(resources.resources(Secret.class)).extracting(Secret::getName).noneMatch(n -> n.startsWith("cert."));
        assertThat(resources.get(Listener.class, "edge-gateway:HTTP:8080")).isPresent();
        assertThat(GatewayGenerator.problems(proxy)).containsExactly("listener edge-gateway:HTTPS:8443 hostname "
                + "www.example.com: certificate secret:nowhere cannot be loaded: could not load data: Resource not "
                + "found: type=\"Secret\" name=\"nowhere\" mesh=\"default\"");
        String garbled = XdsFixtures.read(FULL).replace("certificates: [{secret: www-example-com}]",
                "certificates: [{inlineString: not a certificate}]");
        assertThat(GatewayGenerator.problems(XdsFixtures.firstProxy(garbled, "garbled"))).containsExactly(
                "listener edge-gateway:HTTPS:8443 hostname www.example.com: certificate inline certificate is not a "
                        + "PEM certificate and private key: missing server certificate");
    }

    private static ResourceSet generate(String extra) {
        ProxyContext proxy = XdsFixtures.firstProxy(XdsFixtures.read(FULL) + extra, "full plus policies");
        ResourceSet resources = Profiles.gateway().generate(proxy);
        StrictEnvoyProtos.check(resources);
        return resources;
    }

    private static Route route(ResourceSet resources, String config, String host, String path) {
        return resources.get(RouteConfiguration.class, config).orElseThrow().getVirtualHostsList().stream()
                .filter(vh -> vh.getName().equals(host))
                .flatMap(vh -> vh.getRoutesList().stream())
                .filter(r -> r.getMatch().getPath().equals(path) || r.getMatch().getPrefix().equals(path))
                .findFirst().orElseThrow();
    }
}
