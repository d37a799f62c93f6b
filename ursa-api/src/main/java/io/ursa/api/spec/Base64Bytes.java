package io.ursa.api.spec;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Base64;

/**
 * A protobuf {@code bytes}/{@code BytesValue} field: base64 in JSON. Input may be standard or URL-safe base64,
 * padded or not, with line breaks; it is kept in the standard padded form, which is what Kuma writes back.
 * Immutable. {@link #toString()} does not reveal the content, since secrets use this type. (A class, not a
 * record, so that decode errors say a string is expected.)
 */
public final class Base64Bytes {
    public static final Base64Bytes EMPTY = new Base64Bytes("");

    private final String base64;

    private Base64Bytes(String base64) {
        this.base64 = Base64.getEncoder().encodeToString(decode(requireNonNull(base64, "base64")));
    }

    /** @throws IllegalArgumentException naming the value when it is not base64 */
    @JsonCreator
    public static Base64Bytes parse(String base64) {
        return new Base64Bytes(base64);
    }

    public static Base64Bytes of(byte[] bytes) {
        return new Base64Bytes(Base64.getEncoder().encodeToString(bytes));
    }

    /** The standard, padded base64 form. */
    @JsonValue
    public String base64() {
        return base64;
    }

    /** A copy of the decoded bytes. */
    public byte[] bytes() {
        return Base64.getDecoder().decode(base64);
    }

    public boolean isEmpty() {
        return base64.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Base64Bytes other && other.base64.equals(base64);
    }

    @Override
    public int hashCode() {
        return base64.hashCode();
    }

    @Override
    public String toString() {
        return "Base64Bytes[" + bytes().length + " bytes]";
    }

    private static byte[] decode(String text) {
        String compact = text.replace("\n", "").replace("\r", "");
        boolean urlSafe = compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0;
        try {
            return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(compact);
        } catch (IllegalArgumentException e) {
            String shown = compact.length() > 20 ? compact.substring(0, 20) + "..." : compact;
            throw new IllegalArgumentException("invalid base64 value \"" + shown + "\" (expected: base64-encoded "
                    + "bytes, e.g. \"aGVsbG8=\"): " + e.getMessage(), e);
        }
    }
}
