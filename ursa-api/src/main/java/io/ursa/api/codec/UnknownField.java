package io.ursa.api.codec;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A field of a document that no part of its resource type knows, so decoding dropped it (Kuma ignores unknown
 * fields too). {@code path} is written as validation paths are ({@code mtls.backends[0].cnf}); spec fields are
 * Universal paths in both forms, meta fields of the Kubernetes form keep their place
 * ({@code metadata.nmae}). {@code suggestion} is the closest known field at the same level, when one is close.
 */
public record UnknownField(String path, Optional<String> suggestion) {
    /** Most warnings {@link #warnings} words one by one; a body can hold thousands of unknown keys. */
    public static final int MAX_WARNINGS = 20;
    /** Longest path a warning quotes whole; a key can be as long as the body. */
    static final int MAX_PATH_CHARS = 120;
    private static final Pattern MORE = Pattern.compile("\\d+ more unknown fields?");

    public UnknownField {
        requireNonNull(path, "path");
        requireNonNull(suggestion, "suggestion");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("an unknown field needs a path");
        }
    }

    /** {@code unknown field "mtsl" (did you mean "mtls"?)}, or without the question when nothing is close. */
    public String describe() {
        String shown = path.length() <= MAX_PATH_CHARS ? path : path.substring(0, MAX_PATH_CHARS) + "...";
        return "unknown field \"" + shown + "\"" + suggestion.map(s -> " (did you mean \"" + s + "\"?)").orElse("");
    }

    /**
     * The warnings for {@code fields} of the resource {@code name} of type {@code typeName}: one per field (see
     * {@link #warning}), at most {@link #MAX_WARNINGS}, then one that counts the rest
     * ({@code mesh demo: 5 more unknown fields}), so that an answer's headers stay small.
     */
    public static List<String> warnings(String typeName, String name, List<UnknownField> fields) {
        List<String> out = new ArrayList<>();
        for (UnknownField field : fields.subList(0, Math.min(fields.size(), MAX_WARNINGS))) {
            out.add(field.warning(typeName, name));
        }
        int rest = fields.size() - MAX_WARNINGS;
        if (rest > 0) {
            out.add(subject(typeName, name) + rest + " more unknown field" + (rest == 1 ? "" : "s"));
        }
        return out;
    }

    /**
     * The warning the REST API sends and {@code ursactl} prints for this field of the resource {@code name} of
     * type {@code typeName}: {@code mesh demo: unknown field "mtsl" (did you mean "mtls"?)}.
     */
    public String warning(String typeName, String name) {
        return subject(typeName, name) + describe();
    }

    /** How every warning about the resource {@code name} of type {@code typeName} starts: {@code mesh demo: }. */
    public static String subject(String typeName, String name) {
        return typeName.toLowerCase(Locale.ROOT) + " " + name + ": ";
    }

    /** Whether {@code warning} is one of {@link #warnings} about the resource {@code name} of {@code typeName}. */
    public static boolean isWarningAbout(String warning, String typeName, String name) {
        String subject = subject(typeName, name);
        if (!warning.startsWith(subject)) {
            return false;
        }
        String rest = warning.substring(subject.length());
        return rest.startsWith("unknown field \"") || MORE.matcher(rest).matches();
    }

    /** The suggestion alone, as a violation's message: {@code unknown field (did you mean "mtls"?)}. */
    public String violationMessage() {
        return "unknown field" + suggestion.map(s -> " (did you mean \"" + s + "\"?)").orElse("");
    }

    @Override
    public String toString() {
        return describe();
    }
}
