package io.ursa.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.validation.Violations;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Keys inside a backend's typed {@code conf} that its type's reader ignores are unknown fields, with the full path
 * and the closest field of that conf; every field of every backend type's complete example is known.
 */
class BackendConfFieldsTest {
    private static final ResourceCodec CODEC = new ResourceCodec(ResourceTypes.standard());

    private static List<UnknownField> unknown(String yaml) {
        return CODEC.decodeReporting(CODEC.parseYamlDocuments(yaml).get(0)).unknownFields();
    }

    private static UnknownField field(String path, String suggestion) {
        return new UnknownField(path, Optional.ofNullable(suggestion));
    }

    /** Every backend type Kuma 2.0 knows, each conf with every field its message has. */
    private static final String EVERY_BACKEND = """
            type: Mesh
            name: demo
            mtls:
              enabledBackend: ca-1
              backends:
                - name: ca-1
                  type: builtin
                  dpCert:
                    rotation:
                      expiration: 1d
                  conf:
                    caCert:
                      RSAbits: 2048
                      expiration: 10y
            metrics:
              enabledBackend: prometheus-1
              backends:
                - name: prometheus-1
                  type: prometheus
                  conf:
                    port: 5670
                    path: /metrics
                    skipMTLS: true
                    tags:
                      kuma.io/service: dataplane-metrics
                    aggregate:
                      - name: app
                        port: 8080
                        path: /stats
                        enabled: true
                        address: 127.0.0.1
                    envoy:
                      filterRegex: http2_act.*
                      usedOnly: true
                    tls:
                      mode: activeMTLSBackend
            tracing:
              defaultBackend: jaeger-collector
              backends:
                - name: jaeger-collector
                  type: zipkin
                  sampling: 100.0
                  conf:
                    url: http://jaeger-collector.kuma-tracing:9411/api/v2/spans
                    traceId128bit: true
                    apiVersion: httpJson
                    sharedSpanContext: false
                - name: datadog-collector
                  type: datadog
                  sampling: 50.0
                  conf:
                    address: 127.0.0.1
                    port: 8126
                    splitService: true
            logging:
              defaultBackend: file
              backends:
                - name: logstash
                  format: '{"start_time": "%START_TIME%"}'
                  type: tcp
                  conf:
                    address: 127.0.0.1:5000
                - name: file
                  type: file
                  conf:
                    path: /tmp/access.log
            """;

    @Test
    void everyFieldOfEveryBackendTypeIsKnown() {
        assertThat(unknown(EVERY_BACKEND)).isEmpty();
        MeshSpec mesh = (MeshSpec) CODEC.decode(CODEC.parseYamlDocuments(EVERY_BACKEND).get(0)).spec();
        Violations violations = new Violations();
        ResourceTypes.MESH.validator().validate(ResourceTypes.MESH.applyDefaults(mesh), violations);
        assertThat(violations.list()).as("the example is a valid mesh").isEmpty();
        for (String source : List.of("secret: ca-cert", "file: /etc/ca/cert.pem", "inline: dGVzdA==",
                "inlineString: test")) {
            assertThat(unknown("""
                    type: Mesh
                    name: demo
                    mtls:
                      backends:
                        - name: ca-1
                          type: provided
                          conf:
                            cert: {%s}
                            key: {%s}
                    """.formatted(source, source))).as(source).isEmpty();
        }
        assertThat(unknown("""
                type: Dataplane
                mesh: default
                name: dp-1
                networking:
                  address: 192.168.0.1
                  inbound: [{port: 8080, tags: {kuma.io/service: backend}}]
                metrics:
                  type: prometheus
                  conf:
                    port: 1234
                    path: /non-standard-path
                    skipMTLS: false
                    tags: {kuma.io/service: dp-metrics}
                """)).isEmpty();
    }

    @Test
    void namesAMisspelledBuiltinCaFieldWithItsFullPath() {
        List<UnknownField> fields = unknown("""
                type: Mesh
                name: demo
                mtls:
                  enabledBackend: ca-1
                  backends:
                    - name: ca-1
                      type: builtin
                      conf:
                        caCrt:
                          RSAbits: 2048
                """);
        assertThat(fields).containsExactly(field("mtls.backends[0].conf.caCrt", "caCert"));
        assertThat(fields.get(0).warning("Mesh", "demo"))
                .isEqualTo("mesh demo: unknown field \"mtls.backends[0].conf.caCrt\" (did you mean \"caCert\"?)");
    }

    @Test
    void reportsEveryBackendTypeDownToNestedFields() {
        assertThat(unknown("""
                type: Mesh
                name: demo
                mtls:
                  backends:
                    - name: ca-1
                      type: builtin
                      conf:
                        caCert: {RSAbit: 2048, expiration: 1y}
                    - name: ca-2
                      type: provided
                      conf:
                        cert: {secrt: c}
                        kye: {secret: k}
                metrics:
                  backends:
                    - name: prom
                      type: prometheus
                      conf:
                        prot: 5670
                        tags: {anything: goes}
                        aggregate:
                          - {name: a, port: 1}
                          - {name: b, prot: 2}
                        envoy: {filterRegx: x}
                        tls: {mod: disabled}
                tracing:
                  backends:
                    - name: z
                      type: zipkin
                      conf: {url: 'http://z:9411', traceId128Bits: true}
                    - name: d
                      type: datadog
                      conf: {adress: 127.0.0.1, port: 8126}
                logging:
                  backends:
                    - name: f
                      type: file
                      conf: {pth: /tmp/log}
                    - name: t
                      type: tcp
                      conf: {addres: 'x:1'}
                """)).containsExactly(
                field("mtls.backends[0].conf.caCert.RSAbit", "RSAbits"),
                field("mtls.backends[1].conf.cert.secrt", "secret"),
                field("mtls.backends[1].conf.kye", "key"),
                field("metrics.backends[0].conf.prot", "port"),
                field("metrics.backends[0].conf.aggregate[1].prot", "port"),
                field("metrics.backends[0].conf.envoy.filterRegx", "filterRegex"),
                field("metrics.backends[0].conf.tls.mod", "mode"),
                field("tracing.backends[0].conf.traceId128Bits", "traceId128bit"),
                field("tracing.backends[1].conf.adress", "address"),
                field("logging.backends[0].conf.pth", "path"),
                field("logging.backends[1].conf.addres", "address"));
    }

    @Test
    void reportsADataplaneMetricsOverrideAndTheKubernetesFormWithUniversalPaths() {
        assertThat(unknown("""
                type: Dataplane
                mesh: default
                name: dp-1
                networking:
                  address: 192.168.0.1
                  inbound: [{port: 8080, tags: {kuma.io/service: backend}}]
                metrics:
                  type: prometheus
                  conf: {skipMtl: true}
                """)).containsExactly(field("metrics.conf.skipMtl", "skipMTLS"));
        assertThat(unknown("""
                apiVersion: kuma.io/v1alpha1
                kind: Mesh
                metadata:
                  name: demo
                spec:
                  mtls:
                    backends:
                      - name: ca-1
                        type: builtin
                        conf:
                          caCrt: {}
                """)).containsExactly(field("mtls.backends[0].conf.caCrt", "caCert"));
    }

    @Test
    void leavesTheConfOfAnUnknownTypeAndValuesOfTheWrongKindToValidation() {
        assertThat(unknown("""
                type: Mesh
                name: demo
                mtls:
                  backends:
                    - name: ca-1
                      type: vault
                      conf: {caCrt: {}}
                    - name: ca-2
                      type: builtin
                      conf: {caCert: not-an-object}
                metrics:
                  backends:
                    - {name: p, type: prometheus, conf: {aggregate: 5, envoy: [1]}}
                """)).isEmpty();
    }

    @Test
    void decodesTheSameResourceAsWithoutReporting() {
        var doc = CODEC.parseYamlDocuments("""
                type: Mesh
                name: demo
                mtls:
                  backends: [{name: ca-1, type: builtin, conf: {caCrt: {RSAbits: 2048}}}]
                """).get(0);
        Resource<?> reported = CODEC.decodeReporting(doc).resource();
        assertThat(reported).isEqualTo(CODEC.decode(doc));
        assertThat(CODEC.toUniversal(reported).path("mtls").path("backends").get(0).path("conf").has("caCrt"))
                .as("the key is kept as written, as Kuma keeps it").isTrue();
    }
}
