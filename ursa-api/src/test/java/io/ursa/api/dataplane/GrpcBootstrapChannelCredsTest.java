package io.ursa.api.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code channel_creds} of the proxyless bootstrap's xDS server: TLS (gRFC A65) unless plaintext is chosen. */
class GrpcBootstrapChannelCredsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void namesTheControlPlaneCaAsTheTlsCaCertificateFile() throws Exception {
        JsonNode bootstrap = json(GrpcBootstrap.ChannelCreds.tls(Optional.of(Path.of("/run/ursa/certs/cp-ca.pem"))));

        assertThat(bootstrap.at("/xds_servers/0")).isEqualTo(JSON.readTree("""
                {"server_uri": "cp:5678",
                 "channel_creds": [{"type": "tls", "config": {"ca_certificate_file": "/run/ursa/certs/cp-ca.pem"}}],
                 "server_features": ["xds_v3"]}"""));
    }

    @Test
    void leavesTheConfigOutWithoutACaSoTheDefaultRootsAreUsed() throws Exception {
        JsonNode bootstrap = json(GrpcBootstrap.ChannelCreds.tls(Optional.empty()));

        assertThat(bootstrap.at("/xds_servers/0/channel_creds")).isEqualTo(JSON.readTree("""
                [{"type": "tls"}]"""));
    }

    @Test
    void makesARelativeCaFileAbsolute() throws Exception {
        JsonNode bootstrap = json(GrpcBootstrap.ChannelCreds.tls(Optional.of(Path.of("certs/../cp-ca.pem"))));

        assertThat(bootstrap.at("/xds_servers/0/channel_creds/0/config/ca_certificate_file").asText())
                .isEqualTo(Path.of("cp-ca.pem").toAbsolutePath().toString());
    }

    @Test
    void isInsecureOnlyWhenChosen() throws Exception {
        JsonNode bootstrap = json(GrpcBootstrap.ChannelCreds.insecure());

        assertThat(bootstrap.at("/xds_servers/0/channel_creds")).isEqualTo(JSON.readTree("""
                [{"type": "insecure"}]"""));
    }

    @Test
    void keepsTheChannelCredsWhenCertificatesAreAdded() throws Exception {
        GrpcBootstrap.ChannelCreds creds = GrpcBootstrap.ChannelCreds.tls(Optional.of(Path.of("/certs/cp-ca.pem")));
        GrpcBootstrap bootstrap = new GrpcBootstrap("cp:5678", creds, "demo", "web-1", "web", Optional.empty())
                .withCertificates(GrpcBootstrap.CertificateFiles.in(Path.of("/certs")));

        assertThat(bootstrap.channelCreds()).isEqualTo(creds);
        assertThat(bootstrap.certificates().orElseThrow().controlPlaneCaFile()).isEqualTo(Path.of("/certs/cp-ca.pem"));
    }

    private static JsonNode json(GrpcBootstrap.ChannelCreds creds) throws Exception {
        return JSON.readTree(new GrpcBootstrap("cp:5678", creds, "demo", "web-1", "web", Optional.empty()).toJson());
    }
}
