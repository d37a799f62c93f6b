package io.ursa.api.validation;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every violation of a validation pass, in the order they are found. Validators never stop at the
 * first problem; callers turn a non-empty collection into a {@link ValidationException}.
 * Not thread-safe: one validation pass owns one instance.
 */
public final class Violations {
    private final List<Violation> list = new ArrayList<>();

    public Violations add(Path field, String message) {
        list.add(new Violation(field.toString(), requireNonNull(message, "message")));
        return this;
    }

    public Violations add(Violation violation) {
        list.add(requireNonNull(violation, "violation"));
        return this;
    }

    /** Adds another pass's violations with {@code prefix} put in front of their fields. */
    public Violations addAll(Path prefix, Violations other) {
        for (Violation v : other.list) {
            list.add(new Violation(prefix.resolve(v.field()).toString(), v.message()));
        }
        return this;
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<Violation> list() {
        return List.copyOf(list);
    }

    /** Throws a {@link ValidationException} when anything was collected. */
    public void throwIfAny() {
        if (!list.isEmpty()) {
            throw new ValidationException(list);
        }
    }

    @Override
    public String toString() {
        return ValidationException.render(list);
    }
}
