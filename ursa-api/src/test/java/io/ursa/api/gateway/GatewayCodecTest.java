package io.ursa.api.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.codec.UnknownField;
import io.ursa.api.policy.RoundTrips;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MeshGateway and MeshGatewayRoute in both forms: Kuma 2.0's CRDs are cluster-scoped with a top-level
 * {@code mesh}, enums are written by name with the zero value left out, and misspelled nested fields are
 * reported with the name meant.
 */
class GatewayCodecTest {
    private static final ResourceCodec CODEC = new ResourceCodec(ResourceTypes.standard());

    static Stream<Named<JsonNode>> documents() {
        return RoundTrips.documentsIn("testdata/policy/roundtrip")
                .filter(d -> d.getName().startsWith("mesh-gateways.yaml"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void kubernetesFormIsClusterScopedWithTheMeshAtTopLevelAndDecodesToTheSameResource(JsonNode document) {
        Resource<?> universal = CODEC.decode(document);
        ObjectNode kubernetes = CODEC.toKubernetes(universal);

        assertThat(kubernetes.path("apiVersion").asText()).isEqualTo("kuma.io/v1alpha1");
        assertThat(kubernetes.path("kind").asText()).isEqualTo(document.path("type").asText());
        assertThat(kubernetes.path("mesh").asText()).isEqualTo("demo");
        assertThat(kubernetes.path("metadata").has("namespace")).isFalse();
        assertThat(kubernetes.path("metadata").path("name").asText()).isEqualTo(document.path("name").asText());
        assertThat(kubernetes.path("spec")).isEqualTo(CODEC.encodeSpec(universal.spec()));
        assertThat(CODEC.decode(kubernetes)).isEqualTo(universal);
    }

    @Test
    void kubernetesManifestWithADottedNameKeepsTheWholeName() {
        Resource<?> gateway = CODEC.decode(yaml("""
                apiVersion: kuma.io/v1alpha1
                kind: MeshGateway
                mesh: default
                metadata:
                  name: edge.gateway
                spec:
                  selectors:
                  - match:
                      kuma.io/service: edge
                  conf:
                    listeners:
                    - port: 80
                      protocol: HTTP
                """));
        assertThat(gateway.name()).isEqualTo("edge.gateway");
        assertThat(gateway.mesh()).isEqualTo("default");
        assertThat(CODEC.toKubernetes(gateway).path("metadata").path("name").asText()).isEqualTo("edge.gateway");
    }

    @Test
    void writesEnumsByNameAndLeavesZeroValuesOut() {
        ObjectNode out = RoundTrips.reencode(yaml("""
                type: MeshGateway
                mesh: default
                name: edge
                conf:
                  listeners:
                  - port: 80
                    protocol: 4
                    crossMesh: false
                    resources:
                      connectionLimit: 0
                    tls:
                      mode: 0
                  - port: 81
                    protocol: NONE
                """));
        JsonNode first = out.path("conf").path("listeners").get(0);
        assertThat(first.path("protocol").asText()).isEqualTo("HTTP");
        assertThat(first.has("crossMesh")).isFalse();
        assertThat(first.path("resources")).isEmpty();
        assertThat(first.path("tls").has("mode")).isFalse();
        assertThat(out.path("conf").path("listeners").get(1).has("protocol")).isFalse();

        JsonNode match = RoundTrips.reencode(yaml("""
                type: MeshGatewayRoute
                mesh: default
                name: r
                conf:
                  http:
                    rules:
                    - matches:
                      - method: GET
                        path: {match: EXACT, value: /}
                        headers: [{match: REGEX, name: a, value: b}]
                """)).path("conf").path("http").path("rules").get(0).path("matches").get(0);
        assertThat(match.path("method").asText()).isEqualTo("GET");
        assertThat(match.path("path").has("match")).isFalse();
        assertThat(match.path("headers").get(0).path("match").asText()).isEqualTo("REGEX");
    }

    @Test
    void reportsMisspelledNestedFieldsWithTheNameMeant() {
        assertThat(unknown("""
                {type: MeshGateway, mesh: default, name: edge, conf: {listeners: [{port: 80, protocl: HTTP,
                  tls: {certificate: [{secret: s}]}, resources: {connectionLimt: 3}}]}}
                """)).containsExactly(
                field("conf.listeners[0].protocl", "protocol"),
                field("conf.listeners[0].tls.certificate", "certificates"),
                field("conf.listeners[0].resources.connectionLimt", "connectionLimit"));
        // the Kubernetes form, written as JSON flow YAML: the paths are the same
        assertThat(unknown("""
                {apiVersion: kuma.io/v1alpha1, kind: MeshGatewayRoute, mesh: default, metadata: {name: r},
                 spec: {conf: {http: {rules: [{matches: [{path: {value: /}, queryParameter: []}],
                   filters: [{requestHeaders: {}}], backends: [{destination: {kuma.io/service: a}, wieght: 1}]}]}}}}
                """)).containsExactly(
                field("conf.http.rules[0].matches[0].queryParameter", "queryParameters"),
                field("conf.http.rules[0].filters[0].requestHeaders", "requestHeader"),
                field("conf.http.rules[0].backends[0].wieght", "weight"));
    }

    @Test
    void protoNamesAreKnownFields() {
        assertThat(unknown("""
                {type: MeshGatewayRoute, mesh: default, name: r, conf: {http: {rules: [{
                  matches: [{query_parameters: [{name: a, value: b}]}],
                  filters: [{request_header: {remove: [x]}}, {redirect: {status_code: 301}}]}]}}}
                """)).isEmpty();
        assertThat(unknown("""
                {type: MeshGateway, mesh: default, name: g, conf: {listeners: [
                  {port: 80, cross_mesh: true, resources: {connection_limit: 1}}]}}
                """)).isEmpty();
    }

    private static List<UnknownField> unknown(String text) {
        return CODEC.decodeReporting(yaml(text)).unknownFields();
    }

    private static UnknownField field(String path, String suggestion) {
        return new UnknownField(path, Optional.ofNullable(suggestion));
    }

    private static JsonNode yaml(String text) {
        return CODEC.parseYamlDocuments(text).get(0);
    }
}
