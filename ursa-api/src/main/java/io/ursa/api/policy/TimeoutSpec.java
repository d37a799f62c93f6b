package io.ursa.api.policy;

import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Lists;
import io.ursa.api.spec.ProtoDuration;
import io.ursa.api.spec.Selector;
import java.util.List;

/** Spec of a Timeout ({@code timeout.proto}): connection and request timeouts between services. */
public record TimeoutSpec(List<Selector> sources, List<Selector> destinations, Conf conf) implements Spec {
    public TimeoutSpec {
        sources = Lists.copyOf(sources);
        destinations = Lists.copyOf(destinations);
    }

    public record Conf(ProtoDuration connectTimeout, Tcp tcp, Http http, Grpc grpc) {
    }

    public record Tcp(ProtoDuration idleTimeout) {
    }

    public record Http(ProtoDuration requestTimeout, ProtoDuration idleTimeout, ProtoDuration streamIdleTimeout,
                       ProtoDuration maxStreamDuration) {
    }

    public record Grpc(ProtoDuration streamIdleTimeout, ProtoDuration maxStreamDuration) {
    }
}
