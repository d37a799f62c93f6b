package io.ursa.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Base64Bytes;
import io.ursa.api.spec.Lists;
import io.ursa.api.spec.ProtoDoubleSerializer;
import io.ursa.api.spec.ProtoDuration;
import io.ursa.api.spec.ProtoFields;
import io.ursa.api.spec.Selector;
import java.util.List;

/** Spec of a HealthCheck ({@code health_check.proto}): active health checking of destinations. */
public record HealthCheckSpec(List<Selector> sources, List<Selector> destinations, Conf conf) implements Spec {
    public HealthCheckSpec {
        sources = Lists.copyOf(sources);
        destinations = Lists.copyOf(destinations);
    }

    public record Conf(
            ProtoDuration interval,
            ProtoDuration timeout,
            int unhealthyThreshold,
            int healthyThreshold,
            ProtoDuration initialJitter,
            ProtoDuration intervalJitter,
            int intervalJitterPercent,
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonSerialize(using = ProtoDoubleSerializer.class)
            Double healthyPanicThreshold,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean failTrafficOnPanic,
            String eventLogPath,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean alwaysLogHealthCheckFailures,
            ProtoDuration noTrafficInterval,
            Tcp tcp,
            Http http,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean reuseConnection) {
        public Conf {
            unhealthyThreshold = ProtoFields.unsigned("unhealthyThreshold", unhealthyThreshold);
            healthyThreshold = ProtoFields.unsigned("healthyThreshold", healthyThreshold);
            intervalJitterPercent = ProtoFields.unsigned("intervalJitterPercent", intervalJitterPercent);
            eventLogPath = ProtoFields.text(eventLogPath);
        }
    }

    /** A TCP check: optionally send {@code send} and expect each of {@code receive} (base64). */
    public record Tcp(@JsonInclude(JsonInclude.Include.NON_NULL) Base64Bytes send, List<Base64Bytes> receive) {
        public Tcp {
            receive = Lists.copyOf(receive);
        }
    }

    public record Http(String path, List<HeaderValueOption> requestHeadersToAdd, List<Integer> expectedStatuses) {
        public Http {
            path = ProtoFields.text(path);
            requestHeadersToAdd = Lists.copyOf(requestHeadersToAdd);
            expectedStatuses = ProtoFields.unsigned("expectedStatuses", expectedStatuses);
        }
    }

    public record HeaderValueOption(HeaderValue header, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean append) {
    }

    public record HeaderValue(String key, String value) {
        public HeaderValue {
            key = ProtoFields.text(key);
            value = ProtoFields.text(value);
        }
    }
}
