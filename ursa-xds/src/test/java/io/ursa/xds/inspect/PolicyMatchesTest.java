package io.ursa.xds.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.testing.GoldenFiles;
import io.ursa.xds.testing.XdsFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyMatchesTest {
    private static final Path FOLDER = XdsFixtures.TESTDATA.resolve("inspect");
    private static final String INPUT = ".input.yaml";

    /** One case per {@code <case>.input.yaml}; the proxy inspected is the file's first Dataplane. */
    static Stream<String> cases() {
        return GoldenFiles.caseNames(FOLDER, INPUT).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesGolden(String name) {
        GoldenFiles.assertMatches(FOLDER.resolve(name + ".golden.yaml"), inspect(name));
    }

    @Test
    void listsAttachmentsInKumasOrderWithTheirServices() {
        List<String> attachments = new ArrayList<>();
        for (JsonNode item : inspect("most-specific").path("items")) {
            attachments.add(item.path("type").asText() + " " + item.path("name").asText() + " ("
                    + item.path("service").asText() + ")");
        }

        assertThat(attachments).containsExactly(
                "dataplane  ()",
                "inbound 192.168.0.1:8080:80 (web)",
                "inbound 192.168.0.1:9090:9090 (web-admin)",
                "outbound 127.0.0.1:10001 (api)",
                "outbound 127.0.0.2:10002 (db)",
                "service api (api)",
                "service db (db)",
                "service legacy-api (legacy-api)",
                "service pass_through (pass_through)");
    }

    @Test
    void theMostSpecificPolicyWinsAndSaysWhichSelectorsMatched() {
        JsonNode outbound = item(inspect("most-specific"), "127.0.0.1:10001");

        assertThat(outbound.at("/matchedPolicies/Timeout/0/name").asText()).isEqualTo("timeout-web-v1");
        JsonNode why = outbound.at("/matchedBy/Timeout/0");
        assertThat(why.path("name").asText()).isEqualTo("timeout-web-v1");
        assertThat(why.at("/source/match").toString()).isEqualTo("{\"kuma.io/service\":\"web\",\"version\":\"v1\"}");
        assertThat(why.at("/destination/match").toString()).isEqualTo("{\"kuma.io/service\":\"*\"}");
        assertThat(why.at("/rank").toString()).isEqualTo("{\"exact\":2,\"wildcard\":1}");
        // Same total of tags as route-all's two wildcards, but exact ones: the split route wins.
        assertThat(outbound.at("/matchedPolicies/TrafficRoute/0/name").asText()).isEqualTo("api-split");
    }

    @Test
    void inboundPoliciesMatchByDestinationOnlyAndListEveryFaultMostSpecificSourceFirst() {
        JsonNode inbound = item(inspect("most-specific"), "192.168.0.1:8080:80");

        assertThat(inbound.at("/matchedPolicies/TrafficPermission/0/name").asText()).isEqualTo("web-from-api");
        assertThat(inbound.at("/matchedBy/TrafficPermission/0/source").isMissingNode()).isTrue();
        assertThat(names(inbound.at("/matchedPolicies/FaultInjection")))
                .containsExactly("abort-from-api", "delay-from-anyone");
        assertThat(inbound.at("/matchedBy/FaultInjection/0/destination/match/kuma.io~1service").asText())
                .isEqualTo("web");
    }

    @Test
    void aProxyWithoutMatchesHasAnEmptyList() {
        JsonNode result = inspect("nothing-matches");

        assertThat(result.path("kind").asText()).isEqualTo("SidecarDataplane");
        assertThat(result.path("total").asInt()).isZero();
        assertThat(result.path("items")).isEmpty();
    }

    @Test
    void saysWhichMatchedPoliciesThisKindOfProxyDoesNotGet() {
        ProxyContext sidecar = XdsFixtures.firstProxy(FOLDER.resolve("most-specific" + INPUT));
        JsonNode envoy = PolicyMatches.json(sidecar, XdsFixtures.CODEC);
        JsonNode grpc = PolicyMatches.json(sidecar.withMetadata(io.ursa.xds.context.ProxyMetadata.grpc()),
                XdsFixtures.CODEC);

        List<String> forEnvoy = new ArrayList<>();
        envoy.path("items").forEach(item -> item.path("notApplied").fieldNames().forEachRemaining(forEnvoy::add));
        List<String> forGrpc = new ArrayList<>();
        grpc.path("items").forEach(item -> item.path("notApplied").fieldNames().forEachRemaining(forGrpc::add));
        assertThat(forEnvoy).isEmpty();
        assertThat(forGrpc).contains("ProxyTemplate", "TrafficLog", "TrafficTrace", "HealthCheck", "RateLimit")
                .doesNotContain("TrafficPermission", "TrafficRoute", "Timeout", "FaultInjection");
    }

    @Test
    void anExternalServiceGetsMeshMtlsOnlyThroughAZoneEgress() {
        Path input = XdsFixtures.TESTDATA.resolve("outbound/external-zone-egress.input.yaml");
        String yaml = XdsFixtures.read(input);
        JsonNode throughEgress = PolicyMatches.json(XdsFixtures.firstProxy(yaml, "egress"), XdsFixtures.CODEC);
        JsonNode direct = PolicyMatches.json(XdsFixtures.firstProxy(yaml.replace("zoneEgress: true",
                "zoneEgress: false"), "direct"), XdsFixtures.CODEC);

        assertThat(item(throughEgress, "127.0.0.1:10001").path("mtls").asBoolean()).isTrue();
        assertThat(item(direct, "127.0.0.1:10001").path("mtls").asBoolean()).as("straight to its address")
                .isFalse();
    }

    private static JsonNode inspect(String name) {
        ProxyContext proxy = XdsFixtures.firstProxy(FOLDER.resolve(name + INPUT));
        return PolicyMatches.json(proxy, XdsFixtures.CODEC);
    }

    private static JsonNode item(JsonNode result, String name) {
        for (JsonNode item : result.path("items")) {
            if (item.path("name").asText().equals(name)) {
                return item;
            }
        }
        throw new AssertionError("no attachment " + name + " in " + result.toPrettyString());
    }

    private static List<String> names(JsonNode policies) {
        List<String> names = new ArrayList<>();
        policies.forEach(p -> names.add(p.path("name").asText()));
        return names;
    }
}
