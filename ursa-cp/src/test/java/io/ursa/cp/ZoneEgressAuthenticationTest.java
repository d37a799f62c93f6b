package io.ursa.cp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.tokens.DataplaneIdentity;
import io.ursa.core.tokens.DataplaneTokenIssuer;
import io.ursa.core.tokens.ZoneTokenIssuer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code dpServer.auth.type: dpToken} (the default), a zone egress proxy is served only with a zone token of
 * scope {@code egress}: a dataplane token, an ingress-only zone token or none is refused, and nothing registered.
 */
class ZoneEgressAuthenticationTest {
    private static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
    private static final String EGRESS = "{\"type\":\"ZoneEgress\",\"name\":\"egress-1\",\"networking\":"
            + "{\"address\":\"10.0.0.9\",\"port\":10002}}";

    @Test
    void onlyAnEgressZoneTokenLetsAZoneEgressIn(@TempDir Path dir) throws Exception {
        try (ControlPlane cp = ControlPlane.start(null, Map.of(
                "URSA_API_SERVER_HTTP_PORT", "0",
                "URSA_DIAGNOSTICS_SERVER_PORT", "0",
                "URSA_DP_SERVER_PORT", "0",
                "URSA_STORE_TYPE", "memory",
                "URSA_STORE_EMBEDDED_DIR", dir.toString()))) {
            ZoneTokenIssuer zoneTokens = new ZoneTokenIssuer(cp.manager(), Clock.systemUTC());
            String dataplaneToken = new DataplaneTokenIssuer(cp.manager(), Clock.systemUTC())
                    .issue(DataplaneIdentity.of("", "default", Map.of(), ""), Duration.ofHours(1));

            ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger)
                    org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
                    new ch.qos.logback.core.read.ListAppender<>();
            logs.start();
            root.addAppender(logs);
            try {
                assertRefused(cp, null, "no zone token was presented");
            } finally {
                root.detachAppender(logs);
            }
            assertThat(logs.list).as("a refusal is one WARN line, never a stack trace")
                    .noneMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR || e.getThrowableProxy() != null)
                    .anyMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN
                            && e.getFormattedMessage().contains("refused proxy .egress-1"));
            assertRefused(cp, dataplaneToken, "not authenticated");
            assertRefused(cp, zoneTokens.issue("", List.of("ingress"), Duration.ofHours(1)), "not authenticated");
            assertThat(cp.manager().get(ResourceTypes.ZONE_EGRESS, "", "egress-1")).isEmpty();

            Object answer = connect(cp, zoneTokens.issue("", List.of("egress"), Duration.ofHours(1)));
            assertThat(answer).isInstanceOf(DiscoveryResponse.class);
            assertThat(cp.manager().get(ResourceTypes.ZONE_EGRESS, "", "egress-1")).isPresent();
        }
    }

    private static void assertRefused(ControlPlane cp, String token, String reason) throws Exception {
        Object answer = connect(cp, token);
        assertThat(answer).as("refused").isInstanceOf(Throwable.class);
        Status status = Status.fromThrowable((Throwable) answer);
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(status.getDescription()).contains("zone egress proxy .egress-1").contains(reason);
    }

    /** The first answer of an ADS stream opened as zone egress {@code egress-1}: a response or the error. */
    private static Object connect(ControlPlane cp, String token) throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", cp.dpServerPort())
                .sslContext(GrpcSslContexts.forClient().trustManager(new ByteArrayInputStream(
                        cp.dpServerCertificate().caCertificatePem().getBytes(StandardCharsets.US_ASCII))).build())
                .build();
        try {
            CompletableFuture<Object> first = new CompletableFuture<>();
            Struct.Builder metadata = Struct.newBuilder()
                    .putFields("dataplane.resource", Value.newBuilder().setStringValue(EGRESS).build());
            if (token != null) {
                metadata.putFields("dataplane.token", Value.newBuilder().setStringValue(token).build());
            }
            StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
                    .streamAggregatedResources(new StreamObserver<>() {
                        @Override
                        public void onNext(DiscoveryResponse response) {
                            first.complete(response);
                        }

                        @Override
                        public void onError(Throwable t) {
                            first.complete(t);
                        }

                        @Override
                        public void onCompleted() {
                            first.complete(new IllegalStateException("completed without an answer"));
                        }
                    });
            requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(LDS)
                    .setNode(Node.newBuilder().setId(".egress-1").setMetadata(metadata)).build());
            return first.get(15, TimeUnit.SECONDS);
        } finally {
            channel.shutdownNow();
        }
    }
}
