package io.ursa.xds.gateway;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One route of a gateway host before it becomes Envoy's (Kuma's {@code route.Entry}): one match of one rule of a
 * MeshGatewayRoute (or one TCP rule), what it does, and the MeshGatewayRoute it came from.
 */
record RouteEntry(String route, Match match, List<Backend> forward, Optional<Redirect> redirect,
                  Optional<Mirror> mirror, Optional<Headers> requestHeaders, Optional<Headers> responseHeaders,
                  Optional<Rewrite> rewrite) {
    RouteEntry {
        requireNonNull(route, "route");
        requireNonNull(match, "match");
        forward = List.copyOf(forward);
        requireNonNull(redirect, "redirect");
        requireNonNull(mirror, "mirror");
        requireNonNull(requestHeaders, "requestHeaders");
        requireNonNull(responseHeaders, "responseHeaders");
        requireNonNull(rewrite, "rewrite");
    }

    RouteEntry withMatch(Match newMatch) {
        return new RouteEntry(route, newMatch, forward, redirect, mirror, requestHeaders, responseHeaders, rewrite);
    }

    RouteEntry withRewrite(Optional<Rewrite> newRewrite) {
        return new RouteEntry(route, match, forward, redirect, mirror, requestHeaders, responseHeaders, newRewrite);
    }

    /** A name and a value (a header or query parameter). */
    record Pair(String name, String value) {
    }

    /**
     * What a request must look like; exactly one of the three paths is non-empty in an HTTP entry, none in a TCP
     * one.
     */
    record Match(String exactPath, String prefixPath, String regexPath, String method, List<Pair> exactHeaders,
                 List<Pair> regexHeaders, List<Pair> exactQuery, List<Pair> regexQuery) {
        static final Match NONE = new Match("", "", "", "", List.of(), List.of(), List.of(), List.of());

        Match {
            exactHeaders = List.copyOf(exactHeaders);
            regexHeaders = List.copyOf(regexHeaders);
            exactQuery = List.copyOf(exactQuery);
            regexQuery = List.copyOf(regexQuery);
        }

        Match withPaths(String exact, String prefix) {
            return new Match(exact, prefix, regexPath, method, exactHeaders, regexHeaders, exactQuery, regexQuery);
        }
    }

    /** A weighted backend: the tags of the endpoints it sends to. */
    record Backend(Map<String, String> destination, long weight) {
        Backend {
            destination = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(destination));
        }
    }

    /** A redirect (Kuma strips the query string). */
    record Redirect(int status, String scheme, String hostname, int port) {
    }

    /** Requests mirrored to {@code backend}, {@code percentage} of them. */
    record Mirror(Backend backend, double percentage) {
    }

    /** Headers set (replaced), added (appended) and removed. */
    record Headers(List<Pair> set, List<Pair> add, List<String> remove) {
        Headers {
            set = List.copyOf(set);
            add = List.copyOf(add);
            remove = List.copyOf(remove);
        }
    }

    /** A path rewrite: the whole path, or the matched prefix. */
    record Rewrite(Optional<String> replaceFull, Optional<String> replacePrefix) {
    }
}
