package io.ursa.xds.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ursa.api.validation.ValidationException;
import io.ursa.api.validation.Violation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BootstrapRequestTest {

    /** The body ursa-dp sends (its BootstrapClientTest), which is kuma-dp 2.0.8's. */
    @Test
    void parsesTheAgentsRequest() {
        BootstrapRequest request = BootstrapRequest.parse("""
                {
                  "mesh": "demo",
                  "name": "backend-1",
                  "proxyType": "dataplane",
                  "dataplaneToken": "a.b.c",
                  "dataplaneTokenPath": "/tmp/token",
                  "dataplaneResource": "{\\"type\\":\\"Dataplane\\",\\"mesh\\":\\"demo\\",\\"name\\":\\"backend-1\\"}",
                  "version": {
                    "kumaDp": {
                      "version": "0.0.1",
                      "gitTag": "v0.0.1",
                      "gitCommit": "91ce236824a9d875601679aa80c63783fb0e8725",
                      "buildDate": "2019-08-07T11:26:06Z"
                    },
                    "envoy": {
                      "version": "1.24.2",
                      "build": "50ef0945fa2c5da4bff7627c3abf41fdd3b7cffd/1.24.2/Clean/RELEASE/BoringSSL",
                      "kumaDpCompatible": true
                    }
                  },
                  "caCert": "",
                  "dynamicMetadata": {"b": "2", "a": "1"},
                  "dnsPort": 15054,
                  "emptyDnsPort": 15055,
                  "operatingSystem": "linux",
                  "features": ["feature-tcp-accesslog-via-named-pipe"],
                  "resources": {"maxHeapSizeBytes": 1024},
                  "someFutureField": {"ignored": true}
                }""");

        assertThat(request.mesh()).isEqualTo("demo");
        assertThat(request.name()).isEqualTo("backend-1");
        assertThat(request.proxyType()).isEqualTo(BootstrapRequest.ProxyType.DATAPLANE);
        assertThat(request.dataplaneToken()).hasValue("a.b.c");
        assertThat(request.dataplaneTokenPath()).hasValue("/tmp/token");
        assertThat(request.dataplaneResource()).hasValue(
                "{\"type\":\"Dataplane\",\"mesh\":\"demo\",\"name\":\"backend-1\"}");
        assertThat(request.version()).isEqualTo(new BootstrapRequest.Version(
                new BootstrapRequest.KumaDp("0.0.1", "v0.0.1", "91ce236824a9d875601679aa80c63783fb0e8725",
                        "2019-08-07T11:26:06Z"),
                new BootstrapRequest.Envoy("1.24.2",
                        "50ef0945fa2c5da4bff7627c3abf41fdd3b7cffd/1.24.2/Clean/RELEASE/BoringSSL", true)));
        assertThat(request.dynamicMetadata()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThat(request.dnsPort()).isEqualTo(15054);
        assertThat(request.emptyDnsPort()).isEqualTo(15055);
        assertThat(request.operatingSystem()).isEqualTo("linux");
        assertThat(request.features()).containsExactly("feature-tcp-accesslog-via-named-pipe");
        assertThat(request.maxHeapSizeBytes()).isEqualTo(1024);
    }

    @Test
    void takesKumasZeroValuesForWhatIsLeftOut() {
        BootstrapRequest request = BootstrapRequest.parse("{\"mesh\":\"default\",\"name\":\"web-1\","
                + "\"proxyType\":\"\",\"dataplaneToken\":\"\",\"caCert\":null}");

        assertThat(request.proxyType()).isEqualTo(BootstrapRequest.ProxyType.DATAPLANE);
        assertThat(request.dataplaneToken()).isEmpty();
        assertThat(request.dataplaneTokenPath()).isEmpty();
        assertThat(request.dataplaneResource()).isEmpty();
        assertThat(request.version()).isEqualTo(BootstrapRequest.Version.UNKNOWN);
        assertThat(request.caCert()).isEmpty();
        assertThat(request.dynamicMetadata()).isEmpty();
        assertThat(request.features()).isEmpty();
        assertThat(request.dnsPort()).isZero();
        assertThat(request.maxHeapSizeBytes()).isZero();
    }

    @Test
    void parsesEveryProxyType() {
        for (BootstrapRequest.ProxyType type : BootstrapRequest.ProxyType.values()) {
            String mesh = type == BootstrapRequest.ProxyType.EGRESS ? "" : "m";
            assertThat(BootstrapRequest.parse("{\"mesh\":\"" + mesh + "\",\"name\":\"n\",\"proxyType\":\""
                    + type.wireName() + "\"}").proxyType()).isEqualTo(type);
        }
    }

    @Test
    void aZoneEgressBelongsToNoMesh() {
        assertThat(violations("{\"mesh\":\"default\",\"name\":\"egress-1\",\"proxyType\":\"egress\"}"))
                .containsExactly(new Violation("mesh", "must be empty for a zone egress, which belongs to no mesh"));
        assertThat(BootstrapRequest.parse("{\"name\":\"egress-1\",\"proxyType\":\"egress\"}").mesh()).isEmpty();
    }

    @Test
    void reportsEveryViolationWithItsField() {
        List<Violation> violations = violations("""
                {
                  "mesh": "",
                  "name": "Web.1",
                  "proxyType": "sidecar",
                  "dataplaneToken": 42,
                  "version": {"kumaDp": "2.0.8", "envoy": {"version": 1, "kumaDpCompatible": "yes"}},
                  "dynamicMetadata": {"team": "a", "replicas": 3},
                  "dnsPort": 70000,
                  "emptyDnsPort": -1,
                  "features": ["ok", 7],
                  "resources": {"maxHeapSizeBytes": 1.5}
                }""");

        assertThat(violations).containsExactly(
                new Violation("name", "invalid characters. Valid characters are numbers, lowercase latin letters "
                        + "and '-', '_' symbols."),
                new Violation("mesh", "cannot be empty"),
                new Violation("proxyType", "unknown proxy type: \"sidecar\" (expected: one of dataplane, ingress, "
                        + "egress)"),
                new Violation("dataplaneToken", "must be a string, got: 42"),
                new Violation("version.kumaDp", "must be an object, got: \"2.0.8\""),
                new Violation("version.envoy.version", "must be a string, got: 1"),
                new Violation("version.envoy.kumaDpCompatible", "must be true or false, got: \"yes\""),
                new Violation("dynamicMetadata[\"replicas\"]", "must be a string, got: 3"),
                new Violation("dnsPort", "invalid port: 70000 (expected: 0-65535)"),
                new Violation("emptyDnsPort", "invalid port: -1 (expected: 0-65535)"),
                new Violation("features[1]", "must be a string, got: 7"),
                new Violation("resources.maxHeapSizeBytes", "must be a non-negative integer, got: 1.5"));
    }

    @Test
    void readsTheControlPlaneInstancesUrsaDpSendsAndNamesABadOne() {
        BootstrapRequest request = BootstrapRequest.parse("{\"mesh\":\"m\",\"name\":\"n\","
                + "\"controlPlaneAddresses\":[\"https://cp-1:5678\",\"https://[fd00::2]\",\"http://10.0.0.3:6000\"]}");
        assertThat(request.controlPlaneAddresses()).containsExactly(new XdsAddress("cp-1", 5678),
                new XdsAddress("fd00::2", 0), new XdsAddress("10.0.0.3", 6000));
        assertThat(BootstrapRequest.parse("{\"mesh\":\"m\",\"name\":\"n\"}").controlPlaneAddresses()).isEmpty();

        assertThat(violations("{\"mesh\":\"m\",\"name\":\"n\",\"controlPlaneAddresses\":"
                + "[\"https://cp-1:5678\",\"grpc://cp-2:5678\",3]}")).containsExactly(
                new Violation("controlPlaneAddresses[2]", "must be a string, got: 3"),
                new Violation("controlPlaneAddresses[1]", "invalid URL: \"grpc://cp-2:5678\" (expected:"
                        + " https://host[:port] or http://host[:port] of a control plane's DP server)"));
    }

    @Test
    void requiresTheMeshAndTheName() {
        assertThat(violations("{}")).containsExactly(
                new Violation("name", "cannot be empty"),
                new Violation("mesh", "cannot be empty"));
    }

    @Test
    void refusesABodyThatIsNotAJsonObject() {
        assertThat(violations("[1, 2]")).singleElement().satisfies(v -> {
            assertThat(v.field()).isEmpty();
            assertThat(v.message()).startsWith("the body is not a JSON object");
        });
        assertThat(violations("{\"mesh\": ")).singleElement().satisfies(v ->
                assertThat(v.message()).startsWith("the body is not valid JSON"));
        assertThat(violations("")).singleElement().satisfies(v ->
                assertThat(v.message()).startsWith("the body is not a JSON object"));
    }

    @Test
    void renderingTheErrorNamesFieldAndReason() {
        ValidationException e = catchThrowableOfType(
                () -> BootstrapRequest.parse("{\"mesh\":\"m\",\"name\":\"n\",\"dnsPort\":\"53\"}"),
                ValidationException.class);

        assertThat(e).hasMessage("dnsPort: invalid port: \"53\" (expected: 0-65535)");
    }

    @Test
    void recordRefusesOutOfRangeValues() {
        assertThat(catchThrowableOfType(() -> new BootstrapRequest("m", "n", BootstrapRequest.ProxyType.DATAPLANE,
                Optional.empty(), Optional.empty(), Optional.empty(), BootstrapRequest.Version.UNKNOWN, "", new TreeMap<>(), 70000, 0, "", List.of(), 0), IllegalArgumentException.class))
                .hasMessage("invalid dnsPort: 70000 (expected: 0-65535)");
    }

    private static List<Violation> violations(String body) {
        ValidationException e = catchThrowableOfType(() -> BootstrapRequest.parse(body), ValidationException.class);
        assertThat(e).as("a validation error for %s", body).isNotNull();
        return e.violations();
    }
}
