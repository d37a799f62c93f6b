package io.ursa.api.codec;

import static java.util.Objects.requireNonNull;

import io.ursa.api.validation.Violation;
import java.util.List;

/**
 * A document could not be turned into a resource: it is not YAML/JSON, has no type, names an unknown type, or a
 * field has the wrong JSON type. Carries the offending field so callers can point at it.
 */
public final class DecodeException extends RuntimeException {
    private final String field;
    private final String reason;

    public DecodeException(String field, String reason) {
        super(field.isEmpty() ? reason : field + ": " + reason);
        this.field = requireNonNull(field, "field");
        this.reason = requireNonNull(reason, "reason");
    }

    /** The path of the offending field, empty for the document as a whole. */
    public String field() {
        return field;
    }

    /** What is wrong, without the field. */
    public String reason() {
        return reason;
    }

    public List<Violation> violations() {
        return List.of(new Violation(field, reason));
    }
}
