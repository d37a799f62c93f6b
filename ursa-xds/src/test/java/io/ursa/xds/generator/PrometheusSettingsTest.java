package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.mesh.PrometheusConfig;
import io.ursa.api.resource.Resource;
import io.ursa.xds.testing.XdsFixtures;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrometheusSettingsTest {

    @Test
    void defaultsFillWhatTheMeshBackendLeavesUnset() {
        PrometheusSettings settings = settings("conf: {}", "").orElseThrow();

        assertThat(settings.port()).isEqualTo(5670);
        assertThat(settings.path()).isEqualTo("/metrics");
        assertThat(settings.tags()).isEqualTo(Map.of("kuma.io/service", "dataplane-metrics"));
        assertThat(settings.skipMtls()).isFalse();
        assertThat(settings.statsQuery()).isEmpty();
    }

    @Test
    void dataplaneScalarsAndWrappersWinTagsMergeAndAggregatesMergeByName() {
        PrometheusSettings settings = settings("""
                conf:
                  port: 1234
                  path: /mesh
                  skipMTLS: false
                  tags: {kuma.io/service: dataplane-metrics, team: core}
                  envoy: {filterRegex: 'cluster\\..*', usedOnly: true}
                  aggregate:
                  - {name: app, port: 8000, path: /app-metrics}
                  - {name: sidecar, port: 9000, path: /sidecar}
                """, """
                metrics:
                  type: prometheus
                  conf:
                    port: 4321
                    skipMTLS: true
                    tags: {team: web}
                    envoy: {usedOnly: false}
                    aggregate:
                    - {name: app, port: 8001, path: /app}
                    - {name: extra, port: 8002, path: /extra, enabled: false}
                """).orElseThrow();

        assertThat(settings.port()).isEqualTo(4321);
        assertThat(settings.path()).isEqualTo("/mesh");
        assertThat(settings.skipMtls()).isTrue();
        assertThat(settings.tags()).isEqualTo(Map.of("kuma.io/service", "dataplane-metrics", "team", "web"));
        assertThat(settings.filterRegex()).isEqualTo("cluster\\..*");
        assertThat(settings.usedOnly()).isFalse();
        assertThat(settings.aggregate()).extracting(PrometheusConfig.Aggregate::name, PrometheusConfig.Aggregate::port)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("app", 8001L),
                        org.assertj.core.groups.Tuple.tuple("sidecar", 9000L),
                        org.assertj.core.groups.Tuple.tuple("extra", 8002L));
        assertThat(settings.statsQuery()).isEqualTo("?filter=cluster\\..*");
    }

    @Test
    void statsQueryWritesUsedOnlyWithoutAValue() {
        assertThat(settings("conf: {envoy: {usedOnly: true}}", "").orElseThrow().statsQuery())
                .isEqualTo("?usedonly");
        assertThat(settings("conf: {envoy: {filterRegex: 'http.*', usedOnly: true}}", "").orElseThrow()
                .statsQuery()).isEqualTo("?filter=http.*&usedonly");
    }

    @Test
    void aDataplaneOverrideOfAnotherTypeIsIgnored() {
        PrometheusSettings settings = settings("conf: {port: 1234}",
                "metrics: {type: statsd, conf: {port: 9999}}").orElseThrow();

        assertThat(settings.port()).isEqualTo(1234);
    }

    @Test
    void nothingWhenTheEnabledBackendIsNotPrometheus() {
        MeshSpec mesh = mesh("""
                metrics:
                  enabledBackend: other
                  backends:
                  - {name: other, type: statsd}
                """);

        assertThat(PrometheusSettings.of(mesh, dataplane(""))).isEmpty();
    }

    @Test
    void refusesAPortOutsideTheTcpRange() {
        assertThatThrownBy(() -> settings("conf: {port: 70000}", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid Prometheus port: 70000 (expected: 1-65535)");
    }

    private static Optional<PrometheusSettings> settings(String backendConf, String dataplaneMetrics) {
        MeshSpec mesh = mesh("""
                metrics:
                  enabledBackend: prometheus-1
                  backends:
                  - name: prometheus-1
                    type: prometheus
                """ + backendConf.indent(4));
        return PrometheusSettings.of(mesh, dataplane(dataplaneMetrics));
    }

    private static MeshSpec mesh(String spec) {
        return (MeshSpec) only("type: Mesh\nname: default\n" + spec).spec();
    }

    private static DataplaneSpec dataplane(String metrics) {
        return (DataplaneSpec) only("""
                type: Dataplane
                mesh: default
                name: web-1
                networking:
                  address: 192.168.0.1
                  inbound:
                  - port: 8080
                    tags: {kuma.io/service: web}
                """ + metrics).spec();
    }

    private static Resource<?> only(String yaml) {
        List<Resource<?>> resources = XdsFixtures.parse(yaml);
        assertThat(resources).hasSize(1);
        return resources.get(0);
    }
}
