package io.ursa.xds.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.internal.JsonParser;
import io.grpc.xds.InternalGrpcBootstrapperImpl;
import io.grpc.xds.client.Bootstrapper.BootstrapInfo;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.dataplane.GrpcBootstrap;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.xds.testing.GoldenFiles;
import io.ursa.xds.testing.XdsFixtures;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The proxyless bootstrap is checked by grpc-xds's own parser, the one an application runs at startup. */
class GrpcBootstrapTest {
    private static final Path FOLDER = XdsFixtures.TESTDATA.resolve("bootstrap");
    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJOYW1lIjoid2ViLTEifQ.c2ln";
    private static final GrpcBootstrap.ChannelCreds PLAINTEXT = GrpcBootstrap.ChannelCreds.insecure();

    @Test
    void matchesTheGolden() throws Exception {
        GrpcBootstrap bootstrap = GrpcBootstrap.of("cp.ursa-system:5678", PLAINTEXT, dataplane(), Optional.of(TOKEN));

        GoldenFiles.assertMatches(FOLDER.resolve("grpc-with-token.golden.yaml"),
                new ObjectMapper().readTree(bootstrap.toJson()));
    }

    @Test
    void grpcXdsParsesItWithTheNodeAndTheToken() throws Exception {
        BootstrapInfo info = parse(GrpcBootstrap.of("cp.ursa-system:5678", PLAINTEXT, dataplane(),
                Optional.of(TOKEN)));

        assertThat(info.servers()).singleElement().satisfies(server ->
                assertThat(server.target()).isEqualTo("cp.ursa-system:5678"));
        assertThat(info.node().getId()).isEqualTo("default.web-1");
        var node = info.node().toEnvoyProtoNode();
        assertThat(node.getId()).isEqualTo("default.web-1");
        assertThat(node.getCluster()).isEqualTo("api");
        assertThat(metadata(info)).containsExactlyInAnyOrderEntriesOf(Map.of(
                GrpcBootstrap.MESH_METADATA_KEY, "default",
                GrpcBootstrap.TOKEN_METADATA_KEY, TOKEN));
        assertThat(info.serverListenerResourceNameTemplate())
                .isEqualTo("grpc/server?xds.resource.listening_address=%s");
    }

    @Test
    void leavesTheTokenOutWhenThereIsNone() throws Exception {
        BootstrapInfo info = parse(GrpcBootstrap.of("127.0.0.1:5678", PLAINTEXT, dataplane(), Optional.empty()));

        assertThat(metadata(info)).containsOnlyKeys(GrpcBootstrap.MESH_METADATA_KEY);
    }

    @Test
    void refusesAnIdThatTheControlPlaneCouldNotSplit() {
        assertThatThrownBy(() -> new GrpcBootstrap("cp:5678", PLAINTEXT, "a.b", "web-1", "web", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid mesh: \"a.b\" (expected: a name without dots)");
        assertThatThrownBy(() -> new GrpcBootstrap("", PLAINTEXT, "m", "web-1", "web", Optional.empty()))
                .hasMessage("invalid serverUri: \"\" (expected: host:port)");
    }

    @Test
    void grpcXdsParsesTheCertificateProvider() throws Exception {
        GrpcBootstrap bootstrap = GrpcBootstrap.of("127.0.0.1:5678", PLAINTEXT, dataplane(), Optional.empty())
                .withCertificates(GrpcBootstrap.CertificateFiles.in(Path.of("/run/ursa/certs")));

        BootstrapInfo info = parse(bootstrap);

        assertThat(info.certProviders()).containsOnlyKeys(GrpcBootstrap.CERTIFICATE_PROVIDER,
                GrpcBootstrap.CROSS_MESH_CERTIFICATE_PROVIDER);
        assertThat(Map.<String, Object>copyOf(info.certProviders().get(GrpcBootstrap.CROSS_MESH_CERTIFICATE_PROVIDER)
                .config())).containsEntry("ca_certificate_file", "/run/ursa/certs/cross-mesh-ca.pem")
                .containsEntry("certificate_file", "/run/ursa/certs/cert.pem");
        var provider = info.certProviders().get(GrpcBootstrap.CERTIFICATE_PROVIDER);
        assertThat(provider.pluginName()).isEqualTo("file_watcher");
        assertThat(Map.<String, Object>copyOf(provider.config())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "certificate_file", "/run/ursa/certs/cert.pem",
                "private_key_file", "/run/ursa/certs/key.pem",
                "ca_certificate_file", "/run/ursa/certs/ca.pem",
                "refresh_interval", "1s"));
    }

    /** The node metadata as grpc-xds will send it, as strings. */
    private static Map<String, String> metadata(BootstrapInfo info) {
        Map<String, String> metadata = new TreeMap<>();
        info.node().toEnvoyProtoNode().getMetadata().getFieldsMap()
                .forEach((key, value) -> metadata.put(key, value.getStringValue()));
        return metadata;
    }

    @SuppressWarnings("unchecked")
    private static BootstrapInfo parse(GrpcBootstrap bootstrap) throws Exception {
        return InternalGrpcBootstrapperImpl.parseBootstrap((Map<String, ?>) JsonParser.parse(bootstrap.toJson()));
    }

    private static Resource<DataplaneSpec> dataplane() {
        return XdsFixtures.parse(XdsFixtures.read(FOLDER.resolve("sidecar-admin-port.dataplane.yaml"))).get(0)
                .as(ResourceTypes.DATAPLANE);
    }
}
