package io.ursa.api.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads a backend's free-form {@code conf} (a {@code google.protobuf.Struct}) as a typed config, with the
 * leniency of Kuma's {@code jsonpb} unmarshal: unknown fields are ignored, absent and {@code null} fields read as
 * the zero value (or as unset, for wrappers and messages), and integers may be written as JSON numbers or as
 * decimal strings. A value of the wrong JSON type is a {@link ConfException} naming the field.
 */
public final class ConfReader {
    private static final long MAX_UINT32 = 0xFFFF_FFFFL;

    private final ObjectNode node;
    private final String path;

    private ConfReader(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** A reader of {@code conf}; an absent conf reads as an empty object. */
    public static ConfReader of(ObjectNode conf) {
        return new ConfReader(conf == null ? ConfNodes.emptyObject() : conf, "");
    }

    /** Whether {@code field} is present with a non-null value. */
    public boolean has(String field) {
        return value(field) != null;
    }

    /** A {@code string} field; absent reads as "". */
    public String string(String field) throws ConfException {
        JsonNode v = value(field);
        if (v == null) {
            return "";
        }
        if (!v.isTextual()) {
            throw mismatch(field, "a string", v);
        }
        return v.asText();
    }

    /** A {@code bool} field; absent reads as false. */
    public boolean bool(String field) throws ConfException {
        return boolWrapper(field).orElse(false);
    }

    /** A {@code google.protobuf.BoolValue} field; absent is empty. */
    public Optional<Boolean> boolWrapper(String field) throws ConfException {
        JsonNode v = value(field);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isBoolean()) {
            throw mismatch(field, "a boolean", v);
        }
        return Optional.of(v.asBoolean());
    }

    /** A {@code uint32} field; absent reads as 0. */
    public long uint32(String field) throws ConfException {
        return uint32Wrapper(field).orElse(0L);
    }

    /** A {@code google.protobuf.UInt32Value} field; absent is empty. */
    public Optional<Long> uint32Wrapper(String field) throws ConfException {
        JsonNode v = value(field);
        if (v == null) {
            return Optional.empty();
        }
        BigInteger n = integral(v);
        if (n == null || n.signum() < 0 || n.compareTo(BigInteger.valueOf(MAX_UINT32)) > 0) {
            throw mismatch(field, "an unsigned 32-bit integer", v);
        }
        return Optional.of(n.longValueExact());
    }

    /** A {@code bytes} or {@code google.protobuf.BytesValue} field, base64 (standard or URL-safe); absent is empty. */
    public Optional<byte[]> bytes(String field) throws ConfException {
        JsonNode v = value(field);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw mismatch(field, "a base64 string", v);
        }
        String s = v.asText().replace('-', '+').replace('_', '/');
        try {
            return Optional.of(Base64.getDecoder().decode(s + "===".substring(0, (4 - s.length() % 4) % 4)));
        } catch (IllegalArgumentException e) {
            throw new ConfException(at(field) + "expected a base64 string, got: " + ConfNodes.describe(v));
        }
    }

    /** A {@code map<string, string>} field, sorted by key; absent reads as empty. */
    public Map<String, String> stringMap(String field) throws ConfException {
        JsonNode v = value(field);
        if (v == null) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw mismatch(field, "an object", v);
        }
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isTextual()) {
                throw new ConfException(at(field) + "expected string values, got: " + GoQuote.quote(e.getKey())
                        + ": " + ConfNodes.describe(e.getValue()));
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    /** A message field; absent is empty. */
    public Optional<ConfReader> object(String field) throws ConfException {
        JsonNode v = value(field);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof ObjectNode object)) {
            throw mismatch(field, "an object", v);
        }
        return Optional.of(new ConfReader(object, child(field)));
    }

    /** A repeated message field; absent reads as empty. */
    public List<ConfReader> objects(String field) throws ConfException {
        JsonNode v = value(field);
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            throw mismatch(field, "a list", v);
        }
        List<ConfReader> out = new ArrayList<>(v.size());
        String listPath = child(field);
        for (int i = 0; i < v.size(); i++) {
            if (!(v.get(i) instanceof ObjectNode object)) {
                throw new ConfException(listPath + "[" + i + "]: expected an object, got: "
                        + ConfNodes.describe(v.get(i)));
            }
            out.add(new ConfReader(object, listPath + "[" + i + "]"));
        }
        return out;
    }

    private JsonNode value(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    private String child(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private String at(String field) {
        return child(field) + ": ";
    }

    private ConfException mismatch(String field, String expected, JsonNode actual) {
        return new ConfException(at(field) + "expected " + expected + ", got: " + ConfNodes.describe(actual));
    }

    private static BigInteger integral(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.bigIntegerValue();
        }
        if (v.isNumber()) {
            double d = v.doubleValue();
            return d == Math.rint(d) && !Double.isInfinite(d) ? v.decimalValue().toBigInteger() : null;
        }
        if (v.isTextual() && v.asText().matches("-?[0-9]{1,20}")) {
            return new BigInteger(v.asText());
        }
        return null;
    }
}
