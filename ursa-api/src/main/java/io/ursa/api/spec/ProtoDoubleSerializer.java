package io.ursa.api.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * Writes {@code DoubleValue}/{@code FloatValue} fields (held as {@code Double}) like Go's JSON encoder: a whole
 * number without a fraction ({@code 50}, not {@code 50.0}). Use with
 * {@code @JsonSerialize(using = ProtoDoubleSerializer.class)}.
 */
public final class ProtoDoubleSerializer extends StdSerializer<Number> {
    private static final double LARGEST_EXACT_LONG = 1e15;

    public ProtoDoubleSerializer() {
        super(Number.class);
    }

    @Override
    public void serialize(Number value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        double d = value.doubleValue();
        if (d == (int) d) {
            gen.writeNumber((int) d);
        } else if (d == Math.rint(d) && Math.abs(d) < LARGEST_EXACT_LONG) {
            gen.writeNumber((long) d);
        } else {
            gen.writeNumber(d);
        }
    }
}
