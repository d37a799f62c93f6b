package io.ursa.api.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.dataplane.DataplaneSpec.GatewayType;
import io.ursa.api.policy.ValidationVectors;
import io.ursa.api.resource.ResourceTypes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataplaneSpecTest {
    private static DataplaneSpec decode(String yaml) {
        return ValidationVectors.CODEC.decode(ValidationVectors.CODEC.parseYamlDocuments(yaml).get(0))
                .as(ResourceTypes.DATAPLANE).spec();
    }

    private static final DataplaneSpec SIDECAR = decode("""
            type: Dataplane
            mesh: default
            name: dp
            networking:
              address: 192.168.0.1
              advertisedAddress: 10.0.0.1
              inbound:
              - port: 8080
                tags:
                  kuma.io/service: web
                  version: v1
              - port: 8081
                servicePort: 9091
                address: 192.168.0.2
                serviceAddress: 127.0.0.1
                tags:
                  kuma.io/service: admin
              - port: 8082
                tags:
                  kuma.io/service: web
              outbound:
              - port: 3333
                tags:
                  kuma.io/service: redis
              - port: 3334
                address: 10.1.1.1
                tags:
                  kuma.io/service: db
            """);

    @Test
    void tagSetsAreOnePerInbound() {
        assertThat(SIDECAR.tagSets()).containsExactly(
                Map.of("kuma.io/service", "web", "version", "v1"),
                Map.of("kuma.io/service", "admin"),
                Map.of("kuma.io/service", "web"));
    }

    @Test
    void tagSetsOfAGatewayAreItsTags() {
        DataplaneSpec gateway = decode("""
                type: Dataplane
                mesh: default
                name: gw
                networking:
                  address: 192.168.0.1
                  gateway:
                    tags:
                      kuma.io/service: edge
                      kuma.io/zone: east
                """);
        assertThat(gateway.tagSets()).containsExactly(Map.of("kuma.io/service", "edge", "kuma.io/zone", "east"));
        assertThat(gateway.services()).containsExactly("edge");
        assertThat(gateway.hasGateway(GatewayType.DELEGATED)).isTrue();
        assertThat(gateway.hasGateway(GatewayType.BUILTIN)).isFalse();
    }

    @Test
    void withoutNetworkingThereAreNoTagSets() {
        assertThat(new DataplaneSpec(null, null, null).tagSets()).isEmpty();
        assertThat(new DataplaneSpec(null, null, null).services()).isEmpty();
    }

    @Test
    void servicesAreDistinctAndSorted() {
        assertThat(SIDECAR.services()).containsExactly("admin", "web");
    }

    @Test
    void interfacesApplyKumasDefaults() {
        assertThat(SIDECAR.networking().ip()).isEqualTo("10.0.0.1");
        assertThat(SIDECAR.networking().inboundInterfaces()).containsExactly(
                new InboundInterface("192.168.0.1", "10.0.0.1", 8080, "192.168.0.1", 8080),
                new InboundInterface("192.168.0.2", "10.0.0.1", 8081, "127.0.0.1", 9091),
                new InboundInterface("192.168.0.1", "10.0.0.1", 8082, "192.168.0.1", 8082));
        assertThat(SIDECAR.networking().outboundInterfaces()).containsExactly(
                new OutboundInterface("127.0.0.1", 3333), new OutboundInterface("10.1.1.1", 3334));
    }

    @Test
    void delegatedGatewayTypeIsOmittedAndBuiltinIsWritten() {
        DataplaneSpec.Gateway delegated = new DataplaneSpec.Gateway(Map.of("kuma.io/service", "gw"), null);
        DataplaneSpec.Gateway builtin = new DataplaneSpec.Gateway(Map.of("kuma.io/service", "gw"),
                GatewayType.BUILTIN);
        assertThat(delegated.type()).isEqualTo(GatewayType.DELEGATED);
        assertThat(encodeGateway(delegated).has("type")).isFalse();
        assertThat(encodeGateway(builtin).path("type").asText()).isEqualTo("BUILTIN");
    }

    @Test
    void gatewayTypeReadsProtobufNumbers() {
        DataplaneSpec builtin = decode("""
                type: Dataplane
                mesh: default
                name: gw
                networking:
                  gateway:
                    type: 1
                """);
        assertThat(builtin.hasGateway(GatewayType.BUILTIN)).isTrue();
    }

    @Test
    void helperMethodsAreNotWrittenAsFields() {
        var json = ValidationVectors.CODEC.encodeSpec(SIDECAR);
        assertThat(List.of(json.fieldNames().next())).containsExactly("networking");
        assertThat(json.path("networking").has("ip")).isFalse();
        assertThat(json.path("networking").path("inbound").get(0).has("service")).isFalse();
    }

    private static com.fasterxml.jackson.databind.JsonNode encodeGateway(DataplaneSpec.Gateway gateway) {
        DataplaneSpec spec = new DataplaneSpec(
                new DataplaneSpec.Networking("1.1.1.1", null, gateway, null, null, null, null), null, null);
        return ValidationVectors.CODEC.encodeSpec(spec).path("networking").path("gateway");
    }
}
