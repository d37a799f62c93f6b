package io.ursa.api.mesh;

import io.ursa.api.spec.Lists;
import io.ursa.api.spec.SortedMaps;
import java.util.List;
import java.util.Map;

/** {@code constraints}: admission rules checked when a Dataplane is created or updated. */
public record Constraints(DataplaneProxy dataplaneProxy) {
    /**
     * {@code constraints.dataplaneProxy}: a proxy must match one of the {@code requirements} (when there are
     * any) and none of the {@code restrictions}.
     */
    public record DataplaneProxy(List<Rules> requirements, List<Rules> restrictions) {
        public DataplaneProxy {
            requirements = Lists.copyOf(requirements);
            restrictions = Lists.copyOf(restrictions);
        }
    }

    /** One rule: tags a proxy's inbound must carry; a value {@code *} means "present with any value". */
    public record Rules(Map<String, String> tags) {
        public Rules {
            tags = SortedMaps.copyOf(tags);
        }
    }
}
