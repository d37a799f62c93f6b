package io.ursa.api.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Reads protobuf enums from JSON as protobuf does: by name, or by number. Enums call it from a
 * {@code @JsonCreator} factory so that an unknown value gets a message listing the known ones. Their constants
 * are declared in proto number order, starting at 0.
 */
public final class ProtoEnums {
    private ProtoEnums() {
    }

    /** @throws IllegalArgumentException naming the value and the accepted names */
    public static <E extends Enum<E>> E parse(Class<E> type, JsonNode value) {
        E[] constants = type.getEnumConstants();
        if (value.isTextual()) {
            for (E e : constants) {
                if (e.name().equals(value.asText())) {
                    return e;
                }
            }
        } else if (value.canConvertToInt() && value.isIntegralNumber()
                && value.asInt() >= 0 && value.asInt() < constants.length) {
            return constants[value.asInt()];
        }
        throw new IllegalArgumentException("unknown value " + value + " (expected one of: "
                + Arrays.stream(constants).map(Enum::name).collect(Collectors.joining(", ")) + ")");
    }
}
