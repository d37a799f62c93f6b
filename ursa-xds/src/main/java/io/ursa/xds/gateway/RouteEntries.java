package io.ursa.xds.gateway;

import io.ursa.api.gateway.MeshGatewayRouteSpec;
import io.ursa.api.gateway.MeshGatewaySpec;
import io.ursa.api.policy.HttpMethod;
import io.ursa.api.resource.Resource;
import io.ursa.xds.gateway.RouteEntry.Backend;
import io.ursa.xds.gateway.RouteEntry.Headers;
import io.ursa.xds.gateway.RouteEntry.Match;
import io.ursa.xds.gateway.RouteEntry.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The route entries of one gateway host (Kuma 2.0's {@code GenerateEnvoyRouteEntries} in
 * {@code gateway_route_generator.go}, ordered by {@code route/sorter.go}):
 * <ul>
 *   <li>the host's MeshGatewayRoutes, for a host other than {@code *} only those without hostnames or with one
 *       matching the host's ({@link #hostnameMatches}, Kuma's {@code match.Hostnames});</li>
 *   <li>one entry per match of each HTTP rule (a match without a path is a {@code /} prefix), one per TCP rule;</li>
 *   <li>a prefix {@code /p/} or {@code /p} matches {@code /p/...} as prefix {@code /p/} and, unless some entry
 *       matches {@code /p} exactly, also {@code /p} exactly (with a prefix rewrite turned into a full one);</li>
 *   <li>ordered most specific first: exact paths, longest first, then prefixes, longest first, then regexes,
 *       longest first; then with a method; then more exact header and query matches; then more regex ones; then
 *       by path. Equal entries keep their order (Kuma's unstable sort and map iteration leave it random).</li>
 * </ul>
 * Stateless.
 */
final class RouteEntries {
    private RouteEntries() {
    }

    /** The entries of {@code host}, most specific first. */
    static List<RouteEntry> of(GatewaySelection.Host host) {
        List<RouteEntry> entries = new ArrayList<>();
        Map<String, List<RouteEntry>> exact = new TreeMap<>();
        Map<String, List<RouteEntry>> prefix = new TreeMap<>();
        for (Resource<MeshGatewayRouteSpec> route : host.routes()) {
            MeshGatewayRouteSpec.Conf conf = route.spec().conf();
            if (conf.http() != null) {
                if (!host.hostname().equals(MeshGatewaySpec.WILDCARD_HOSTNAME) && !conf.http().hostnames().isEmpty()
                        && !hostnameMatches(host.hostname(), conf.http().hostnames())) {
                    continue;
                }
                for (MeshGatewayRouteSpec.HttpRule rule : conf.http().rules()) {
                    RouteEntry entry = httpEntry(route.name(), rule);
                    List<MeshGatewayRouteSpec.Match> matches = rule.matches().isEmpty()
                            ? List.of(new MeshGatewayRouteSpec.Match(null, null, null, null)) : rule.matches();
                    for (MeshGatewayRouteSpec.Match match : matches) {
                        RouteEntry matched = entry.withMatch(match(match));
                        if (!matched.match().exactPath().isEmpty()) {
                            exact.computeIfAbsent(matched.match().exactPath(), p -> new ArrayList<>()).add(matched);
                        } else if (!matched.match().prefixPath().isEmpty()) {
                            prefix.computeIfAbsent(matched.match().prefixPath(), p -> new ArrayList<>()).add(matched);
                        } else {
                            entries.add(matched);
                        }
                    }
                }
            }
            if (conf.tcp() != null) {
                for (MeshGatewayRouteSpec.TcpRule rule : conf.tcp().rules()) {
                    entries.add(new RouteEntry(route.name(), Match.NONE, backends(rule.backends()),
                            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
                }
            }
        }
        prefix.forEach((path, onPath) -> {
            String exactPath = trimTrailingSlashes(path);
            boolean hasExact = exact.containsKey(exactPath);
            for (RouteEntry entry : onPath) {
                Optional<String> exactRewrite = entry.rewrite().flatMap(RouteEntry.Rewrite::replacePrefix)
                        .map(RouteEntries::trimTrailingSlashes);
                RouteEntry asPrefix = entry.withMatch(entry.match().withPaths("", exactPath + "/"));
                if (exactRewrite.isPresent()) {
                    asPrefix = asPrefix.withRewrite(Optional.of(new RouteEntry.Rewrite(Optional.empty(),
                            Optional.of(exactRewrite.get() + "/"))));
                }
                entries.add(asPrefix);
                if (exactPath.isEmpty() || hasExact) {
                    continue;
                }
                RouteEntry asExact = asPrefix.withMatch(entry.match().withPaths(exactPath, ""));
                if (exactRewrite.isPresent()) {
                    String full = exactRewrite.get().isEmpty() ? "/" : exactRewrite.get();
                    asExact = asExact.withRewrite(Optional.of(new RouteEntry.Rewrite(Optional.of(full),
                            Optional.empty())));
                }
                exact.computeIfAbsent(exactPath, p -> new ArrayList<>()).add(asExact);
            }
        });
        exact.values().forEach(entries::addAll);
        return sorted(entries);
    }

    /** Kuma's {@code match.Hostnames}: equal, or equal domains when either host part is {@code *}. */
    static boolean hostnameMatches(String target, List<String> candidates) {
        String[] targetParts = target.split("\\.", 2);
        for (String candidate : candidates) {
            if (candidate.equals(target)) {
                return true;
            }
            String[] parts = candidate.split("\\.", 2);
            if (targetParts.length < 2 || parts.length < 2) {
                continue;
            }
            boolean wildcard = targetParts[0].equals("*") || parts[0].equals("*");
            if (targetParts[1].equals(parts[1]) && (wildcard || targetParts[0].equals(parts[0]))) {
                return true;
            }
        }
        return false;
    }

    private static RouteEntry httpEntry(String name, MeshGatewayRouteSpec.HttpRule rule) {
        Optional<RouteEntry.Redirect> redirect = Optional.empty();
        Optional<RouteEntry.Mirror> mirror = Optional.empty();
        Optional<Headers> request = Optional.empty();
        Optional<Headers> response = Optional.empty();
        Optional<RouteEntry.Rewrite> rewrite = Optional.empty();
        for (MeshGatewayRouteSpec.Filter filter : rule.filters()) {
            if (filter.redirect() != null) {
                MeshGatewayRouteSpec.Redirect r = filter.redirect();
                redirect = Optional.of(new RouteEntry.Redirect(r.statusCode(), r.scheme(), r.hostname(), r.port()));
            } else if (filter.mirror() != null) {
                MeshGatewayRouteSpec.Mirror m = filter.mirror();
                // the proto: "If not specified, all requests to the target cluster will be mirrored"
                mirror = Optional.of(new RouteEntry.Mirror(new Backend(m.backend().destination(), 0),
                        m.percentage() == null ? 100.0 : m.percentage()));
            } else if (filter.requestHeader() != null) {
                request = Optional.of(merge(request, filter.requestHeader()));
            } else if (filter.responseHeader() != null) {
                response = Optional.of(merge(response, filter.responseHeader()));
            } else if (filter.rewrite() != null) {
                rewrite = Optional.of(new RouteEntry.Rewrite(Optional.ofNullable(filter.rewrite().replaceFull()),
                        Optional.ofNullable(filter.rewrite().replacePrefixMatch())));
            }
        }
        return new RouteEntry(name, Match.NONE, backends(rule.backends()), redirect, mirror, request, response,
                rewrite);
    }

    private static Headers merge(Optional<Headers> before, MeshGatewayRouteSpec.HeaderModifier modifier) {
        List<Pair> set = new ArrayList<>(before.map(Headers::set).orElse(List.of()));
        List<Pair> add = new ArrayList<>(before.map(Headers::add).orElse(List.of()));
        List<String> remove = new ArrayList<>(before.map(Headers::remove).orElse(List.of()));
        modifier.set().forEach(h -> set.add(new Pair(h.name(), h.value())));
        modifier.add().forEach(h -> add.add(new Pair(h.name(), h.value())));
        remove.addAll(modifier.remove());
        return new Headers(set, add, remove);
    }

    private static List<Backend> backends(List<MeshGatewayRouteSpec.Backend> backends) {
        return backends.stream().map(b -> new Backend(b.destination(), b.weight())).toList();
    }

    private static Match match(MeshGatewayRouteSpec.Match match) {
        String exactPath = "";
        String prefixPath = "";
        String regexPath = "";
        if (match.path() == null) {
            prefixPath = "/";
        } else {
            switch (match.path().match()) {
                case EXACT -> exactPath = match.path().value();
                case PREFIX -> prefixPath = match.path().value();
                case REGEX -> regexPath = match.path().value();
                default -> throw new IllegalStateException("unknown path match " + match.path().match());
            }
        }
        String method = match.method() == HttpMethod.NONE ? "" : match.method().name();
        List<Pair> exactHeaders = new ArrayList<>();
        List<Pair> regexHeaders = new ArrayList<>();
        for (MeshGatewayRouteSpec.HeaderMatch header : match.headers()) {
            (header.match() == MeshGatewayRouteSpec.ValueMatchType.REGEX ? regexHeaders : exactHeaders)
                    .add(new Pair(header.name(), header.value()));
        }
        List<Pair> exactQuery = new ArrayList<>();
        List<Pair> regexQuery = new ArrayList<>();
        for (MeshGatewayRouteSpec.QueryMatch query : match.queryParameters()) {
            (query.match() == MeshGatewayRouteSpec.ValueMatchType.REGEX ? regexQuery : exactQuery)
                    .add(new Pair(query.name(), query.value()));
        }
        return new Match(exactPath, prefixPath, regexPath, method, exactHeaders, regexHeaders, exactQuery,
                regexQuery);
    }

    private static String trimTrailingSlashes(String path) {
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(0, end);
    }

    /** A stable insertion sort by Kuma's {@code isMoreSpecific}, which is not a total order a library sort needs. */
    private static List<RouteEntry> sorted(List<RouteEntry> entries) {
        List<RouteEntry> list = new ArrayList<>(entries);
        for (int i = 1; i < list.size(); i++) {
            for (int j = i; j > 0 && isMoreSpecific(list.get(j).match(), list.get(j - 1).match()); j--) {
                RouteEntry swap = list.get(j);
                list.set(j, list.get(j - 1));
                list.set(j - 1, swap);
            }
        }
        return list;
    }

    /**
     * Two paths of the kind {@code lhs} has: more specific when {@code rhs} has none or a shorter one, less when a
     * longer one, undecided on equal lengths.
     */
    private static Optional<Boolean> byLength(String lhs, String rhs) {
        if (rhs.isEmpty() || lhs.length() > rhs.length()) {
            return Optional.of(true);
        }
        return lhs.length() < rhs.length() ? Optional.of(false) : Optional.empty();
    }

    /** Kuma's {@code isMoreSpecific} ({@code route/sorter.go}). */
    static boolean isMoreSpecific(Match lhs, Match rhs) {
        Optional<Boolean> byPath;
        if (!lhs.exactPath().isEmpty()) {
            byPath = byLength(lhs.exactPath(), rhs.exactPath());
        } else if (!rhs.exactPath().isEmpty()) {
            return false;
        } else if (!lhs.prefixPath().isEmpty()) {
            byPath = byLength(lhs.prefixPath(), rhs.prefixPath());
        } else if (!rhs.prefixPath().isEmpty()) {
            return false;
        } else {
            byPath = byLength(lhs.regexPath(), rhs.regexPath());
        }
        if (byPath.isPresent()) {
            return byPath.get();
        }
        if (!lhs.method().isEmpty() && rhs.method().isEmpty()) {
            return true;
        }
        if (lhs.exactHeaders().size() + lhs.exactQuery().size()
                > rhs.exactHeaders().size() + rhs.exactQuery().size()) {
            return true;
        }
        if (lhs.regexHeaders().size() + lhs.regexQuery().size()
                > rhs.regexHeaders().size() + rhs.regexQuery().size()) {
            return true;
        }
        return (lhs.exactPath() + lhs.prefixPath() + lhs.regexPath())
                .compareTo(rhs.exactPath() + rhs.prefixPath() + rhs.regexPath()) < 0;
    }
}
