package io.ursa.api.codec;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A field of a document that no part of its resource type knows, so decoding dropped it (Kuma ignores unknown
 * fields too). {@code path} is written as validation paths are ({@code mtls.backends[0].cnf}); spec fields are
 * Universal paths in both forms, meta fields of the Kubernetes form keep their place
 * ({@code metadata.nmae}). {@code suggestion} is the closest known field at the same level, when one is close.
 */
public record UnknownField(String path, Optional<String> suggestion) {
    public UnknownField {
        requireNonNull(path, "path");
        requireNonNull(suggestion, "suggestion");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("an unknown field needs a path");
        }
    }

    /** {@code unknown field "mtsl" (did you mean "mtls"?)}, or without the question when nothing is close. */
    public String describe() {
        return "unknown field \"" + path + "\"" + suggestion.map(s -> " (did you mean \"" + s + "\"?)").orElse("");
    }

    @Override
    public String toString() {
        return describe();
    }
}
