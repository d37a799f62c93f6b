package io.ursa.ca;

import io.ursa.api.mesh.ConfException;
import io.ursa.api.mesh.ConfReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code DataSource} inside a CA backend's conf: a {@code oneof} of {@code secret} (a Secret of the same mesh),
 * {@code file} (a path on the CP host), {@code inline} (base64 bytes) or {@code inlineString}. {@link Kind#UNSET}
 * is an object with no member set ({@code cert: {}} or {@code secret: null}).
 *
 * @param value the secret name, file path or inline string; empty for {@code inline} and {@code UNSET}
 * @param inline the bytes of {@code inline}; empty otherwise
 */
record CaDataSource(Kind kind, String value, byte[] inline) {
    enum Kind {
        UNSET, SECRET, FILE, INLINE, INLINE_STRING
    }

    private static final List<String> MEMBERS = List.of("secret", "file", "inline", "inlineString");

    CaDataSource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        inline = inline.clone();
    }

    @Override
    public byte[] inline() {
        return inline.clone();
    }

    /** Reads {@code field} of {@code parent}; empty when the field is absent or null. */
    static Optional<CaDataSource> read(ConfReader parent, String field) throws ConfException {
        Optional<ConfReader> source = parent.object(field);
        if (source.isEmpty()) {
            return Optional.empty();
        }
        ConfReader r = source.get();
        List<String> set = new ArrayList<>();
        for (String member : MEMBERS) {
            if (r.has(member)) {
                set.add(member);
            }
        }
        if (set.size() > 1) {
            throw new ConfException(field + ": more than one data source set: " + String.join(", ", set)
                    + " (expected: at most one of " + String.join(", ", MEMBERS) + ")");
        }
        byte[] none = new byte[0];
        if (set.isEmpty()) {
            return Optional.of(new CaDataSource(Kind.UNSET, "", none));
        }
        return Optional.of(switch (set.get(0)) {
            case "secret" -> new CaDataSource(Kind.SECRET, r.string("secret"), none);
            case "file" -> new CaDataSource(Kind.FILE, r.string("file"), none);
            case "inline" -> new CaDataSource(Kind.INLINE, "", r.bytes("inline").orElse(none));
            default -> new CaDataSource(Kind.INLINE_STRING, r.string("inlineString"), none);
        });
    }
}
