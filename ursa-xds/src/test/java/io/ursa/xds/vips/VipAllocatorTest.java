package io.ursa.xds.vips;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class VipAllocatorTest {
    private static final VipEntry API = VipEntry.service("api");
    private static final VipEntry WEB = VipEntry.service("web");
    private static final VipEntry API_HOST = VipEntry.host("api");

    @Test
    void everyWantedNameGetsADistinctVipOf240Slash4() {
        SortedSet<VipEntry> wanted = new TreeSet<>();
        for (int i = 0; i < 2000; i++) {
            wanted.add(VipEntry.service("service-" + i));
        }

        VipTable table = VipAllocator.allocate(VipTable.empty(), wanted);

        assertThat(table.vips().keySet()).isEqualTo(wanted);
        assertThat(table.vips().values()).doesNotHaveDuplicates()
                .allSatisfy(vip -> assertThat(Integer.parseInt(vip.split("\\.")[0])).isBetween(240, 255));
    }

    @Test
    void aServiceAndAVirtualOutboundHostOfTheSameNameGetTwoVips() {
        VipTable table = VipAllocator.allocate(VipTable.empty(), entries(API, API_HOST));

        assertThat(table.vip(API)).isNotEqualTo(table.vip(API_HOST));
    }

    @Test
    void theSameInputsGiveTheSameTable() {
        assertThat(VipAllocator.allocate(VipTable.empty(), entries(API, WEB)))
                .isEqualTo(VipAllocator.allocate(VipTable.empty(), entries(WEB, API)));
    }

    @Test
    void aLiveServiceKeepsItsVipWhateverIsAddedOrRemoved() {
        VipTable first = VipAllocator.allocate(VipTable.empty(), entries(API, WEB));

        VipTable second = VipAllocator.allocate(first, entries(API, VipEntry.service("db"), API_HOST));

        assertThat(second.vip(API)).isEqualTo(first.vip(API));
        assertThat(second.vip(WEB)).as("removed, so its VIP is free").isEmpty();
        assertThat(second.vips()).hasSize(3);
    }

    @Test
    void aVipTakenByALiveServiceIsNeverGivenToANewOne() {
        // web holds the address api would hash to: api gets the next free one
        String apiPreferred = VipAllocator.allocate(VipTable.empty(), entries(API)).vip(API).orElseThrow();
        VipTable taken = new VipTable(new TreeMap<>(Map.of(WEB, apiPreferred)));

        VipTable table = VipAllocator.allocate(taken, entries(API, WEB));

        assertThat(table.vip(WEB)).contains(apiPreferred);
        assertThat(table.vip(API)).isPresent().get().isNotEqualTo(apiPreferred);
    }

    @Test
    void anUnchangedSetOfNamesReturnsThePreviousTable() {
        VipTable first = VipAllocator.allocate(VipTable.empty(), entries(API, WEB));

        assertThat(VipAllocator.allocate(first, entries(API, WEB))).isSameAs(first);
    }

    @Test
    void tableRoundTripsThroughItsStoredForm() {
        VipTable table = VipAllocator.allocate(VipTable.empty(), entries(API, WEB, API_HOST));

        assertThat(VipTable.fromJson(table.toJson())).isEqualTo(table);
        assertThat(table.toJson()).startsWith("{\"host:api\":\"");
    }

    @Test
    void refusesTablesThatAreNotVipsOf240Slash4() {
        assertThatThrownBy(() -> VipTable.fromJson("{\"service:api\":\"10.0.0.1\"}"))
                .hasMessage("invalid VIP: 10.0.0.1 (expected: an address of 240.0.0.0/4)");
        assertThatThrownBy(() -> VipTable.fromJson("{\"svc:api\":\"240.0.0.1\"}"))
                .hasMessage("invalid VIP entry: \"svc:api\" (expected: service:<name>, host:<name> or fqdn:<name>)");
        assertThatThrownBy(() -> VipTable.fromJson("{\"service:api\":\"240.0.0.1\",\"service:web\":\"240.0.0.1\"}"))
                .hasMessage("VIP 240.0.0.1 is given to both service:api and service:web (expected: one VIP per "
                        + "entry)");
        assertThatThrownBy(() -> VipTable.fromJson("[]")).hasMessageContaining("expected: a JSON object");
    }

    private static SortedSet<VipEntry> entries(VipEntry... entries) {
        return new TreeSet<>(List.of(entries));
    }
}
