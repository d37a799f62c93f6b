package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.ursa.api.dataplane.GrpcBootstrap;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.ProxyMetadata;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.testing.XdsFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GrpcServerGeneratorTest {
    private final GrpcServerGenerator generator = new GrpcServerGenerator();

    @Test
    void everyInboundGetsAListenerForEachAddressFormOnTheApplicationsPort() {
        ResourceSet resources = generator.generate(GrpcProfileTest.proxy("server-two-inbounds"));

        assertThat(resources.byName(EnvoyType.LISTENER).keySet()).containsExactlyInAnyOrder(
                listenerAsked("0.0.0.0:8080"), listenerAsked("[::]:8080"), listenerAsked("192.168.0.2:8080"),
                listenerAsked("0.0.0.0:50051"), listenerAsked("[::]:50051"), listenerAsked("10.0.0.2:50051"));
        assertThat(resources.types()).containsExactly(EnvoyType.LISTENER);
    }

    @Test
    void eachListenerCarriesExactlyTheAddressItIsNamedFor() {
        ResourceSet resources = generator.generate(GrpcProfileTest.proxy("server-two-inbounds"));

        for (Listener listener : resources.resources(Listener.class)) {
            SocketAddress socket = listener.getAddress().getSocketAddress();
            String host = socket.getAddress().contains(":") ? "[" + socket.getAddress() + "]" : socket.getAddress();
            assertThat(listener.getName()).isEqualTo(listenerAsked(host + ":" + socket.getPortValue()));
            assertThat(listener.getTrafficDirection()).isEqualTo(TrafficDirection.INBOUND);
        }
    }

    @Test
    void theOnlyRouteIsNonForwardingAndTheRouterIsLast() {
        Listener listener = generator.generate(GrpcProfileTest.proxy("server-two-inbounds"))
                .get(Listener.class, listenerAsked("0.0.0.0:8080")).orElseThrow();

        HttpConnectionManager hcm = hcm(listener);
        Route route = hcm.getRouteConfig().getVirtualHosts(0).getRoutes(0);
        assertThat(route.hasNonForwardingAction()).isTrue();
        assertThat(hcm.getRouteConfig().getVirtualHosts(0).getDomainsList()).containsExactly("*");
        assertThat(hcm.getHttpFilters(hcm.getHttpFiltersCount() - 1).getName())
                .isEqualTo("envoy.filters.http.router");
        assertThat(listener.getFilterChainsCount()).isEqualTo(1);
    }

    @Test
    void anIpv6DataplaneGetsABracketedNameAndABareSocketAddress() throws IOException {
        ProxyContext proxy = proxyOf("""
                type: Mesh
                name: default
                ---
                type: Dataplane
                mesh: default
                name: backend-1
                networking:
                  address: fd00::2
                  inbound:
                  - port: 50051
                    tags: {kuma.io/service: backend}
                """);

        Listener listener = generator.generate(proxy).get(Listener.class, listenerAsked("[fd00::2]:50051"))
                .orElseThrow();

        assertThat(listener.getAddress().getSocketAddress().getAddress()).isEqualTo("fd00::2");
    }

    @Test
    void twoInboundsOnOneApplicationPortShareTheirListeners() throws IOException {
        ProxyContext proxy = proxyOf("""
                type: Mesh
                name: default
                ---
                type: Dataplane
                mesh: default
                name: backend-1
                networking:
                  address: 192.168.0.2
                  inbound:
                  - port: 8080
                    servicePort: 50051
                    tags: {kuma.io/service: backend}
                  - port: 9090
                    servicePort: 50051
                    tags: {kuma.io/service: backend-v2}
                """);

        assertThat(generator.generate(proxy).byName(EnvoyType.LISTENER).keySet()).containsExactlyInAnyOrder(
                listenerAsked("0.0.0.0:50051"), listenerAsked("[::]:50051"), listenerAsked("192.168.0.2:50051"));
    }

    @Test
    void strictMtlsRequiresAClientCertificateFromTheCertificateProviderAndAuthorizesBeforeTheRouter()
            throws InvalidProtocolBufferException {
        Listener listener = generator.generate(GrpcProfileTest.proxy("mtls-strict"))
                .get(Listener.class, listenerAsked("0.0.0.0:8080")).orElseThrow();

        DownstreamTlsContext tls = listener.getFilterChains(0).getTransportSocket().getTypedConfig()
                .unpack(DownstreamTlsContext.class);
        assertThat(tls.getRequireClientCertificate().getValue()).isTrue();
        var common = tls.getCommonTlsContext();
        assertThat(common.getTlsCertificateProviderInstance().getInstanceName())
                .isEqualTo(GrpcBootstrap.CERTIFICATE_PROVIDER);
        assertThat(common.getTlsCertificateProviderInstance().getCertificateName())
                .isEqualTo(GrpcBootstrap.CERTIFICATE_NAME);
        assertThat(common.getValidationContext().getCaCertificateProviderInstance())
                .isEqualTo(common.getTlsCertificateProviderInstance());
        assertThat(common.getValidationContext().getMatchSubjectAltNamesList())
                .as("grpc-xds rejects SAN matchers in a downstream context").isEmpty();
        HttpConnectionManager hcm = hcm(listener);
        assertThat(hcm.getHttpFiltersList()).extracting(f -> f.getName())
                .containsExactly("envoy.filters.http.rbac", "envoy.filters.http.router");
        assertThat(hcm.getHttpFilters(0).getTypedConfig()
                .unpack(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class).getRules().getPoliciesMap())
                .containsOnlyKeys("web-callers");
    }

    @Test
    void permissiveMtlsServesPlaintextButStillAuthorizes() {
        Listener listener = generator.generate(GrpcProfileTest.proxy("mtls-permissive"))
                .get(Listener.class, listenerAsked("0.0.0.0:8080")).orElseThrow();

        assertThat(listener.getFilterChains(0).hasTransportSocket()).isFalse();
        assertThat(hcm(listener).getHttpFiltersList()).extracting(f -> f.getName())
                .containsExactly("envoy.filters.http.rbac", "envoy.filters.http.router");
    }

    @Test
    void withoutMtlsThereIsNeitherTlsNorRbac() {
        Listener listener = generator.generate(GrpcProfileTest.proxy("single-service"))
                .get(Listener.class, listenerAsked("0.0.0.0:8080")).orElseThrow();

        assertThat(listener.getFilterChains(0).hasTransportSocket()).isFalse();
        assertThat(hcm(listener).getHttpFiltersList()).extracting(f -> f.getName())
                .containsExactly("envoy.filters.http.router");
    }

    /** The LDS name gRPC asks for when it listens on {@code address}: the bootstrap's template filled in. */
    private static String listenerAsked(String address) {
        return String.format(GrpcBootstrap.SERVER_LISTENER_TEMPLATE, address);
    }

    private static HttpConnectionManager hcm(Listener listener) {
        try {
            return listener.getFilterChains(0).getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static ProxyContext proxyOf(String yaml) throws IOException {
        Path file = Files.createTempFile("grpc-server", ".input.yaml");
        try {
            Files.writeString(file, yaml);
            return XdsFixtures.firstProxy(file).withMetadata(ProxyMetadata.grpc());
        } finally {
            Files.delete(file);
        }
    }
}
