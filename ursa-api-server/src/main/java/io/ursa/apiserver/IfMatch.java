package io.ursa.apiserver;

import io.ursa.api.resource.Resource;
import io.ursa.api.validation.Violation;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code If-Match} precondition of a PUT, for optimistic concurrency: {@code "<version>"} as sent in
 * {@code ETag}, or {@code *} for "whatever version exists". An improvement on Kuma, which has no preconditions.
 */
final class IfMatch {
    static final String HEADER = "If-Match";
    private static final IfMatch NONE = new IfMatch(Kind.NONE, 0);
    private static final IfMatch ANY = new IfMatch(Kind.ANY, 0);

    private enum Kind { NONE, ANY, VERSION }

    private final Kind kind;
    private final long version;

    private IfMatch(Kind kind, long version) {
        this.kind = kind;
        this.version = version;
    }

    /** Parses the header (absent = no precondition); a malformed one is a 400 naming the header. */
    static IfMatch parse(String header) {
        if (header == null || header.isBlank()) {
            return NONE;
        }
        String value = header.strip();
        if (value.equals("*")) {
            return ANY;
        }
        String digits = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
        try {
            long parsed = Long.parseLong(digits);
            if (parsed > 0 && !digits.startsWith("+")) {
                return new IfMatch(Kind.VERSION, parsed);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest(ErrorMapper.NOT_VALID, new Violation(HEADER,
                "invalid entity tag " + value + " (expected: a version in double quotes as sent in ETag, e.g. \"3\")"));
    }

    /** The version the update must find; with {@code *} the current one, which must exist. */
    OptionalLong expectedVersion(Optional<? extends Resource<?>> current) {
        return switch (kind) {
            case NONE -> OptionalLong.empty();
            // absent + a version makes the manager answer "not found"
            case ANY -> OptionalLong.of(current.map(r -> r.meta().version()).orElse(1L));
            case VERSION -> OptionalLong.of(version);
        };
    }

    /** The {@code ETag} of a stored resource. */
    static String etagOf(Resource<?> resource) {
        return "\"" + resource.meta().version() + "\"";
    }
}
