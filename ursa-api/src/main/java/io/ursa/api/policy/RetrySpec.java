package io.ursa.api.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Lists;
import io.ursa.api.spec.ProtoDuration;
import io.ursa.api.spec.ProtoEnums;
import io.ursa.api.spec.ProtoFields;
import io.ursa.api.spec.Selector;
import java.util.List;

/** Spec of a Retry ({@code retry.proto}): retry policies per protocol towards destinations. */
public record RetrySpec(List<Selector> sources, List<Selector> destinations, Conf conf) implements Spec {
    public RetrySpec {
        sources = Lists.copyOf(sources);
        destinations = Lists.copyOf(destinations);
    }

    /** The {@code retry_on} conditions of HTTP retries; constant names are the proto (and JSON) names. */
    public enum HttpRetryOn {
        all_5xx,
        gateway_error,
        reset,
        connect_failure,
        envoy_ratelimited,
        retriable_4xx,
        refused_stream,
        retriable_status_codes,
        retriable_headers,
        http3_post_connect_failure;

        @JsonCreator
        static HttpRetryOn fromJson(JsonNode value) {
            return ProtoEnums.parse(HttpRetryOn.class, value);
        }
    }

    /** The {@code retry_on} conditions of gRPC retries; constant names are the proto (and JSON) names. */
    public enum GrpcRetryOn {
        cancelled,
        deadline_exceeded,
        internal,
        resource_exhausted,
        unavailable;

        @JsonCreator
        static GrpcRetryOn fromJson(JsonNode value) {
            return ProtoEnums.parse(GrpcRetryOn.class, value);
        }
    }

    public record Conf(Http http, Tcp tcp, Grpc grpc) {
    }

    public record BackOff(ProtoDuration baseInterval, ProtoDuration maxInterval) {
    }

    public record Http(
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer numRetries,
            ProtoDuration perTryTimeout,
            BackOff backOff,
            List<Integer> retriableStatusCodes,
            List<HttpMethod> retriableMethods,
            List<HttpRetryOn> retryOn) {
        public Http {
            numRetries = ProtoFields.unsigned("numRetries", numRetries);
            retriableStatusCodes = ProtoFields.unsigned("retriableStatusCodes", retriableStatusCodes);
            retriableMethods = Lists.copyOf(retriableMethods);
            retryOn = Lists.copyOf(retryOn);
        }
    }

    public record Tcp(int maxConnectAttempts) {
        public Tcp {
            maxConnectAttempts = ProtoFields.unsigned("maxConnectAttempts", maxConnectAttempts);
        }
    }

    public record Grpc(
            List<GrpcRetryOn> retryOn,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer numRetries,
            ProtoDuration perTryTimeout,
            BackOff backOff) {
        public Grpc {
            retryOn = Lists.copyOf(retryOn);
            numRetries = ProtoFields.unsigned("numRetries", numRetries);
        }
    }
}
