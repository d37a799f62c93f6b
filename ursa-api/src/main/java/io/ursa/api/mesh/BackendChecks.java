package io.ursa.api.mesh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The checks Kuma makes the same way in every backend section (mtls, logging, tracing, metrics): backend names
 * are unique and the section's enabled or default backend is one of them; a backend's {@code conf} that does not
 * parse is reported as {@code could not parse config: <reason>}.
 */
final class BackendChecks {
    private BackendChecks() {
    }

    /** A typed config's {@code parse(ObjectNode)}, e.g. {@code ZipkinConfig::parse}. */
    @FunctionalInterface
    interface ConfParser<T> {
        T parse(ObjectNode conf) throws ConfException;
    }

    /** The parsed {@code conf}; empty, with {@code could not parse config: ...} added at {@code path}, if it fails. */
    static <T> Optional<T> parseConf(ConfParser<T> parser, ObjectNode conf, Path path, Violations violations) {
        try {
            return Optional.of(parser.parse(conf));
        } catch (ConfException e) {
            violations.add(path, "could not parse config: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The names of one section's backends, collected in order. Used by one validation call at a time. */
    static final class Names {
        private final Set<String> seen = new HashSet<>();

        /** Records {@code name}; a repeated one is reported on {@code backendPath.name}. */
        void add(String name, Path backendPath, Violations violations) {
            if (!seen.add(name)) {
                violations.add(backendPath.field("name"),
                        GoQuote.quote(name) + " name is already used for another backend");
            }
        }

        /** A set {@code reference} ({@code enabledBackend}, {@code defaultBackend}) must name a recorded backend. */
        void checkReference(String reference, Path path, String message, Violations violations) {
            if (!reference.isEmpty() && !seen.contains(reference)) {
                violations.add(path, message);
            }
        }
    }
}
