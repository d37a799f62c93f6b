package io.ursa.api.policy;

import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Lists;
import io.ursa.api.spec.ProtoFields;
import io.ursa.api.spec.Selector;
import java.util.List;

/**
 * Spec of a TrafficTrace ({@code traffic_trace.proto}): tracing for the selected proxies. Without
 * {@code conf.backend} the Mesh's default tracing backend is used.
 */
public record TrafficTraceSpec(List<Selector> selectors, Conf conf) implements Spec {
    public TrafficTraceSpec {
        selectors = Lists.copyOf(selectors);
    }

    /** The name of a tracing backend of the Mesh. */
    public record Conf(String backend) {
        public Conf {
            backend = ProtoFields.text(backend);
        }
    }
}
