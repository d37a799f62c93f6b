package io.ursa.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ursa.api.resource.ResourceTypes;
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
}
