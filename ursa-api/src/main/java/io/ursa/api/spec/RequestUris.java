package io.ursa.api.spec;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Go's {@code url.ParseRequestURI}, as far as Kuma's checks observe it: whether the text parses (as {@code *},
 * an absolute URI, or an absolute path) and the port it names. Kuma uses it for the paths of a Dataplane's
 * virtual probes and for a zipkin tracing backend's {@code url}. Like Go, {@code host:9411} parses as scheme
 * {@code host} with an opaque part, hence without a port; a relative path such as {@code healthz} does not parse.
 */
public final class RequestUris {
    private RequestUris() {
    }

    /** Whether {@code raw} parses: {@code /healthz}, {@code *} or an absolute URL; not a relative path, not "". */
    public static boolean isValid(String raw) {
        return port(raw).isPresent();
    }

    /** Empty when {@code raw} does not parse; otherwise the explicit port, "" when there is none. */
    public static Optional<String> port(String raw) {
        requireNonNull(raw, "raw");
        if (raw.isEmpty() || raw.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
            return Optional.empty();
        }
        if (raw.equals("*")) {
            return Optional.of("");
        }
        int schemeEnd = schemeEnd(raw);
        if (schemeEnd == 0) {
            return Optional.empty();
        }
        boolean hasScheme = schemeEnd > 0;
        String rest = hasScheme ? raw.substring(schemeEnd + 1) : raw;
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        if (!rest.startsWith("/")) {
            return hasScheme ? Optional.of("") : Optional.empty();
        }
        String host = "";
        if (hasScheme && rest.startsWith("//")) {
            String authority = rest.substring(2);
            int slash = authority.indexOf('/');
            rest = slash < 0 ? "" : authority.substring(slash);
            authority = slash < 0 ? authority : authority.substring(0, slash);
            int at = authority.lastIndexOf('@');
            if (at >= 0 && !validUserinfo(authority.substring(0, at))) {
                return Optional.empty();
            }
            host = authority.substring(at + 1);
            if (!validHost(host)) {
                return Optional.empty();
            }
        }
        if (!validEscapes(rest)) {
            return Optional.empty();
        }
        int colon = host.lastIndexOf(':');
        return Optional.of(colon >= 0 && validOptionalPort(host.substring(colon)) ? host.substring(colon + 1) : "");
    }

    /** Index of the scheme's ':'; -1 when there is no scheme; 0 for Go's "missing protocol scheme" error. */
    private static int schemeEnd(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
                continue;
            }
            if (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
                if (i == 0) {
                    return -1;
                }
                continue;
            }
            return c == ':' ? i : -1;
        }
        return -1;
    }

    private static boolean validHost(String host) {
        if (host.startsWith("[")) {
            int close = host.lastIndexOf(']');
            if (close < 0 || !validOptionalPort(host.substring(close + 1))) {
                return false;
            }
        } else {
            int colon = host.lastIndexOf(':');
            if (colon >= 0 && !validOptionalPort(host.substring(colon))) {
                return false;
            }
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == '%') {
                if (!hexAt(host, i + 1) || !hexAt(host, i + 2)
                        || Character.digit(host.charAt(i + 1), 16) < 8 && !host.startsWith("%25", i)) {
                    return false;
                }
                i += 2;
            } else if (c < 0x80 && !Character.isLetterOrDigit(c) && "!$&'()*+,;=:[]<>\"-_.~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean validUserinfo(String userinfo) {
        for (int i = 0; i < userinfo.length(); i++) {
            char c = userinfo.charAt(i);
            if (!(c < 0x80 && Character.isLetterOrDigit(c)) && "-._:~!$&'()*+,;=%@".indexOf(c) < 0) {
                return false;
            }
        }
        return validEscapes(userinfo);
    }

    private static boolean validEscapes(String s) {
        for (int i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 3)) {
            if (!hexAt(s, i + 1) || !hexAt(s, i + 2)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hexAt(String s, int i) {
        return i < s.length() && Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 0x80;
    }

    private static boolean validOptionalPort(String colonPort) {
        if (colonPort.isEmpty()) {
            return true;
        }
        if (colonPort.charAt(0) != ':') {
            return false;
        }
        return colonPort.chars().skip(1).allMatch(c -> c >= '0' && c <= '9');
    }
}
