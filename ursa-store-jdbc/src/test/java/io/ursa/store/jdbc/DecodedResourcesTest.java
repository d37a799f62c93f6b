package io.ursa.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.event.ResourceChange;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A row read again is decoded again unless it is equal to the row read before, whoever wrote it; deleted
 * resources are forgotten.
 */
class DecodedResourcesTest {
    private final DecodedResources decoded = new DecodedResources();
    private final AtomicInteger decodings = new AtomicInteger();

    @Test
    void aRowEqualToTheOneReadBeforeGivesTheSameResourceAndAnyOtherRowIsDecoded() {
        ResourceTable.Row row = row(1, "{\"a\":1}");
        Resource<?> first = read(row);

        assertThat(read(row(1, "{\"a\":1}"))).isSameAs(first);
        assertThat(decodings).hasValue(1);
        // another control plane deleted and created it again, and this one saw neither: same version and times
        assertThat(read(row(1, "{\"a\":2}"))).isNotSameAs(first);
        assertThat(read(row(2, "{\"a\":2}"))).isNotSameAs(first);
        assertThat(decodings).hasValue(3);
    }

    @Test
    void aDeletedResourceOrOneAListingNoLongerHasIsForgotten() {
        read(row(1, "{}"));
        decoded.onChange(new ResourceChange(new ResourceKey(ResourceTypes.TIMEOUT, "shop", "slow"),
                ResourceChange.Kind.DELETED, 0));
        assertThat(decoded.size()).isZero();

        read(row(1, "{}"));
        decoded.listedAll(ResourceTypes.TIMEOUT.name(), "shop", Set.of("other"));
        assertThat(decoded.size()).isZero();

        read(row(1, "{}"));
        decoded.onChange(new ResourceChange(new ResourceKey(ResourceTypes.MESH, "", "shop"),
                ResourceChange.Kind.DELETED, 0));
        assertThat(decoded.size()).as("its mesh went").isZero();
    }

    private Resource<?> read(ResourceTable.Row row) {
        return decoded.of(ResourceTypes.TIMEOUT.name(), row, () -> {
            decodings.incrementAndGet();
            return TestResources.resource(ResourceTypes.TIMEOUT, "shop", "slow");
        });
    }

    private static ResourceTable.Row row(long version, String spec) {
        return new ResourceTable.Row("shop", "slow", version, 1000, 1000, spec);
    }
}
