package io.ursa.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.policy.TimeoutSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.ResourceReader;
import io.ursa.core.store.ResourceStore;
import io.ursa.testing.store.ResourceStoreContract;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedResourceStoreTest extends ResourceStoreContract {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-01T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Override
    protected ResourceStore newStore() {
        return EmbeddedResourceStore.open(dir, ResourceTypes.standard(), CLOCK);
    }

    @Override
    protected Optional<ResourceStore> reopen(ResourceStore old) {
        old.close();
        return Optional.of(newStore());
    }

    @Test
    void aReaderKeptPastItsSnapshotRefusesToRead() {
        ResourceReader leaked = store().snapshot(reader -> reader);

        assertThatThrownBy(() -> leaked.count(ResourceTypes.MESH, ""))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("used after the snapshot ended");
        assertThat(store().count(ResourceTypes.MESH, "")).isZero();
    }

    @Test
    void anUnchangedResourceIsHandedOutAgainAndAChangedOrRecreatedOneIsReadAnew() {
        ResourceStore store = store();
        store.create(TestResources.resource(ResourceTypes.MESH, "", "shop"));
        store.create(timeout("slow", "5s"));
        store.create(timeout("other", "5s"));
        Resource<TimeoutSpec> first = only(store, "slow");

        assertThat(only(store, "slow")).as("the same row, decoded once").isSameAs(first);
        assertThat(store.get(ResourceTypes.TIMEOUT, "shop", "slow").orElseThrow()).isSameAs(first);

        store.update(timeout("slow", "6s").withMeta(first.meta()));
        Resource<TimeoutSpec> updated = only(store, "slow");
        assertThat(updated.spec().conf().connectTimeout().value()).hasSeconds(6);
        assertThat(only(store, "other")).as("unchanged").isSameAs(only(store, "other"));

        // the clock is fixed: the recreated row has the same version and times, only its spec differs
        store.delete(updated.key());
        store.create(timeout("slow", "7s"));
        Resource<TimeoutSpec> recreated = only(store, "slow");
        assertThat(recreated.meta()).isEqualTo(first.meta());
        assertThat(recreated.spec().conf().connectTimeout().value()).hasSeconds(7);
    }

    private static Resource<TimeoutSpec> timeout(String name, String connectTimeout) {
        ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
        @SuppressWarnings("unchecked")
        Resource<TimeoutSpec> timeout = (Resource<TimeoutSpec>) codec.decode(codec.parseYamlDocuments(
                "type: Timeout\nmesh: shop\nname: " + name + "\nsources: [{match: {kuma.io/service: '*'}}]\n"
                        + "destinations: [{match: {kuma.io/service: '*'}}]\nconf: {connectTimeout: "
                        + connectTimeout + "}").get(0));
        return timeout;
    }

    private static Resource<TimeoutSpec> only(ResourceStore store, String name) {
        return store.list(ResourceTypes.TIMEOUT, ListQuery.inMesh("shop")).items().stream()
                .filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }
}
