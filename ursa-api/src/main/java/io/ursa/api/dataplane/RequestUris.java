package io.ursa.api.dataplane;

/** Go's {@code url.ParseRequestURI} acceptance, for the paths of virtual probes. */
final class RequestUris {
    private RequestUris() {
    }

    /** {@code /healthz}, {@code *} or an absolute URL; not a relative path, not an empty string. */
    static boolean isValid(String uri) {
        if (uri.isEmpty() || uri.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return false;
        }
        if (uri.equals("*")) {
            return true;
        }
        int schemeEnd = schemeEnd(uri);
        if (schemeEnd == 0) {
            return false;
        }
        String rest = schemeEnd < 0 ? uri : uri.substring(schemeEnd + 1);
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        if (!rest.startsWith("/")) {
            return schemeEnd > 0;
        }
        return hasValidEscapes(rest);
    }

    /** Index of the ':' ending a scheme, 0 for a leading ':' (an error), -1 when there is no scheme. */
    private static int schemeEnd(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (Character.isLetter(c) && c < 0x80) {
                continue;
            }
            if ((Character.isDigit(c) || c == '+' || c == '-' || c == '.') && i > 0) {
                continue;
            }
            return c == ':' ? i : -1;
        }
        return -1;
    }

    private static boolean hasValidEscapes(String path) {
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '%') {
                if (i + 2 >= path.length() || !isHex(path.charAt(i + 1)) || !isHex(path.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0 && c < 0x80;
    }
}
