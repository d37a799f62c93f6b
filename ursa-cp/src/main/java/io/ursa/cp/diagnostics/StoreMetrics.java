package io.ursa.cp.diagnostics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.store.ResourceStore;

/** Gauges {@code ursa_resources{type="..."}}: how many resources of each type the store holds. */
public final class StoreMetrics {
    private StoreMetrics() {
    }

    public static void bind(MeterRegistry registry, ResourceStore store, ResourceTypes types) {
        for (ResourceType<?> type : types.all()) {
            Gauge.builder("ursa.resources", store, s -> s.count(type, ""))
                    .description("Resources in the store, by type")
                    .tag("type", type.name())
                    .register(registry);
        }
    }
}
