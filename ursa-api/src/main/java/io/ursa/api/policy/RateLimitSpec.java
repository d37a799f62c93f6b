package io.ursa.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Lists;
import io.ursa.api.spec.ProtoDuration;
import io.ursa.api.spec.ProtoFields;
import io.ursa.api.spec.Selector;
import java.util.List;

/** Spec of a RateLimit ({@code rate_limit.proto}): local HTTP rate limiting at the destinations. */
public record RateLimitSpec(List<Selector> sources, List<Selector> destinations, Conf conf) implements Spec {
    public RateLimitSpec {
        sources = Lists.copyOf(sources);
        destinations = Lists.copyOf(destinations);
    }

    public record Conf(Http http) {
    }

    /** At most {@code requests} per {@code interval}; then answer as {@code onRateLimit} says. */
    public record Http(int requests, ProtoDuration interval, OnRateLimit onRateLimit) {
        public Http {
            requests = ProtoFields.unsigned("requests", requests);
        }
    }

    public record OnRateLimit(@JsonInclude(JsonInclude.Include.NON_NULL) Integer status, List<HeaderValue> headers) {
        public OnRateLimit {
            status = ProtoFields.unsigned("status", status);
            headers = Lists.copyOf(headers);
        }
    }

    public record HeaderValue(String key, String value, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean append) {
        public HeaderValue {
            key = ProtoFields.text(key);
            value = ProtoFields.text(value);
        }
    }
}
