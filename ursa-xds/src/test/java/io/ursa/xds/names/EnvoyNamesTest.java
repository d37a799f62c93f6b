package io.ursa.xds.names;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ursa.api.dataplane.GrpcBootstrap;
import io.ursa.xds.names.EnvoyNames.IpFamily;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvoyNamesTest {

    @Test
    void inboundAndOutboundNamesFollowKumasTable() {
        assertThat(EnvoyNames.inboundListener("192.168.0.1", 80)).isEqualTo("inbound:192.168.0.1:80");
        assertThat(EnvoyNames.localCluster(8080)).isEqualTo("localhost:8080");
        assertThat(EnvoyNames.inboundRouteConfig("backend")).isEqualTo("inbound:backend");
        assertThat(EnvoyNames.outboundListener("127.0.0.1", 54321)).isEqualTo("outbound:127.0.0.1:54321");
        assertThat(EnvoyNames.outboundRouteConfig("api-http")).isEqualTo("outbound:api-http");
        assertThat(EnvoyNames.outboundCluster("backend")).isEqualTo("backend");
        assertThat(EnvoyNames.splitCluster("db", 0)).isEqualTo("db-_0_");
        assertThat(EnvoyNames.crossMeshCluster(EnvoyNames.splitCluster("api-http", 0), "mesh2"))
                .isEqualTo("api-http-_0__mesh2");
        assertThat(EnvoyNames.zoneEgressCluster("default", "backend")).isEqualTo("default:backend");
    }

    @Test
    void bracketsIpv6Hosts() {
        assertThat(EnvoyNames.inboundListener("fd00::1", 8080)).isEqualTo("inbound:[fd00::1]:8080");
        assertThat(EnvoyNames.directAccessListener("fd00::2", 80)).isEqualTo("direct_access_[fd00::2]:80");
    }

    @Test
    void passthroughAdminMetricsAndSecretNames() {
        assertThat(EnvoyNames.outboundPassthrough(IpFamily.IPV4)).isEqualTo("outbound:passthrough:ipv4");
        assertThat(EnvoyNames.outboundPassthrough(IpFamily.IPV6)).isEqualTo("outbound:passthrough:ipv6");
        assertThat(EnvoyNames.inboundPassthrough(IpFamily.IPV4)).isEqualTo("inbound:passthrough:ipv4");
        assertThat(EnvoyNames.inboundPassthrough(IpFamily.IPV6)).isEqualTo("inbound:passthrough:ipv6");
        assertThat(EnvoyNames.ENVOY_ADMIN).isEqualTo("kuma:envoy:admin");
        assertThat(EnvoyNames.PROMETHEUS_LISTENER).isEqualTo("kuma:metrics:prometheus");
        assertThat(EnvoyNames.METRICS_HIJACKER_CLUSTER).isEqualTo("kuma:metrics:hijacker");
        assertThat(EnvoyNames.tracingCluster("zipkin")).isEqualTo("tracing:zipkin");
        assertThat(EnvoyNames.identityCertSecret("default")).isEqualTo("identity_cert:secret:default");
        assertThat(EnvoyNames.meshCaSecret("default")).isEqualTo("mesh_ca:secret:default");
        assertThat(EnvoyNames.ALL_MESHES_CA_SECRET).isEqualTo("mesh_ca:secret:all");
    }

    @Test
    void accessLogPipeIsCutToFitAUnixSocketPath() {
        assertThat(EnvoyNames.accessLogPipe("web-1", "default")).isEqualTo("/tmp/kuma-al-web-1-default.sock");
        String long100 = "d".repeat(100);
        String pipe = EnvoyNames.accessLogPipe(long100, "default");
        assertThat(pipe).hasSize(98 + ".sock".length()).startsWith("/tmp/kuma-al-ddd").endsWith("d.sock");
    }

    @Test
    void statNamesReplaceEverythingOutsideTheSafeSet() {
        assertThat(EnvoyNames.statName("localhost:8080")).isEqualTo("localhost_8080");
        assertThat(EnvoyNames.statName("backend.kuma-system")).isEqualTo("backend_kuma-system");
        assertThat(EnvoyNames.rbacStatPrefix("inbound:192.168.0.1:80")).isEqualTo("inbound_192_168_0_1_80.");
    }

    @Test
    void sniIsTheServiceWithItsOtherTagsAndTheMeshSortedByKey() {
        assertThat(EnvoyNames.sni("backend", "default", Map.of("kuma.io/service", "backend")))
                .isEqualTo("backend{mesh=default}");
        assertThat(EnvoyNames.sni("db", "mesh1", Map.of("kuma.io/service", "db", "role", "master",
                "kuma.io/protocol", "tcp"))).isEqualTo("db{kuma.io/protocol=tcp,mesh=mesh1,role=master}");
    }

    @Test
    void altStatNameIsSetOnlyWhenItDiffers() {
        assertThat(EnvoyNames.altStatName("localhost:8080")).contains("localhost_8080");
        assertThat(EnvoyNames.altStatName("outbound:passthrough:ipv4")).contains("outbound_passthrough_ipv4");
        assertThat(EnvoyNames.altStatName("backend")).isEmpty();
    }

    @Test
    void proxylessNamesAreTheOnesGrpcXdsAsksFor() {
        assertThat(EnvoyNames.grpcClientListener("backend")).isEqualTo("backend");
        assertThat(EnvoyNames.grpcServerListener("0.0.0.0", 50051))
                .isEqualTo(String.format(GrpcBootstrap.SERVER_LISTENER_TEMPLATE, "0.0.0.0:50051"))
                .isEqualTo("grpc/server?xds.resource.listening_address=0.0.0.0:50051");
        assertThat(EnvoyNames.grpcServerListener("::", 50051))
                .isEqualTo("grpc/server?xds.resource.listening_address=[::]:50051");
        assertThatThrownBy(() -> EnvoyNames.grpcClientListener(""))
                .hasMessage("invalid service: \"\" (expected: a kuma.io/service value)");
    }

    @Test
    void refusesPortsOutOfRange() {
        assertThatThrownBy(() -> EnvoyNames.localCluster(70000))
                .hasMessage("invalid port: 70000 (expected: 1-65535)");
        assertThatThrownBy(() -> EnvoyNames.inboundListener("10.0.0.1", 0))
                .hasMessage("invalid port: 0 (expected: 1-65535)");
    }
}
