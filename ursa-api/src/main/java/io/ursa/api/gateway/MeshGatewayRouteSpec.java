package io.ursa.api.gateway;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.policy.HttpMethod;
import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Lists;
import io.ursa.api.spec.ProtoEnumZero;
import io.ursa.api.spec.ProtoEnums;
import io.ursa.api.spec.ProtoFields;
import io.ursa.api.spec.Selector;
import io.ursa.api.spec.TagMaps;
import java.util.List;
import java.util.Map;

/**
 * Spec of a MeshGatewayRoute ({@code api/mesh/v1alpha1/gateway_route.proto}): HTTP or TCP routes of the gateway
 * listeners whose tags its {@code selectors} match. {@code conf} is a {@code oneof}: {@code tcp} or {@code http}.
 *
 * <p>Beyond Kuma 2.0, an HTTP filter may be a {@code responseHeader} modifier (the same shape as
 * {@code requestHeader}). Fields whose proto name has an underscore are also read under that name, as Kuma's
 * protobuf JSON reader does (Kuma's own examples write {@code query_parameters}, {@code request_header},
 * {@code status_code}); they are written in camelCase.
 */
public record MeshGatewayRouteSpec(List<Selector> selectors, Conf conf) implements Spec {
    public MeshGatewayRouteSpec {
        selectors = Lists.copyOf(selectors);
    }

    /** A {@code oneof}: at most one of {@code tcp} and {@code http}. */
    public record Conf(TcpRoute tcp, HttpRoute http) {
        public Conf {
            ProtoFields.atMostOne("tcp, http", tcp, http);
        }
    }

    /** A weighted destination; {@code destination} selects a service by tags. */
    public record Backend(long weight, Map<String, String> destination) {
        public Backend {
            weight = ProtoFields.unsigned("weight", weight);
            destination = TagMaps.copyOf(destination);
        }
    }

    public record TcpRoute(List<TcpRule> rules) {
        public TcpRoute {
            rules = Lists.copyOf(rules);
        }
    }

    public record TcpRule(List<Backend> backends) {
        public TcpRule {
            backends = Lists.copyOf(backends);
        }
    }

    /** HTTP rules, for the listener's hostname or, when given, these {@code hostnames}. */
    public record HttpRoute(List<String> hostnames, List<HttpRule> rules) {
        public HttpRoute {
            hostnames = Lists.copyOf(hostnames);
            rules = Lists.copyOf(rules);
        }
    }

    /** A request that matches any of {@code matches} is filtered, then sent to the weighted {@code backends}. */
    public record HttpRule(List<Match> matches, List<Filter> filters, List<Backend> backends) {
        public HttpRule {
            matches = Lists.copyOf(matches);
            filters = Lists.copyOf(filters);
            backends = Lists.copyOf(backends);
        }
    }

    /** Every condition that is set must hold. */
    public record Match(
            PathMatch path,
            @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = ProtoEnumZero.class) HttpMethod method,
            List<HeaderMatch> headers,
            @JsonAlias("query_parameters") List<QueryMatch> queryParameters) {
        public Match {
            method = method == null ? HttpMethod.NONE : method;
            headers = Lists.copyOf(headers);
            queryParameters = Lists.copyOf(queryParameters);
        }
    }

    public record PathMatch(
            @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = ProtoEnumZero.class) PathMatchType match,
            String value) {
        public PathMatch {
            match = match == null ? PathMatchType.EXACT : match;
            value = ProtoFields.text(value);
        }
    }

    /** In proto number order: {@code EXACT} is 0. */
    public enum PathMatchType {
        EXACT,
        PREFIX,
        REGEX;

        @JsonCreator
        static PathMatchType fromJson(JsonNode value) {
            return ProtoEnums.parse(PathMatchType.class, value);
        }
    }

    /** In proto number order: {@code EXACT} is 0 (headers and query parameters). */
    public enum ValueMatchType {
        EXACT,
        REGEX;

        @JsonCreator
        static ValueMatchType fromJson(JsonNode value) {
            return ProtoEnums.parse(ValueMatchType.class, value);
        }
    }

    public record HeaderMatch(
            @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = ProtoEnumZero.class) ValueMatchType match,
            String name,
            String value) {
        public HeaderMatch {
            match = match == null ? ValueMatchType.EXACT : match;
            name = ProtoFields.text(name);
            value = ProtoFields.text(value);
        }
    }

    public record QueryMatch(
            @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = ProtoEnumZero.class) ValueMatchType match,
            String name,
            String value) {
        public QueryMatch {
            match = match == null ? ValueMatchType.EXACT : match;
            name = ProtoFields.text(name);
            value = ProtoFields.text(value);
        }
    }

    /** A {@code oneof}: exactly one member is set in a valid filter. */
    public record Filter(@JsonAlias("request_header") HeaderModifier requestHeader,
                         @JsonAlias("response_header") HeaderModifier responseHeader, Mirror mirror,
                         Redirect redirect, Rewrite rewrite) {
        public Filter {
            ProtoFields.atMostOne("requestHeader, responseHeader, mirror, redirect, rewrite",
                    requestHeader, responseHeader, mirror, redirect, rewrite);
        }
    }

    public record HeaderModifier(List<Header> set, List<Header> add, List<String> remove) {
        public HeaderModifier {
            set = Lists.copyOf(set);
            add = Lists.copyOf(add);
            remove = Lists.copyOf(remove);
        }
    }

    public record Header(String name, String value) {
        public Header {
            name = ProtoFields.text(name);
            value = ProtoFields.text(value);
        }
    }

    /** {@code percentage} is a {@code DoubleValue}: null when unset (then every request is mirrored). */
    public record Mirror(Backend backend, @JsonInclude(JsonInclude.Include.NON_NULL) Double percentage) {
    }

    /** {@code port} 0 keeps the request's port. */
    public record Redirect(String scheme, String hostname, @JsonInclude(JsonInclude.Include.NON_DEFAULT) int port,
                           @JsonAlias("status_code") int statusCode) {
        public Redirect {
            scheme = ProtoFields.text(scheme);
            hostname = ProtoFields.text(hostname);
            port = ProtoFields.unsigned("port", port);
            statusCode = ProtoFields.unsigned("statusCode", statusCode);
        }
    }

    /** A {@code oneof}: {@code replaceFull} or {@code replacePrefixMatch}. */
    public record Rewrite(@JsonAlias("replace_full") @JsonInclude(JsonInclude.Include.NON_NULL) String replaceFull,
                          @JsonAlias("replace_prefix_match") @JsonInclude(JsonInclude.Include.NON_NULL)
                          String replacePrefixMatch) {
        public Rewrite {
            ProtoFields.atMostOne("replaceFull, replacePrefixMatch", replaceFull, replacePrefixMatch);
        }
    }
}
