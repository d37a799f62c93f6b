package io.ursa.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.codec.Json;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The tables of get and inspect, against golden files (AGE is fixed by the injected clock). */
class TableRenderingTest {
    private static final Clock CLOCK = Clock.fixed(CtlRunner.NOW, ZoneOffset.UTC);

    @ParameterizedTest
    @CsvSource({
        "meshes, get-meshes",
        "dataplanes, get-dataplanes",
        "traffic-routes, get-traffic-routes",
        "external-services, get-external-services",
        "global-secrets, get-global-secrets",
        "access-role-bindings, get-access-role-bindings",
        "zoneegresses, get-zoneegresses",
        "meshgateways, get-meshgateways",
        "meshgatewayroutes, get-meshgatewayroutes",
    })
    void rendersGetTablesLikeKumactl(String cliName, String stem) {
        ResourceType<?> type = ResourceTypes.standard().byCliName(cliName).orElseThrow();
        JsonNode list = input(stem);

        String table = ResourceTables.render(type, JsonFields.elements(list, "items"), CLOCK.instant(),
                ResourceTables.pagingFooter(list));

        Golden.assertMatches(table, stem + ".golden.txt");
    }

    @Test
    void rendersGlobalTypesWithNameAndAgeOnly() {
        ResourceType<?> global = ResourceType.builder("Zone", io.ursa.api.mesh.MeshSpec.class)
                .scope(io.ursa.api.resource.Scope.GLOBAL).wsPath("zones").cli("zone", "zones")
                .displayNames("Zone", "Zones").build();
        JsonNode zone = parse("{\"type\":\"Zone\",\"name\":\"east\",\"modificationTime\":\"2024-05-01T11:57:00Z\"}");

        assertThat(ResourceTables.render(global, List.of(zone), CLOCK.instant(), ""))
                .isEqualTo("NAME   AGE\neast   3m\n");
    }

    @Test
    void rendersInspectMeshesWithOnlineOverTotalPolicyTotalsAndTheShortenedCa() {
        JsonNode list = input("inspect-meshes");

        Golden.assertMatches(MeshInsightTable.render(JsonFields.elements(list, "items"), ""),
                "inspect-meshes.golden.txt");
    }

    @Test
    void rendersInspectDataplanesWithStatusAndCertificates() {
        JsonNode list = input("inspect-dataplanes");

        Golden.assertMatches(DataplaneOverviewTable.render(JsonFields.elements(list, "items"), CLOCK, ""),
                "inspect-dataplanes.golden.txt");
    }

    @Test
    void rendersInspectZoneEgressesWithStatusAndTheirLastRejection() {
        JsonNode list = input("inspect-zoneegresses");

        Golden.assertMatches(InspectZoneEgressesCommand.render(JsonFields.elements(list, "items"), CLOCK, ""),
                "inspect-zoneegresses.golden.txt");
    }

    @Test
    void rendersInspectDataplanePoliciesPerAttachmentWithTheSelectorsTheyMatchedBy() {
        Golden.assertMatches(MatchedPoliciesText.render(input("inspect-dataplane-policies")),
                "inspect-dataplane-policies.golden.txt");
        assertThat(MatchedPoliciesText.render(parse("{\"kind\":\"SidecarDataplane\",\"total\":0,\"items\":[]}")))
                .isEqualTo("No policies match this Dataplane.\n");
    }

    @Test
    void formatsAgesLikeKubectl() {
        Instant now = CtlRunner.NOW;
        assertThat(Age.since(now.minusSeconds(5), now)).isEqualTo("5s");
        assertThat(Age.since(now.minusSeconds(200), now)).isEqualTo("3m");
        assertThat(Age.since(now.minus(Duration.ofMinutes(150)), now)).isEqualTo("2h");
        assertThat(Age.since(now.minus(Duration.ofHours(100)), now)).isEqualTo("4d");
        assertThat(Age.since(now.minus(Duration.ofDays(800)), now)).isEqualTo("2y");
        assertThat(Age.since(now.plusMillis(500), now)).isEqualTo("0s");
        assertThat(Age.since(now.plusSeconds(30), now)).isEqualTo("never");
        assertThat(Age.since(Instant.parse("0001-01-01T00:00:00Z"), now)).isEqualTo("292y");
    }

    @Test
    void padsEveryColumnButTheLastByThreeSpaces() {
        String text = new Table(List.of("MESH", "NAME")).row(List.of("default", "example"))
                .row(List.of("playground", "demo")).render();

        assertThat(text).isEqualTo("MESH         NAME\ndefault      example\nplayground   demo\n");
    }

    private static JsonNode input(String stem) {
        return parse(Golden.read(stem + ".input.json"));
    }

    private static JsonNode parse(String json) {
        try {
            return Json.json().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
