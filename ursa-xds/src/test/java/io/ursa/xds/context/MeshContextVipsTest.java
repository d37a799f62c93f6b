package io.ursa.xds.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.secret.SecretSpec;
import io.ursa.core.store.ResourceStore;
import io.ursa.store.jdbc.EmbeddedResourceStore;
import io.ursa.xds.context.MeshContextBuilder.VipWrites;
import io.ursa.xds.testing.XdsFixtures;
import io.ursa.xds.vips.MeshVips;
import io.ursa.xds.vips.VipEntry;
import io.ursa.xds.vips.VipRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VIPs of a mesh through the real embedded (SQLite) store: allocated once per mesh change by the reconciler's
 * builder, the same after a restart, freed with their service, and gone with their mesh.
 */
class MeshContextVipsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final String MESH = """
            type: Mesh
            name: default
            ---
            type: Dataplane
            mesh: default
            name: web-1
            networking:
              address: 192.168.0.1
              inbound:
              - port: 8080
                tags: {kuma.io/service: web}
              transparentProxying: {redirectPortInbound: 15006, redirectPortOutbound: 15001}
            ---
            type: Dataplane
            mesh: default
            name: api-1
            networking:
              address: 192.168.0.2
              inbound:
              - port: 8080
                tags: {kuma.io/service: api}
            """;
    private static final String DB = """
            type: Dataplane
            mesh: default
            name: db-1
            networking:
              address: 192.168.0.3
              inbound:
              - port: 5432
                tags: {kuma.io/service: db}
            """;

    @TempDir
    Path dir;
    private ResourceStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void aRestartedControlPlaneGivesEveryServiceTheSameVip() {
        store = open();
        XdsFixtures.parse(MESH + "---\n" + DB).forEach(store::create);
        MeshVips before = reconcilerBuild().vips();
        store.close();

        store = open();
        MeshContext after = reconcilerBuild();

        assertThat(before.table().vips().keySet()).containsExactly(VipEntry.service("api"), VipEntry.service("db"),
                VipEntry.service("web"));
        assertThat(after.vips()).isEqualTo(before);
        assertThat(store.get(ResourceTypes.SECRET, "default", VipRecords.name("default"))).isPresent()
                .get().extracting(r -> r.meta().version()).as("written once, not rewritten after the restart")
                .isEqualTo(1L);
    }

    @Test
    void removingAServiceFreesItsVipAndKeepsTheOthers() {
        store = open();
        XdsFixtures.parse(MESH + "---\n" + DB).forEach(store::create);
        MeshContext before = reconcilerBuild();

        store.delete(new ResourceKey(ResourceTypes.DATAPLANE, "default", "db-1"));
        MeshContext after = reconcilerBuild();

        assertThat(after.vips().table().vip(VipEntry.service("db"))).isEmpty();
        assertThat(after.vips().table().vip(VipEntry.service("api")))
                .isEqualTo(before.vips().table().vip(VipEntry.service("api")));
        assertThat(VipRecords.read(store, "default").table()).isEqualTo(after.vips().table());
        assertThat(after.hash()).isNotEqualTo(before.hash());
    }

    @Test
    void theTableGoesWithItsMesh() {
        store = open();
        XdsFixtures.parse(MESH).forEach(store::create);
        reconcilerBuild();

        store.delete(new ResourceKey(ResourceTypes.MESH, "", "default"));

        assertThat(store.get(ResourceTypes.SECRET, "default", VipRecords.name("default"))).isEmpty();
    }

    @Test
    void onlyTheReconcilersBuilderStoresTheTableAndBothSeeTheSameVips() {
        store = open();
        XdsFixtures.parse(MESH).forEach(store::create);

        MeshContext readOnly = new MeshContextBuilder(store, ResourceTypes.standard()).build("default").orElseThrow();

        assertThat(store.get(ResourceTypes.SECRET, "default", VipRecords.name("default"))).isEmpty();
        assertThat(reconcilerBuild().vips()).isEqualTo(readOnly.vips());
    }

    @Test
    void aMeshWithoutTransparentProxyingHasNoVipsAndStoresNothing() {
        store = open();
        List<Resource<?>> resources = XdsFixtures.parse(MESH.replace(
                "  transparentProxying: {redirectPortInbound: 15006, redirectPortOutbound: 15001}\n", ""));
        resources.forEach(store::create);

        MeshContext context = reconcilerBuild();

        assertThat(context.vips()).isEqualTo(MeshVips.none());
        assertThat(store.count(ResourceTypes.SECRET, "default")).isZero();
    }

    @Test
    void aTableThatIsNotOneIsReplacedByAFreshAllocation() {
        store = open();
        XdsFixtures.parse(MESH).forEach(store::create);
        store.create(Resource.of(ResourceTypes.SECRET, "default", VipRecords.name("default"),
                SecretSpec.of("not a table".getBytes(StandardCharsets.UTF_8))));

        MeshContext context = reconcilerBuild();

        assertThat(context.vips().table().vips()).hasSize(2);
        assertThat(VipRecords.read(store, "default").table()).isEqualTo(context.vips().table());
    }

    @Test
    void ofTwoWritersOfTheSameTableTheSecondIsToldToReadAgain() {
        store = open();
        XdsFixtures.parse(MESH).forEach(store::create);
        VipRecords.Stored before = VipRecords.read(store, "default");
        MeshContext context = reconcilerBuild();

        assertThat(VipRecords.write(store, "default", before, context.vips().table())).isFalse();
        VipRecords.Stored now = VipRecords.read(store, "default");
        assertThat(VipRecords.write(store, "default", now, context.vips().table())).isTrue();
    }

    private MeshContext reconcilerBuild() {
        return new MeshContextBuilder(store, ResourceTypes.standard(), VipWrites.STORE).build("default")
                .orElseThrow();
    }

    private ResourceStore open() {
        return EmbeddedResourceStore.open(dir, ResourceTypes.standard(), CLOCK);
    }
}
