package io.ursa.api.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.DecodeException;
import io.ursa.api.codec.Json;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.spec.ProtoDuration;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Mesh specs follow Kuma's JSON encoding (§1.3): what goes in comes out, zero values stay out, wrappers stay in. */
class MeshSpecEncodingTest {
    private static final ResourceCodec CODEC = new ResourceCodec(ResourceTypes.standard());

    @Test
    void fullExampleRoundTripsUnchanged() throws IOException {
        ObjectNode document = (ObjectNode) resource("full-example.yaml");

        MeshSpec spec = decode(document);

        ObjectNode expected = document.deepCopy();
        expected.remove(List.of("type", "name"));
        assertThat(numbersByValue(CODEC.encodeSpec(spec))).isEqualTo(numbersByValue(expected));
        assertThat(CODEC.writeJson(CODEC.encodeSpec(spec))).contains("\"sampling\":100,");
    }

    @Test
    void everyFieldRoundTripsUnchanged() throws IOException {
        ObjectNode document = (ObjectNode) resource("every-field.yaml");

        MeshSpec spec = decode(document);

        ObjectNode expected = document.deepCopy();
        expected.remove(List.of("type", "name"));
        assertThat(numbersByValue(CODEC.encodeSpec(spec))).isEqualTo(numbersByValue(expected));
        Mtls.Backend ca = spec.mtls().backends().get(0);
        assertThat(ca.mode()).isEqualTo(Mtls.Mode.PERMISSIVE);
        assertThat(ca.dpCert().requestTimeout().value()).isEqualTo(Duration.ofSeconds(5));
        assertThat(ca.rootChain().requestTimeout().value()).isEqualTo(Duration.ofMillis(2500));
        assertThat(spec.skipCreatingInitialPolicies()).containsExactly("TrafficRoute", "Timeout");
    }

    @Test
    void fieldsComeOutInProtoOrder() {
        MeshSpec spec = decode("""
                skipCreatingInitialPolicies: ['*']
                routing: {zoneEgress: true}
                mtls:
                  backends:
                  - rootChain: {requestTimeout: 1s}
                    mode: PERMISSIVE
                    conf: {b: 1, a: 2}
                    dpCert: {rotation: {expiration: 1d}}
                    type: builtin
                    name: ca-1
                  enabledBackend: ca-1
                tracing:
                  backends: [{conf: {url: 'http://z:1'}, type: zipkin, sampling: 1.5, name: z}]
                """);

        assertThat(CODEC.writeJson(CODEC.encodeSpec(spec))).isEqualTo("{\"mtls\":{\"enabledBackend\":\"ca-1\","
                + "\"backends\":[{\"name\":\"ca-1\",\"type\":\"builtin\",\"dpCert\":{\"rotation\":{\"expiration\":\"1d\"}},"
                + "\"conf\":{\"a\":2,\"b\":1},\"mode\":\"PERMISSIVE\",\"rootChain\":{\"requestTimeout\":\"1s\"}}]},"
                + "\"tracing\":{\"backends\":[{\"name\":\"z\",\"sampling\":1.5,\"type\":\"zipkin\","
                + "\"conf\":{\"url\":\"http://z:1\"}}]},"
                + "\"routing\":{\"zoneEgress\":true},\"skipCreatingInitialPolicies\":[\"*\"]}");
    }

    @Test
    void emptySpecDecodesToNothingAndEncodesToEmptyObject() {
        MeshSpec spec = decode("{}");

        assertThat(spec).isEqualTo(MeshSpec.empty());
        assertThat(spec.mtls()).isNull();
        assertThat(spec.skipCreatingInitialPolicies()).isEmpty();
        assertThat(CODEC.encodeSpec(spec)).isEqualTo(Json.json().createObjectNode());
    }

    @Test
    void presentButEmptySectionsAreKept() {
        String yaml = """
                mtls: {}
                tracing: {}
                logging: {}
                metrics: {}
                networking: {outbound: {}}
                routing: {}
                constraints: {dataplaneProxy: {}}
                """;

        assertThat(CODEC.encodeSpec(decode(yaml))).isEqualTo(yamlTree(yaml));
    }

    @Test
    void passthroughFalseIsKept() {
        MeshSpec spec = decode("networking: {outbound: {passthrough: false}}");

        assertThat(spec.isPassthrough()).isFalse();
        assertThat(CODEC.encodeSpec(spec)).isEqualTo(yamlTree("networking: {outbound: {passthrough: false}}"));
    }

    @Test
    void wrappersSetToZeroAreKept() {
        String yaml = "tracing: {backends: [{name: t, sampling: 0, type: zipkin, conf: {}}]}";

        assertThat(CODEC.encodeSpec(decode(yaml))).isEqualTo(yamlTree(yaml));
        assertThat(CODEC.encodeSpec(decode("tracing: {backends: [{name: t, sampling: 0.0}]}"))
                .at("/tracing/backends/0/sampling").isNumber()).isTrue();
    }

    @Test
    void zeroValuesAreOmitted() {
        MeshSpec spec = decode("""
                mtls: {enabledBackend: '', backends: []}
                logging: {defaultBackend: '', backends: [{name: '', format: '', type: ''}]}
                routing: {localityAwareLoadBalancing: false, zoneEgress: false}
                constraints: {dataplaneProxy: {requirements: [], restrictions: [{tags: {}}]}}
                skipCreatingInitialPolicies: []
                """);

        assertThat(CODEC.encodeSpec(spec)).isEqualTo(yamlTree("""
                mtls: {}
                logging: {backends: [{}]}
                routing: {}
                constraints: {dataplaneProxy: {restrictions: [{}]}}
                """));
    }

    @Test
    void strictModeIsOmittedAndPermissiveKept() {
        MeshSpec spec = decode("""
                mtls:
                  backends:
                  - {name: a, type: builtin, mode: STRICT}
                  - {name: b, type: builtin, mode: PERMISSIVE}
                  - {name: c, type: builtin}
                """);

        assertThat(spec.mtls().backends()).extracting(Mtls.Backend::mode)
                .containsExactly(Mtls.Mode.STRICT, Mtls.Mode.PERMISSIVE, Mtls.Mode.STRICT);
        assertThat(CODEC.encodeSpec(spec)).isEqualTo(yamlTree("""
                mtls:
                  backends:
                  - {name: a, type: builtin}
                  - {name: b, type: builtin, mode: PERMISSIVE}
                  - {name: c, type: builtin}
                """));
    }

    @Test
    void modeAcceptsEnumNumbersLikeJsonpb() {
        MeshSpec spec = decode("mtls: {backends: [{name: a, mode: 1}, {name: b, mode: 0}]}");

        assertThat(spec.mtls().backends()).extracting(Mtls.Backend::mode)
                .containsExactly(Mtls.Mode.PERMISSIVE, Mtls.Mode.STRICT);
    }

    @Test
    void unknownModeIsRejectedNamingTheField() {
        assertThatThrownBy(() -> decode("mtls: {backends: [{name: a, mode: LENIENT}]}"))
                .isInstanceOfSatisfying(DecodeException.class, e -> {
                    assertThat(e.field()).isEqualTo("mtls.backends[0].mode");
                    assertThat(e.reason()).isEqualTo("unknown value \"LENIENT\" (expected one of: STRICT, PERMISSIVE)");
                });
        assertThatThrownBy(() -> decode("mtls: {backends: [{name: a, mode: strict}]}"))
                .isInstanceOfSatisfying(DecodeException.class,
                        e -> assertThat(e.field()).isEqualTo("mtls.backends[0].mode"));
    }

    @Test
    void unknownFieldsAreIgnored() {
        MeshSpec spec = decode("""
                mtls:
                  enabledBakend: typo
                  backends: [{name: a, type: builtin, color: blue}]
                meshServices: {mode: Exclusive}
                """);

        assertThat(spec.mtls().enabledBackend()).isEmpty();
        assertThat(CODEC.encodeSpec(spec)).isEqualTo(yamlTree("mtls: {backends: [{name: a, type: builtin}]}"));
    }

    @Test
    void wrongTypeIsADecodeErrorNamingTheField() {
        assertThatThrownBy(() -> decode("networking: {outbound: {passthrough: 'yes'}}"))
                .isInstanceOfSatisfying(DecodeException.class, e -> {
                    assertThat(e.field()).isEqualTo("networking.outbound.passthrough");
                    assertThat(e.reason()).contains("\"yes\"");
                });
        assertThatThrownBy(() -> decode("mtls: {backends: 5}"))
                .isInstanceOfSatisfying(DecodeException.class, e -> {
                    assertThat(e.field()).isEqualTo("mtls.backends");
                    assertThat(e.reason()).isEqualTo("expected a list, got: 5");
                });
        assertThatThrownBy(() -> decode("metrics: {backends: [{name: p, conf: [1]}]}"))
                .isInstanceOfSatisfying(DecodeException.class,
                        e -> assertThat(e.field()).isEqualTo("metrics.backends[0].conf"));
        assertThatThrownBy(() -> decode("mtls: {backends: [{name: a, dpCert: {requestTimeout: soon}}]}"))
                .isInstanceOfSatisfying(DecodeException.class,
                        e -> assertThat(e.field()).isEqualTo("mtls.backends[0].dpCert.requestTimeout"));
    }

    @Test
    void kubernetesFormDecodesTheSameSpec() {
        MeshSpec universal = decode("routing: {zoneEgress: true}\nmtls: {enabledBackend: ca-1}");
        JsonNode kubernetes = CODEC.parseYamlDocuments("""
                apiVersion: kuma.io/v1alpha1
                kind: Mesh
                metadata: {name: default}
                spec:
                  routing: {zoneEgress: true}
                  mtls: {enabledBackend: ca-1}
                """).get(0);

        assertThat(CODEC.decode(kubernetes).as(ResourceTypes.MESH).spec()).isEqualTo(universal);
    }

    @Test
    void confIsCanonicalSoEqualConfigsCompareEqual() {
        MeshSpec a = decode("metrics: {backends: [{name: p, type: prometheus, conf: {port: 5670.0, tags: {b: x, a: y}}}]}");
        MeshSpec b = decode("metrics: {backends: [{name: p, type: prometheus, conf: {tags: {a: y, b: x}, port: 5670}}]}");

        assertThat(a).isEqualTo(b);
        assertThat(CODEC.writeJson(CODEC.encodeSpec(a)))
                .isEqualTo("{\"metrics\":{\"backends\":[{\"name\":\"p\",\"type\":\"prometheus\","
                        + "\"conf\":{\"port\":5670,\"tags\":{\"a\":\"y\",\"b\":\"x\"}}}]}}");
    }

    @Test
    void specsAreImmutable() {
        ObjectNode conf = Json.json().createObjectNode().put("path", "/dev/stdout");
        java.util.ArrayList<Logging.Backend> backends = new java.util.ArrayList<>();
        backends.add(new Logging.Backend("stdout", null, "file", conf));
        Logging logging = new Logging(null, backends);

        conf.put("path", "/tmp/changed");
        backends.clear();
        logging.backends().get(0).conf().put("path", "/tmp/changed-too");

        assertThat(logging.backends()).hasSize(1);
        assertThat(logging.backends().get(0).conf().get("path").asText()).isEqualTo("/dev/stdout");
        assertThatThrownBy(() -> logging.backends().add(logging.backends().get(0)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void durationsAreWrittenAsProtobufDurations() {
        MeshSpec spec = decode("mtls: {backends: [{name: a, dpCert: {rotation: {expiration: 1d}, requestTimeout: 1m30s}}]}");

        assertThat(spec.mtls().backends().get(0).dpCert().requestTimeout()).isEqualTo(ProtoDuration.ofSeconds(90));
        assertThat(CODEC.encodeSpec(spec).at("/mtls/backends/0/dpCert/requestTimeout").asText()).isEqualTo("90s");
    }

    private static MeshSpec decode(String specYaml) {
        ObjectNode document = (ObjectNode) yamlTree(specYaml);
        document.put("type", "Mesh").put("name", "default");
        return decode(document);
    }

    private static MeshSpec decode(JsonNode document) {
        return CODEC.decode(document).as(ResourceTypes.MESH).spec();
    }

    private static JsonNode yamlTree(String yaml) {
        return CODEC.parseYamlDocuments(yaml).stream().findFirst().orElse(Json.json().createObjectNode());
    }

    /** The tree with every number as a decimal of its value, so 100 and 100.0 compare equal (as Kuma reads them). */
    private static JsonNode numbersByValue(JsonNode node) {
        if (node.isNumber()) {
            return Json.json().getNodeFactory().numberNode(node.decimalValue().stripTrailingZeros());
        }
        if (node.isObject()) {
            ObjectNode out = Json.json().createObjectNode();
            node.properties().forEach(e -> out.set(e.getKey(), numbersByValue(e.getValue())));
            return out;
        }
        if (node.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode out = Json.json().createArrayNode();
            node.forEach(element -> out.add(numbersByValue(element)));
            return out;
        }
        return node;
    }

    private static JsonNode resource(String name) throws IOException {
        try (InputStream in = MeshSpecEncodingTest.class.getResourceAsStream("/testdata/mesh/encoding/" + name)) {
            return Json.yaml().readTree(in);
        }
    }
}
