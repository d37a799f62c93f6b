package io.ursa.api.spec;

/**
 * A {@code @JsonInclude(value = CUSTOM, valueFilter = ProtoEnumZero.class)} filter for singular enum fields:
 * it leaves out null and the enum's first constant, because protobuf's JSON omits enum value 0. Java enums
 * that use it declare their constants in proto number order, starting at 0.
 */
public final class ProtoEnumZero {
    /** Jackson calls this with the field's value; {@code true} means "leave it out". */
    @Override
    public boolean equals(Object value) {
        return value == null || (value instanceof Enum<?> e && e.ordinal() == 0);
    }

    @Override
    public int hashCode() {
        return 0;
    }
}
