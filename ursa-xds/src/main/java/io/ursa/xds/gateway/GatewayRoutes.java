package io.ursa.xds.gateway;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.ursa.api.gateway.MeshGatewaySpec;
import io.ursa.api.spec.Tags;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.envoy.Protos;
import io.ursa.xds.generator.GatewayUpstreams;
import io.ursa.xds.generator.policies.ConnectionPolicies;
import io.ursa.xds.gateway.RouteEntry.Pair;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The RDS route configuration of a gateway HTTP listener (Kuma 2.0's {@code GenerateRouteConfig} and
 * {@code GenerateVirtualHost} in {@code route_table_generator.go}, with {@code route/configurers.go}):
 * <ul>
 *   <li>named as the listener, {@code validateClusters: false}, {@code x-kuma-tags} removed from requests;</li>
 *   <li>a virtual host per host, in the listener's host order, named as the hostname and matching it; on an HTTPS
 *       or cross-mesh listener with {@code requireTls: ALL} and the HSTS response header;</li>
 *   <li>a host without routes answers 404 with Kuma's text; otherwise a route per {@link RouteEntry}: path, method
 *       ({@code :method}), header and query matches (exact, or RE2 regex); a redirect, or weighted clusters (total
 *       weight set, the gateway's tags in {@code x-kuma-tags} toward mesh clusters); the Retry (HTTP or gRPC by
 *       the backends' protocol), the Timeout's request timeout and the RateLimit bucket chosen for the route
 *       ({@link GatewayPolicies#forRoute}); request headers set ({@code Host} becomes a host rewrite), added and
 *       removed, with Go's canonical header names; Ursa's response headers the same way; a mirror with its
 *       percentage; a full (regex {@code .*}) or prefix path rewrite.</li>
 * </ul>
 * Stateless.
 */
final class GatewayRoutes {
    static final String EMPTY_GATEWAY_MESSAGE = "This is a Kuma MeshGateway. No routes match this MeshGateway!\n";
    private static final String HSTS = "Strict-Transport-Security";
    private static final String HSTS_VALUE = "max-age=31536000; includeSubDomains";
    private static final String KUMA_TAGS_HEADER = "x-kuma-tags";

    /** What the route builder needs to know about a backend: its cluster and policies. */
    interface Backends {
        String cluster(GatewaySelection.Host host, RouteEntry.Backend backend);

        GatewayPolicies policies(GatewaySelection.Host host, RouteEntry.Backend backend);
    }

    private GatewayRoutes() {
    }

    static RouteConfiguration of(ProxyContext proxy, GatewaySelection.Listener listener,
                                 Map<GatewaySelection.Host, List<RouteEntry>> entries, Backends backends) {
        RouteConfiguration.Builder config = RouteConfiguration.newBuilder()
                .setName(listener.name())
                .setValidateClusters(Protos.bool(false))
                .addRequestHeadersToRemove(KUMA_TAGS_HEADER);
        String kumaTags = GatewayUpstreams.serializedTags(proxy.spec());
        boolean tls = listener.protocol() == MeshGatewaySpec.Protocol.HTTPS || listener.crossMesh();
        for (GatewaySelection.Host host : listener.hosts()) {
            config.addVirtualHosts(virtualHost(proxy, host, entries.get(host), backends, tls, kumaTags));
        }
        return config.build();
    }

    @SuppressWarnings("deprecation") // HeaderValueOption.append: what Kuma 2.0 writes
    private static VirtualHost virtualHost(ProxyContext proxy, GatewaySelection.Host host, List<RouteEntry> entries,
                                           Backends backends, boolean tls, String kumaTags) {
        VirtualHost.Builder vh = VirtualHost.newBuilder().setName(host.hostname()).addDomains(host.hostname());
        if (tls) {
            vh.setRequireTls(VirtualHost.TlsRequirementType.ALL)
                    .addResponseHeadersToAdd(header(HSTS, HSTS_VALUE, false));
        }
        if (entries.isEmpty()) {
            vh.addRoutes(Route.newBuilder()
                    .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                    .setDirectResponse(DirectResponseAction.newBuilder().setStatus(404)
                            .setBody(DataSource.newBuilder().setInlineString(EMPTY_GATEWAY_MESSAGE))));
            return vh.build();
        }
        for (RouteEntry entry : entries) {
            vh.addRoutes(route(proxy, host, entry, backends, kumaTags));
        }
        return vh.build();
    }

    private static Route route(ProxyContext proxy, GatewaySelection.Host host, RouteEntry entry, Backends backends,
                               String kumaTags) {
        Route.Builder route = Route.newBuilder().setMatch(match(entry.match()));
        List<GatewayPolicies.Destination> destinations = entry.forward().stream()
                .map(b -> new GatewayPolicies.Destination(b.destination(), backends.policies(host, b))).toList();
        if (entry.redirect().isPresent()) {
            route.setRedirect(redirect(entry.redirect().get()));
        } else if (!entry.forward().isEmpty()) {
            RouteAction.Builder action = RouteAction.newBuilder()
                    .setWeightedClusters(weighted(proxy, host, entry.forward(), backends, kumaTags));
            GatewayUpstreams.routeRetry(
                    GatewayPolicies.forRoute(destinations, GatewayPolicies::retry, ConnectionPolicies.RETRY)
                            .map(r -> r.spec().conf()),
                    entry.forward().stream().map(RouteEntry.Backend::destination).toList())
                    .ifPresent(action::setRetryPolicy);
            GatewayUpstreams.requestTimeout(GatewayPolicies.forRoute(destinations, GatewayPolicies::timeout,
                    ConnectionPolicies.TIMEOUT).map(t -> t.spec().conf()))
                    .ifPresent(timeout -> action.setTimeout(Protos.duration(timeout)));
            entry.mirror().ifPresent(mirror -> action.addRequestMirrorPolicies(
                    RouteAction.RequestMirrorPolicy.newBuilder()
                            .setCluster(backends.cluster(host, mirror.backend()))
                            .setRuntimeFraction(RuntimeFractionalPercent.newBuilder()
                                    .setDefaultValue(GatewayUpstreams.percent(mirror.percentage())))));
            entry.rewrite().ifPresent(rewrite -> {
                rewrite.replaceFull().ifPresent(full -> action.setRegexRewrite(RegexMatchAndSubstitute.newBuilder()
                        .setPattern(regex(".*")).setSubstitution(full)));
                rewrite.replacePrefix().ifPresent(action::setPrefixRewrite);
            });
            entry.requestHeaders().ifPresent(headers -> headers.set().stream()
                    .filter(h -> isHost(h.name())).forEach(h -> action.setHostRewriteLiteral(h.value())));
            route.setRoute(action);
        }
        GatewayPolicies.forRoute(destinations, GatewayPolicies::rateLimit, ConnectionPolicies.RATE_LIMIT)
                .flatMap(GatewayUpstreams::rateLimitBucket)
                .ifPresent(bucket -> route.putTypedPerFilterConfig(GatewayUpstreams.RATE_LIMIT_FILTER, bucket));
        entry.requestHeaders().ifPresent(headers -> {
            headers.set().stream().filter(h -> !isHost(h.name()))
                    .forEach(h -> route.addRequestHeadersToAdd(header(canonical(h.name()), h.value(),
                            false)));
            headers.add().forEach(h -> route.addRequestHeadersToAdd(header(canonical(h.name()),
                    h.value(), true)));
            route.addAllRequestHeadersToRemove(headers.remove());
        });
        entry.responseHeaders().ifPresent(headers -> {
            headers.set().forEach(h -> route.addResponseHeadersToAdd(header(canonical(h.name()),
                    h.value(), false)));
            headers.add().forEach(h -> route.addResponseHeadersToAdd(header(canonical(h.name()),
                    h.value(), true)));
            route.addAllResponseHeadersToRemove(headers.remove());
        });
        return route.build();
    }

    private static boolean isHost(String name) {
        return name.equals(":authority") || name.equals("Host") || name.equals("host");
    }

    private static RouteMatch match(RouteEntry.Match match) {
        RouteMatch.Builder m = RouteMatch.newBuilder();
        if (!match.exactPath().isEmpty()) {
            m.setPath(match.exactPath());
        } else if (!match.prefixPath().isEmpty()) {
            m.setPrefix(match.prefixPath());
        } else if (!match.regexPath().isEmpty()) {
            m.setSafeRegex(regex(match.regexPath()));
        }
        if (!match.method().isEmpty()) {
            m.addHeaders(exactHeader(":method", match.method()));
        }
        match.exactHeaders().forEach(h -> m.addHeaders(exactHeader(h.name(), h.value())));
        match.regexHeaders().forEach(h -> m.addHeaders(HeaderMatcher.newBuilder().setName(h.name())
                .setSafeRegexMatch(regex(h.value()))));
        for (Pair q : match.exactQuery()) {
            m.addQueryParameters(QueryParameterMatcher.newBuilder().setName(q.name())
                    .setStringMatch(StringMatcher.newBuilder().setExact(q.value())));
        }
        for (Pair q : match.regexQuery()) {
            m.addQueryParameters(QueryParameterMatcher.newBuilder().setName(q.name())
                    .setStringMatch(StringMatcher.newBuilder().setSafeRegex(regex(q.value()))));
        }
        return m.build();
    }

    private static HeaderMatcher exactHeader(String name, String value) {
        return HeaderMatcher.newBuilder().setName(name)
                .setStringMatch(StringMatcher.newBuilder().setExact(value)).build();
    }

    @SuppressWarnings("deprecation") // RegexMatcher.google_re2: what Kuma 2.0 writes
    private static RegexMatcher regex(String regex) {
        return RegexMatcher.newBuilder().setGoogleRe2(RegexMatcher.GoogleRE2.getDefaultInstance()).setRegex(regex)
                .build();
    }

    /** Kuma's {@code RouteActionRedirect}: the status as Envoy's response code, the query stripped. */
    private static RedirectAction redirect(RouteEntry.Redirect redirect) {
        RedirectAction.Builder action = RedirectAction.newBuilder()
                .setHostRedirect(redirect.hostname())
                .setPortRedirect(redirect.port())
                .setStripQuery(true)
                .setResponseCode(switch (redirect.status()) {
                    case 301 -> RedirectAction.RedirectResponseCode.MOVED_PERMANENTLY;
                    case 302 -> RedirectAction.RedirectResponseCode.FOUND;
                    case 303 -> RedirectAction.RedirectResponseCode.SEE_OTHER;
                    case 307 -> RedirectAction.RedirectResponseCode.TEMPORARY_REDIRECT;
                    case 308 -> RedirectAction.RedirectResponseCode.PERMANENT_REDIRECT;
                    default -> throw new IllegalArgumentException("redirect status code " + redirect.status()
                            + " is not supported");
                });
        if (!redirect.scheme().isEmpty()) {
            action.setSchemeRedirect(redirect.scheme());
        }
        return action.build();
    }

    /**
     * Kuma's {@code RouteActionForward}: one weighted cluster per distinct cluster (by name; a single backend
     * without a weight gets 1), the total weight, and {@code x-kuma-tags} toward mesh (not direct ExternalService)
     * clusters.
     */
    @SuppressWarnings("deprecation") // HeaderValueOption.append: what Kuma 2.0 writes
    private static WeightedCluster weighted(ProxyContext proxy, GatewaySelection.Host host,
                                            List<RouteEntry.Backend> forward, Backends backends, String kumaTags) {
        Map<String, RouteEntry.Backend> byCluster = new TreeMap<>();
        for (RouteEntry.Backend backend : forward) {
            long weight = backend.weight() == 0 && forward.size() == 1 ? 1 : backend.weight();
            byCluster.put(backends.cluster(host, backend), new RouteEntry.Backend(backend.destination(), weight));
        }
        WeightedCluster.Builder weighted = WeightedCluster.newBuilder();
        long total = 0;
        for (Map.Entry<String, RouteEntry.Backend> e : byCluster.entrySet()) {
            total += e.getValue().weight();
            WeightedCluster.ClusterWeight.Builder cluster = WeightedCluster.ClusterWeight.newBuilder()
                    .setName(e.getKey()).setWeight(UInt32Value.of((int) e.getValue().weight()));
            String service = e.getValue().destination().get(Tags.SERVICE);
            if (!GatewayUpstreams.isDirectExternal(proxy, service)) {
                cluster.addRequestHeadersToAdd(HeaderValueOption.newBuilder()
                        .setHeader(HeaderValue.newBuilder().setKey(KUMA_TAGS_HEADER).setValue(kumaTags)));
            }
            weighted.addClusters(cluster);
        }
        return weighted.setTotalWeight(UInt32Value.of((int) total)).build();
    }

    @SuppressWarnings("deprecation") // HeaderValueOption.append: what Kuma 2.0 writes
    private static HeaderValueOption header(String name, String value, boolean append) {
        return HeaderValueOption.newBuilder()
                .setAppend(Protos.bool(append))
                .setHeader(HeaderValue.newBuilder().setKey(name).setValue(value))
                .build();
    }

    /**
     * Go's {@code http.CanonicalHeaderKey}, which Kuma applies to the headers it sets and adds: the first letter
     * and every letter after a hyphen upper case, the others lower case; a name with a space or other character
     * outside a token is left alone.
     */
    static String canonical(String name) {
        for (char c : name.toCharArray()) {
            boolean token = c > 32 && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
            if (!token) {
                return name;
            }
        }
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return out.toString();
    }
}
