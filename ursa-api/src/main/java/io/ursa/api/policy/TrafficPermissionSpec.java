package io.ursa.api.policy;

import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Lists;
import io.ursa.api.spec.Selector;
import java.util.List;

/** Spec of a TrafficPermission ({@code traffic_permission.proto}): which sources may reach which destinations. */
public record TrafficPermissionSpec(List<Selector> sources, List<Selector> destinations) implements Spec {
    public TrafficPermissionSpec {
        sources = Lists.copyOf(sources);
        destinations = Lists.copyOf(destinations);
    }
}
