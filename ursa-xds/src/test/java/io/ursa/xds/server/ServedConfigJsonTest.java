package io.ursa.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.ursa.xds.resources.EnvoyType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServedConfigJsonTest {
    private static final String KEY = "-----BEGIN PRIVATE KEY-----\nsecret\n-----END PRIVATE KEY-----\n";

    @Test
    void showsEveryResourceWithItsTypeVersionAndName() {
        JsonNode config = ServedConfigJson.of("default.web-1", snapshot());

        assertThat(config.path("nodeId").asText()).isEqualTo("default.web-1");
        assertThat(config.path("versions").path(EnvoyType.LISTENER.typeUrl()).asText()).isEqualTo("lds-1");
        assertThat(config.path("versions").has(EnvoyType.CLUSTER.typeUrl())).isFalse();
        assertThat(config.at("/resources/0/name").asText()).isEqualTo("inbound:10.0.0.1:8080");
        assertThat(config.at("/resources/0/resource/address/socketAddress/portValue").asInt()).isEqualTo(8080);
    }

    @Test
    void neverShowsAPrivateKey() {
        JsonNode config = ServedConfigJson.of("default.web-1", snapshot());

        JsonNode secret = config.at("/resources/1");
        assertThat(secret.path("type").asText()).isEqualTo(EnvoyType.SECRET.typeUrl());
        assertThat(secret.at("/resource/tlsCertificate/privateKey").toString())
                .isEqualTo("{\"inlineString\":\"[redacted]\"}");
        assertThat(secret.at("/resource/tlsCertificate/certificateChain/inlineString").asText())
                .isEqualTo("certificate");
        assertThat(config.toString())
                .doesNotContain(Base64.getEncoder().encodeToString(KEY.getBytes(StandardCharsets.UTF_8)));
    }

    private static Snapshot snapshot() {
        Listener listener = Listener.newBuilder().setName("inbound:10.0.0.1:8080")
                .setAddress(io.envoyproxy.envoy.config.core.v3.Address.newBuilder().setSocketAddress(
                        io.envoyproxy.envoy.config.core.v3.SocketAddress.newBuilder().setAddress("10.0.0.1")
                                .setPortValue(8080)))
                .build();
        Secret secret = Secret.newBuilder().setName("identity_cert").setTlsCertificate(TlsCertificate.newBuilder()
                .setCertificateChain(DataSource.newBuilder().setInlineString("certificate"))
                .setPrivateKey(DataSource.newBuilder().setInlineBytes(ByteString.copyFromUtf8(KEY))))
                .build();
        return Snapshot.create(List.of(), "cds-1", List.of(), "eds-1", List.of(listener), "lds-1", List.of(), "rds-1",
                List.of(secret), "sds-1");
    }
}
