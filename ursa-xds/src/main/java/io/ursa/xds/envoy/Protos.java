package io.ursa.xds.envoy;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.BoolValue;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Small protobuf helpers every Envoy builder shares. {@link #pack} and {@link #deterministicBytes} use
 * deterministic serialization so that the same message always gives the same bytes (map entries sorted), which
 * the content-hash versions rely on; {@code Any.pack} does not promise that.
 */
public final class Protos {
    /** The prefix of every type URL Envoy accepts. */
    public static final String TYPE_URL_PREFIX = "type.googleapis.com/";

    private Protos() {
    }

    /** The type URL of a message type: {@code type.googleapis.com/<full name>}. */
    public static String typeUrl(Message message) {
        return TYPE_URL_PREFIX + message.getDescriptorForType().getFullName();
    }

    /** Whether {@code any} holds a message of {@code type}'s type (compares type URLs; no reflection). */
    public static boolean is(Any any, Message type) {
        String url = any.getTypeUrl();
        String name = type.getDescriptorForType().getFullName();
        return url.length() == TYPE_URL_PREFIX.length() + name.length() && url.startsWith(TYPE_URL_PREFIX)
                && url.endsWith(name);
    }

    /**
     * The message {@code any} holds, parsed as {@code type}'s type. Unlike {@code Any.unpack(Class)}, which finds
     * the type's default instance by reflection on every call, this is only the parse.
     *
     * @throws InvalidProtocolBufferException when {@code any} holds another type, or bytes that do not parse
     */
    @SuppressWarnings("unchecked")
    public static <M extends Message> M unpack(Any any, M type) throws InvalidProtocolBufferException {
        if (!is(any, type)) {
            throw new InvalidProtocolBufferException("the Any holds " + any.getTypeUrl() + " (expected: "
                    + typeUrl(type) + ")");
        }
        return (M) type.getParserForType().parseFrom(any.getValue());
    }

    /** {@code message} in an {@code Any}, serialized deterministically. */
    public static Any pack(Message message) {
        requireNonNull(message, "message");
        return Any.newBuilder()
                .setTypeUrl(typeUrl(message))
                .setValue(ByteString.copyFrom(deterministicBytes(message)))
                .build();
    }

    /** The deterministic serialization of {@code message}: equal messages always give equal bytes. */
    public static byte[] deterministicBytes(Message message) {
        requireNonNull(message, "message");
        byte[] bytes = new byte[message.getSerializedSize()];
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.useDeterministicSerialization();
        try {
            message.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize " + message.getDescriptorForType().getFullName(), e);
        }
        out.checkNoSpaceLeft();
        return bytes;
    }

    /** A protobuf {@code Duration}; sub-millisecond parts are kept as nanoseconds. */
    public static com.google.protobuf.Duration duration(Duration duration) {
        requireNonNull(duration, "duration");
        return com.google.protobuf.Duration.newBuilder()
                .setSeconds(duration.getSeconds())
                .setNanos(duration.getNano())
                .build();
    }

    /** An explicitly set {@code BoolValue}, which Envoy distinguishes from an absent one. */
    public static BoolValue bool(boolean value) {
        return BoolValue.of(value);
    }
}
