package io.ursa.api.policy;

import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Lists;
import io.ursa.api.spec.ProtoFields;
import io.ursa.api.spec.Selector;
import java.util.List;

/**
 * Spec of a TrafficLog ({@code traffic_log.proto}): access logging of connections from sources to destinations.
 * Without {@code conf.backend} the Mesh's default logging backend is used.
 */
public record TrafficLogSpec(List<Selector> sources, List<Selector> destinations, Conf conf) implements Spec {
    public TrafficLogSpec {
        sources = Lists.copyOf(sources);
        destinations = Lists.copyOf(destinations);
    }

    /** The name of a logging backend of the Mesh. */
    public record Conf(String backend) {
        public Conf {
            backend = ProtoFields.text(backend);
        }
    }
}
