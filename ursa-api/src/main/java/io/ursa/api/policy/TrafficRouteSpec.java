package io.ursa.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Lists;
import io.ursa.api.spec.ProtoFields;
import io.ursa.api.spec.Selector;
import io.ursa.api.spec.SortedMaps;
import io.ursa.api.spec.TagMaps;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Spec of a TrafficRoute ({@code traffic_route.proto}): where traffic from {@code sources} to
 * {@code destinations} goes, with load balancing and HTTP matching. An empty {@code destination} map means
 * "not set".
 */
public record TrafficRouteSpec(List<Selector> sources, List<Selector> destinations, Conf conf) implements Spec {
    public TrafficRouteSpec {
        sources = Lists.copyOf(sources);
        destinations = Lists.copyOf(destinations);
    }

    /** Either {@code split} or {@code destination}, optional HTTP routes, optional load balancer. */
    public record Conf(List<Split> split, LoadBalancer loadBalancer, Map<String, String> destination, List<Http> http) {
        public Conf {
            split = Lists.copyOf(split);
            destination = TagMaps.copyOf(destination);
            http = Lists.copyOf(http);
        }
    }

    /** A weighted destination; {@code weight} is a wrapper, so 0 is kept when set. */
    public record Split(@JsonInclude(JsonInclude.Include.NON_NULL) Long weight, Map<String, String> destination) {
        public Split {
            weight = ProtoFields.unsigned("weight", weight);
            destination = TagMaps.copyOf(destination);
        }
    }

    /** A {@code oneof}: at most one policy is set; none means Envoy's default (round robin). */
    public record LoadBalancer(RoundRobin roundRobin, LeastRequest leastRequest, RingHash ringHash, Random random,
                               Maglev maglev) {
        public LoadBalancer {
            ProtoFields.atMostOne("roundRobin, leastRequest, ringHash, random, maglev",
                    roundRobin, leastRequest, ringHash, random, maglev);
        }
    }

    public record RoundRobin() {
    }

    public record LeastRequest(int choiceCount) {
        public LeastRequest {
            choiceCount = ProtoFields.unsigned("choiceCount", choiceCount);
        }
    }

    /** {@code hashFunction} is {@code XX_HASH} or {@code MURMUR_HASH_2}. */
    public record RingHash(String hashFunction, long minRingSize, long maxRingSize) {
        public RingHash {
            hashFunction = ProtoFields.text(hashFunction);
            minRingSize = ProtoFields.unsigned("minRingSize", minRingSize);
            maxRingSize = ProtoFields.unsigned("maxRingSize", maxRingSize);
        }
    }

    public record Random() {
    }

    public record Maglev() {
    }

    /** An HTTP route: requests matching {@code match} are modified, then sent to {@code split}/{@code destination}. */
    public record Http(Match match, Modify modify, List<Split> split, Map<String, String> destination) {
        public Http {
            split = Lists.copyOf(split);
            destination = TagMaps.copyOf(destination);
        }
    }

    /**
     * What a request must match. {@code headers} is null when absent; an empty map is kept, because Kuma rejects
     * a {@code headers: {}} that is present but empty.
     */
    public record Match(StringMatcher method, StringMatcher path, Map<String, StringMatcher> headers) {
        public Match {
            if (headers != null) {
                Map<String, StringMatcher> withoutNulls = new HashMap<>();
                headers.forEach((k, v) -> withoutNulls.put(k, v == null ? new StringMatcher(null, null, null) : v));
                headers = SortedMaps.copyOf(withoutNulls);
            }
        }
    }

    /** A {@code oneof}: the member that is set, even to {@code ""}, is the one that counts. */
    public record StringMatcher(
            @JsonInclude(JsonInclude.Include.NON_NULL) String prefix,
            @JsonInclude(JsonInclude.Include.NON_NULL) String exact,
            @JsonInclude(JsonInclude.Include.NON_NULL) String regex) {
        public StringMatcher {
            ProtoFields.atMostOne("prefix, exact, regex", prefix, exact, regex);
        }
    }

    /** Changes to a matched request and its response. */
    public record Modify(ModifyPath path, ModifyHost host, Headers requestHeaders, Headers responseHeaders) {
    }

    public record RegexReplace(String pattern, String substitution) {
        public RegexReplace {
            pattern = ProtoFields.text(pattern);
            substitution = ProtoFields.text(substitution);
        }
    }

    /** A {@code oneof}: {@code rewritePrefix} or {@code regex}. */
    public record ModifyPath(@JsonInclude(JsonInclude.Include.NON_NULL) String rewritePrefix, RegexReplace regex) {
        public ModifyPath {
            ProtoFields.atMostOne("rewritePrefix, regex", rewritePrefix, regex);
        }
    }

    /** A {@code oneof}: {@code value} or {@code fromPath}. */
    public record ModifyHost(@JsonInclude(JsonInclude.Include.NON_NULL) String value, RegexReplace fromPath) {
        public ModifyHost {
            ProtoFields.atMostOne("value, fromPath", value, fromPath);
        }
    }

    public record Headers(List<AddHeader> add, List<RemoveHeader> remove) {
        public Headers {
            add = Lists.copyOf(add);
            remove = Lists.copyOf(remove);
        }
    }

    public record AddHeader(String name, String value, boolean append) {
        public AddHeader {
            name = ProtoFields.text(name);
            value = ProtoFields.text(value);
        }
    }

    public record RemoveHeader(String name) {
        public RemoveHeader {
            name = ProtoFields.text(name);
        }
    }
}
