package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP/1.1 request to the DP server.
 *
 * @param method  upper-case method
 * @param path    the path without the query
 * @param headers header values by lower-case name (the last value when repeated)
 * @param body    the body as UTF-8
 */
public record HttpCall(String method, String path, Map<String, String> headers, String body) {
    public HttpCall {
        requireNonNull(method, "method");
        requireNonNull(path, "path");
        TreeMap<String, String> copy = new TreeMap<>();
        requireNonNull(headers, "headers").forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT), v));
        headers = Map.copyOf(copy);
        requireNonNull(body, "body");
    }

    /** The header's value, by case-insensitive name. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
}
