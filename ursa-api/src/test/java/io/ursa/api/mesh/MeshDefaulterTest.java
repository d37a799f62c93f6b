package io.ursa.api.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.ResourceTypes;
import org.junit.jupiter.api.Test;

/** Kuma 2.0's {@code MeshResource.Default()}: prometheus backends get port, path and tags; nothing else changes. */
class MeshDefaulterTest {
    private static final ResourceCodec CODEC = new ResourceCodec(ResourceTypes.standard());

    @Test
    void fillsPrometheusDefaultsAndTheySurviveEncoding() {
        MeshSpec defaulted = ResourceTypes.MESH.applyDefaults(decode("""
                metrics:
                  enabledBackend: prometheus-1
                  backends:
                  - name: prometheus-1
                    type: prometheus
                """));

        assertThat(CODEC.encodeSpec(defaulted)).isEqualTo(tree("""
                metrics:
                  enabledBackend: prometheus-1
                  backends:
                  - name: prometheus-1
                    type: prometheus
                    conf:
                      port: 5670
                      path: /metrics
                      tags:
                        kuma.io/service: dataplane-metrics
                """));
    }

    @Test
    void keepsUserValuesAndOtherConfFields() {
        String yaml = """
                metrics:
                  backends:
                  - name: prometheus-1
                    type: prometheus
                    conf:
                      path: /non-standard-path
                      port: 1234
                      tags:
                        team: red
                      skipMTLS: true
                      envoy: {filterRegex: '^cluster', usedOnly: true}
                      somethingNewer: {tls: {mode: disabled}}
                """;

        MeshSpec defaulted = MeshDefaulter.apply(decode(yaml));

        assertThat(CODEC.encodeSpec(defaulted)).isEqualTo(tree(yaml));
    }

    @Test
    void replacesZeroPortEmptyPathAndEmptyTags() {
        MeshSpec defaulted = MeshDefaulter.apply(decode("""
                metrics:
                  backends:
                  - {name: p, type: prometheus, conf: {port: 0, path: '', tags: {}, skipMTLS: false}}
                """));

        assertThat(CODEC.encodeSpec(defaulted).at("/metrics/backends/0/conf")).isEqualTo(tree(
                "{port: 5670, path: /metrics, tags: {kuma.io/service: dataplane-metrics}, skipMTLS: false}"));
    }

    @Test
    void defaultsEveryPrometheusBackendAndOnlyThose() {
        MeshSpec defaulted = MeshDefaulter.apply(decode("""
                metrics:
                  backends:
                  - {name: a, type: prometheus}
                  - {name: b, type: statsd, conf: {x: 1}}
                  - {name: c, type: prometheus, conf: {port: 9000}}
                """));

        assertThat(CODEC.encodeSpec(defaulted).at("/metrics/backends")).isEqualTo(tree("""
                - {name: a, type: prometheus, conf: {port: 5670, path: /metrics, tags: {kuma.io/service: dataplane-metrics}}}
                - {name: b, type: statsd, conf: {x: 1}}
                - {name: c, type: prometheus, conf: {port: 9000, path: /metrics, tags: {kuma.io/service: dataplane-metrics}}}
                """));
    }

    @Test
    void writesNothingElse() {
        MeshSpec spec = decode("""
                mtls: {enabledBackend: ca-1, backends: [{name: ca-1, type: builtin}]}
                networking: {outbound: {}}
                metrics: {}
                """);

        assertThat(MeshDefaulter.apply(spec)).isSameAs(spec);
        assertThat(MeshDefaulter.apply(MeshSpec.empty())).isSameAs(MeshSpec.empty());
    }

    @Test
    void leavesAConfThatDoesNotParseForValidationToReport() {
        MeshSpec spec = decode("metrics: {backends: [{name: p, type: prometheus, conf: {port: abc}}]}");

        MeshSpec defaulted = MeshDefaulter.apply(spec);

        assertThat(defaulted).isEqualTo(spec);
    }

    @Test
    void doesNotChangeItsInput() {
        MeshSpec spec = decode("metrics: {backends: [{name: p, type: prometheus, conf: {port: 1}}]}");
        ObjectNode before = CODEC.encodeSpec(spec);

        MeshDefaulter.apply(spec);

        assertThat(CODEC.encodeSpec(spec)).isEqualTo(before);
    }

    private static MeshSpec decode(String specYaml) {
        ObjectNode document = (ObjectNode) tree(specYaml);
        document.put("type", "Mesh").put("name", "default");
        return CODEC.decode(document).as(ResourceTypes.MESH).spec();
    }

    private static JsonNode tree(String yaml) {
        return CODEC.parseYamlDocuments(yaml).get(0);
    }
}
