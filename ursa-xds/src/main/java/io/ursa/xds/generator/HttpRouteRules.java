package io.ursa.xds.generator;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.ursa.api.policy.TimeoutSpec;
import io.ursa.api.policy.TrafficRouteSpec;
import io.ursa.xds.generator.RouteTargets.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP routes of an outbound from its TrafficRoute, as Kuma 2.0 builds them (envoy-config §3.4): first one
 * route per {@code conf.http[]} entry, in order, then the default {@code split}/{@code destination} on
 * {@code prefix: /}; an entry left without clusters gives no route. A match is the path ({@code prefix},
 * {@code exact} as {@code path}, {@code regex} as RE2), the headers sorted by name and the method as
 * {@code :method}; {@code modify} rewrites the path and host and adds or removes request and response headers.
 * Proxyless gRPC gets the matches and the destinations; grpc-xds has no rewrites or header changes, so an
 * entry's {@code modify} is left out for it.
 */
final class HttpRouteRules {
    /** One route: what it matches, where it sends, how it changes the request (null: not at all). */
    record Rule(RouteMatch match, List<Target> targets, TrafficRouteSpec.Modify modify) {
    }

    /** Who the routes are for: an Envoy sidecar applies {@code modify}; a proxyless gRPC client cannot. */
    enum Client { ENVOY, GRPC }

    private HttpRouteRules() {
    }

    /** The rules of {@code conf} for an outbound with {@code outboundTags}, registering their clusters. */
    static List<Rule> of(TrafficRouteSpec.Conf conf, Map<String, String> outboundTags,
                         Optional<TimeoutSpec.Conf> timeout, RouteTargets clusters) {
        List<Rule> rules = new ArrayList<>();
        for (TrafficRouteSpec.Http http : conf.http()) {
            List<Target> targets = clusters.targets(http, conf.loadBalancer(), outboundTags, timeout);
            if (!targets.isEmpty()) {
                rules.add(new Rule(match(http.match()), targets, http.modify()));
            }
        }
        List<Target> fallback = clusters.targets(conf, outboundTags, timeout);
        if (!fallback.isEmpty()) {
            rules.add(new Rule(RouteMatch.newBuilder().setPrefix("/").build(), fallback, null));
        }
        return rules;
    }

    /** Every cluster the rules send to, each once, in order. */
    static List<Target> allTargets(List<Rule> rules) {
        List<Target> all = new ArrayList<>();
        rules.forEach(rule -> rule.targets().stream().filter(t -> all.stream()
                .noneMatch(a -> a.cluster().equals(t.cluster()))).forEach(all::add));
        return all;
    }

    /** The route of {@code rule}; {@code action} already holds what the caller sets on every route (timeouts). */
    static Route route(Rule rule, RouteAction.Builder action, RouteTargets.TotalWeight total, Client client) {
        RouteTargets.routeTo(rule.targets(), action, total);
        Route.Builder route = Route.newBuilder().setMatch(rule.match());
        if (client == Client.ENVOY && rule.modify() != null) {
            modify(rule.modify(), action, route);
        }
        return route.setRoute(action).build();
    }

    private static RouteMatch match(TrafficRouteSpec.Match match) {
        RouteMatch.Builder route = RouteMatch.newBuilder();
        TrafficRouteSpec.StringMatcher path = match == null ? null : match.path();
        if (path != null && path.exact() != null) {
            route.setPath(path.exact());
        } else if (path != null && path.regex() != null) {
            route.setSafeRegex(regex(path.regex()));
        } else {
            route.setPrefix(path != null && path.prefix() != null ? path.prefix() : "/");
        }
        if (match != null && match.headers() != null) {
            match.headers().forEach((name, value) -> route.addHeaders(header(name, value)));
        }
        if (match != null && match.method() != null) {
            route.addHeaders(header(":method", match.method()));
        }
        return route.build();
    }

    @SuppressWarnings("deprecation") // prefix_match: what Kuma 2.0 writes, and grpc-xds reads
    private static HeaderMatcher header(String name, TrafficRouteSpec.StringMatcher value) {
        HeaderMatcher.Builder header = HeaderMatcher.newBuilder().setName(name);
        if (value.prefix() != null) {
            header.setPrefixMatch(value.prefix());
        } else if (value.regex() != null) {
            header.setSafeRegexMatch(regex(value.regex()));
        } else {
            header.setStringMatch(StringMatcher.newBuilder().setExact(value.exact() == null ? "" : value.exact()));
        }
        return header.build();
    }

    @SuppressWarnings("deprecation") // HeaderValueOption.append: what Kuma 2.0 writes
    private static void modify(TrafficRouteSpec.Modify modify, RouteAction.Builder action, Route.Builder route) {
        if (modify.path() != null) {
            if (modify.path().rewritePrefix() != null) {
                action.setPrefixRewrite(modify.path().rewritePrefix());
            } else if (modify.path().regex() != null) {
                action.setRegexRewrite(substitute(modify.path().regex()));
            }
        }
        if (modify.host() != null) {
            if (modify.host().value() != null) {
                action.setHostRewriteLiteral(modify.host().value());
            } else if (modify.host().fromPath() != null) {
                action.setHostRewritePathRegex(substitute(modify.host().fromPath()));
            }
        }
        if (modify.requestHeaders() != null) {
            modify.requestHeaders().add().forEach(h -> route.addRequestHeadersToAdd(add(h)));
            modify.requestHeaders().remove().forEach(h -> route.addRequestHeadersToRemove(h.name()));
        }
        if (modify.responseHeaders() != null) {
            modify.responseHeaders().add().forEach(h -> route.addResponseHeadersToAdd(add(h)));
            modify.responseHeaders().remove().forEach(h -> route.addResponseHeadersToRemove(h.name()));
        }
    }

    @SuppressWarnings("deprecation")
    private static HeaderValueOption add(TrafficRouteSpec.AddHeader header) {
        return HeaderValueOption.newBuilder()
                .setHeader(HeaderValue.newBuilder().setKey(header.name()).setValue(header.value()))
                .setAppend(BoolValue.of(header.append()))
                .build();
    }

    private static RegexMatcher regex(String regex) {
        return RegexMatcher.newBuilder().setGoogleRe2(RegexMatcher.GoogleRE2.getDefaultInstance()).setRegex(regex)
                .build();
    }

    private static RegexMatchAndSubstitute substitute(TrafficRouteSpec.RegexReplace replace) {
        return RegexMatchAndSubstitute.newBuilder().setPattern(regex(replace.pattern()))
                .setSubstitution(replace.substitution()).build();
    }
}
