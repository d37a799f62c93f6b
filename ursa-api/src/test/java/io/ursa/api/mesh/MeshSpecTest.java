package io.ursa.api.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.ResourceTypes;
import org.junit.jupiter.api.Test;

/** The read-side defaults and lookups other modules use. */
class MeshSpecTest {
    private static final ResourceCodec CODEC = new ResourceCodec(ResourceTypes.standard());

    @Test
    void passthroughIsOnUnlessExplicitlyFalse() {
        assertThat(MeshSpec.empty().isPassthrough()).isTrue();
        assertThat(decode("networking: {}").isPassthrough()).isTrue();
        assertThat(decode("networking: {outbound: {}}").isPassthrough()).isTrue();
        assertThat(decode("networking: {outbound: {passthrough: true}}").isPassthrough()).isTrue();
        assertThat(decode("networking: {outbound: {passthrough: false}}").isPassthrough()).isFalse();
    }

    @Test
    void mtlsIsOnWhenAnEnabledBackendIsNamed() {
        MeshSpec on = decode("mtls: {enabledBackend: ca-2, backends: [{name: ca-1}, {name: ca-2, type: provided}]}");
        MeshSpec off = decode("mtls: {backends: [{name: ca-1, type: builtin}]}");

        assertThat(on.mtlsEnabled()).isTrue();
        assertThat(on.enabledMtlsBackend()).map(Mtls.Backend::type).contains("provided");
        assertThat(off.mtlsEnabled()).isFalse();
        assertThat(off.enabledMtlsBackend()).isEmpty();
        assertThat(MeshSpec.empty().mtlsEnabled()).isFalse();
    }

    @Test
    void findsBackendsByNameOrDefault() {
        MeshSpec spec = decode("""
                logging: {defaultBackend: b, backends: [{name: a}, {name: b}]}
                tracing: {backends: [{name: t}]}
                metrics: {enabledBackend: p, backends: [{name: p, type: prometheus}]}
                """);

        assertThat(spec.loggingBackend("")).map(Logging.Backend::name).contains("b");
        assertThat(spec.loggingBackend("a")).map(Logging.Backend::name).contains("a");
        assertThat(spec.tracingBackend("")).isEmpty();
        assertThat(spec.tracingBackend("t")).map(Tracing.Backend::name).contains("t");
        assertThat(spec.enabledMetricsBackend()).map(Metrics.Backend::name).contains("p");
        assertThat(MeshSpec.empty().loggingBackend("a")).isEmpty();
    }

    @Test
    void routingFlagsDefaultToOff() {
        assertThat(MeshSpec.empty().zoneEgressEnabled()).isFalse();
        assertThat(MeshSpec.empty().localityAwareLoadBalancingEnabled()).isFalse();
        MeshSpec spec = decode("routing: {zoneEgress: true, localityAwareLoadBalancing: true}");
        assertThat(spec.zoneEgressEnabled()).isTrue();
        assertThat(spec.localityAwareLoadBalancingEnabled()).isTrue();
    }

    @Test
    void helpersAreNotWrittenAsFields() {
        MeshSpec spec = decode("mtls: {enabledBackend: a, backends: [{name: a}]}");

        assertThat(CODEC.encodeSpec(spec).fieldNames()).toIterable().containsExactly("mtls");
    }

    private static MeshSpec decode(String specYaml) {
        ObjectNode document = (ObjectNode) CODEC.parseYamlDocuments(specYaml).get(0);
        document.put("type", "Mesh").put("name", "default");
        return CODEC.decode(document).as(ResourceTypes.MESH).spec();
    }
}
