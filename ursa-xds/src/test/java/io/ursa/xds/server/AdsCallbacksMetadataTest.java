package io.ursa.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.ursa.xds.context.ProxyKind;
import io.ursa.xds.context.ProxyMetadata;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** What Ursa reads from the node metadata of a proxy's first request (envoy-config §1.3). */
class AdsCallbacksMetadataTest {
    @Test
    void readsTheAdminAndBothDnsPortsAnEnvoyBootstrapCarries() {
        ProxyMetadata metadata = AdsCallbacks.metadata(node(Map.of("dataplane.admin.port", "9901",
                "dataplane.dns.port", "15054", "dataplane.dns.empty.port", "15055")));

        assertThat(metadata).isEqualTo(new ProxyMetadata(ProxyKind.ENVOY, OptionalInt.of(9901), "127.0.0.1",
                OptionalInt.of(15054), OptionalInt.of(15055)));
    }

    @Test
    void aDnsPortThatIsNotAPortIsAbsentAsInKuma() {
        ProxyMetadata metadata = AdsCallbacks.metadata(node(Map.of("dataplane.dns.port", "dns",
                "dataplane.dns.empty.port", "70000")));

        assertThat(metadata.dnsPort()).isEmpty();
        assertThat(metadata.emptyDnsPort()).isEmpty();
    }

    private static Node node(Map<String, String> metadata) {
        Struct.Builder struct = Struct.newBuilder();
        metadata.forEach((key, value) -> struct.putFields(key, Value.newBuilder().setStringValue(value).build()));
        return Node.newBuilder().setId("default.web-1").setMetadata(struct).build();
    }
}
