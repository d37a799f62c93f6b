package io.ursa.api.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code certificate_providers} part of the proxyless bootstrap (grpc-xds's parser checks it in ursa-xds). */
class GrpcBootstrapCertificatesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final GrpcBootstrap PLAIN = new GrpcBootstrap("cp:5678", GrpcBootstrap.ChannelCreds.insecure(),
            "demo", "web-1", "web", Optional.empty());

    @Test
    void declaresTheFileWatcherOverTheCertificatesDirectory() throws Exception {
        Path dir = Path.of("/var/run/ursa/web-1/../certs");

        JsonNode bootstrap = JSON.readTree(PLAIN.withCertificates(GrpcBootstrap.CertificateFiles.in(dir)).toJson());

        JsonNode providers = bootstrap.get("certificate_providers");
        assertThat(providers.size()).isEqualTo(2);
        for (String name : List.of(GrpcBootstrap.CERTIFICATE_PROVIDER, GrpcBootstrap.CROSS_MESH_CERTIFICATE_PROVIDER)) {
            assertThat(providers.get(name).get("plugin_name").asText()).isEqualTo("file_watcher");
        }
        // the same identity; the second trusts only the roots of the meshes whose cross-mesh gateways are reached
        assertThat(providers.get(GrpcBootstrap.CERTIFICATE_PROVIDER).get("config")).isEqualTo(JSON.readTree("""
                {"certificate_file": "/var/run/ursa/certs/cert.pem",
                 "private_key_file": "/var/run/ursa/certs/key.pem",
                 "ca_certificate_file": "/var/run/ursa/certs/ca.pem",
                 "refresh_interval": "1s"}"""));
        assertThat(providers.get(GrpcBootstrap.CROSS_MESH_CERTIFICATE_PROVIDER).get("config"))
                .isEqualTo(JSON.readTree("""
                {"certificate_file": "/var/run/ursa/certs/cert.pem",
                 "private_key_file": "/var/run/ursa/certs/key.pem",
                 "ca_certificate_file": "/var/run/ursa/certs/cross-mesh-ca.pem",
                 "refresh_interval": "1s"}"""));
    }

    @Test
    void writesTheRefreshIntervalAsAProtobufDuration() throws Exception {
        GrpcBootstrap bootstrap = PLAIN.withCertificates(
                new GrpcBootstrap.CertificateFiles(Path.of("/certs"), Duration.ofMillis(1500)));

        assertThat(JSON.readTree(bootstrap.toJson()).at("/certificate_providers/ursa/config/refresh_interval")
                .asText()).isEqualTo("1.500s");
    }

    @Test
    void makesARelativeDirectoryAbsolute() {
        GrpcBootstrap.CertificateFiles files = GrpcBootstrap.CertificateFiles.in(Path.of("certs"));

        assertThat(files.directory()).isEqualTo(Path.of("certs").toAbsolutePath());
        assertThat(files.privateKeyFile()).isEqualTo(Path.of("certs", "key.pem").toAbsolutePath());
    }

    @Test
    void leavesTheBootstrapUnchangedWithoutCertificates() throws Exception {
        JsonNode bootstrap = JSON.readTree(PLAIN.toJson());

        assertThat(bootstrap.has("certificate_providers")).isFalse();
        assertThat(bootstrap).isEqualTo(JSON.readTree("""
                {"xds_servers": [{"server_uri": "cp:5678", "channel_creds": [{"type": "insecure"}],
                                  "server_features": ["xds_v3"]}],
                 "node": {"id": "demo.web-1", "cluster": "web", "metadata": {"kuma.io/mesh": "demo"}},
                 "server_listener_resource_name_template": "grpc/server?xds.resource.listening_address=%s"}"""));
    }

    @Test
    void refusesARefreshIntervalThatIsNotPositive() {
        assertThatThrownBy(() -> new GrpcBootstrap.CertificateFiles(Path.of("/certs"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid refresh interval: 0s (expected: a positive duration)");
    }
}
