package io.ursa.api.validation;

import static java.util.Objects.requireNonNull;

/**
 * One broken rule: the path of the offending field (Kuma's syntax, e.g. {@code mtls.backends[1].name}) and what
 * is wrong with it. An empty field means the resource as a whole.
 */
public record Violation(String field, String message) {
    public Violation {
        requireNonNull(field, "field");
        requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return field.isEmpty() ? message : field + ": " + message;
    }
}
