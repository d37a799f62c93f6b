package io.ursa.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Lists;
import io.ursa.api.spec.ProtoDoubleSerializer;
import io.ursa.api.spec.ProtoDuration;
import io.ursa.api.spec.ProtoFields;
import io.ursa.api.spec.Selector;
import java.util.List;

/** Spec of a FaultInjection ({@code fault_injection.proto}): delays, aborts and bandwidth limits for HTTP. */
public record FaultInjectionSpec(List<Selector> sources, List<Selector> destinations, Conf conf) implements Spec {
    public FaultInjectionSpec {
        sources = Lists.copyOf(sources);
        destinations = Lists.copyOf(destinations);
    }

    /** Each fault is optional; one given as {@code {}} counts as not configured. */
    public record Conf(Delay delay, Abort abort, ResponseBandwidth responseBandwidth) {
    }

    public record Delay(
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonSerialize(using = ProtoDoubleSerializer.class)
            Double percentage,
            ProtoDuration value) {
    }

    public record Abort(
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonSerialize(using = ProtoDoubleSerializer.class)
            Double percentage,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer httpStatus) {
        public Abort {
            httpStatus = ProtoFields.unsigned("httpStatus", httpStatus);
        }
    }

    /** {@code limit} is e.g. {@code 50kbps}, {@code 1mbps}, {@code 1gbps}. */
    public record ResponseBandwidth(
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonSerialize(using = ProtoDoubleSerializer.class)
            Double percentage,
            @JsonInclude(JsonInclude.Include.NON_NULL) String limit) {
    }
}
