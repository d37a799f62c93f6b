package io.ursa.api.validation;

import java.util.List;
import java.util.stream.Collectors;

/** A resource broke one or more rules. The REST layer maps it to 400 "Resource is not valid". */
public final class ValidationException extends RuntimeException {
    private final List<Violation> violations;

    public ValidationException(List<Violation> violations) {
        super(render(violations));
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("a validation error needs at least one violation");
        }
        this.violations = List.copyOf(violations);
    }

    public static ValidationException of(Path field, String message) {
        return new ValidationException(List.of(new Violation(field.toString(), message)));
    }

    public List<Violation> violations() {
        return violations;
    }

    static String render(List<Violation> violations) {
        return violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
    }
}
