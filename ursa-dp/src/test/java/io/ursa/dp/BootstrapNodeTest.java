package io.ursa.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.core.v3.Node;
import org.junit.jupiter.api.Test;

/** The node of the Envoy bootstrap, which the DNS table stream presents unchanged. */
class BootstrapNodeTest {
    @Test
    void readsIdClusterAndMetadataAsTheControlPlaneWritesThem() {
        Node node = BootstrapNode.parse("""
                node:
                  id: demo.web-1
                  cluster: web
                  metadata:
                    dataplane.dns.port: "15054"
                    dataplane.dns.empty.port: "15055"
                    dataplane.proxyType: dataplane
                    features: [feature-tcp-accesslog-via-named-pipe]
                    version:
                      kumaDp: {version: 0.0.1}
                dynamicResources:
                  adsConfig: {apiType: GRPC}
                """);

        assertThat(node.getId()).isEqualTo("demo.web-1");
        assertThat(node.getCluster()).isEqualTo("web");
        var metadata = node.getMetadata().getFieldsMap();
        assertThat(metadata.get("dataplane.dns.port").getStringValue()).isEqualTo("15054");
        assertThat(metadata.get("dataplane.dns.empty.port").getStringValue()).isEqualTo("15055");
        assertThat(metadata.get("features").getListValue().getValues(0).getStringValue())
                .isEqualTo("feature-tcp-accesslog-via-named-pipe");
        assertThat(metadata.get("version").getStructValue().getFieldsMap().get("kumaDp").getStructValue()
                .getFieldsMap().get("version").getStringValue()).isEqualTo("0.0.1");
    }

    @Test
    void refusesABootstrapWithoutANodeId() {
        assertThatThrownBy(() -> BootstrapNode.parse("admin: {}\n")).isInstanceOf(DpException.class)
                .hasMessage("the bootstrap from the control plane has no node id (expected: node.id <mesh>.<name>)");
    }
}
