package io.ursa.xds.envoy;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Message;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Optional;

/**
 * Finds the generated Java class of a protobuf type URL, the way Envoy finds the type of a {@code typed_config}:
 * Envoy's protos live in {@code io.envoyproxy.<proto package>}, the xDS and UDPA ones in
 * {@code com.github.<proto package>}, Google's in {@code com.google.protobuf}. Stateless (the class loader caches
 * the classes).
 */
public final class EnvoyTypes {
    private static final List<String> PACKAGE_PREFIXES = List.of("io.envoyproxy.", "com.github.", "com.", "");

    private EnvoyTypes() {
    }

    /** The default instance of the message type of {@code typeUrl} ({@code type.googleapis.com/<full name>}). */
    public static Optional<Message> prototype(String typeUrl) {
        requireNonNull(typeUrl, "typeUrl");
        String fullName = typeUrl.substring(typeUrl.lastIndexOf('/') + 1);
        if (fullName.isEmpty()) {
            return Optional.empty();
        }
        for (String prefix : PACKAGE_PREFIXES) {
            try {
                Object instance = Class.forName(prefix + fullName).getMethod("getDefaultInstance").invoke(null);
                if (instance instanceof Message message
                        && message.getDescriptorForType().getFullName().equals(fullName)) {
                    return Optional.of(message);
                }
            } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException
                     | InvocationTargetException | LinkageError e) {
                // try the next package convention
            }
        }
        return Optional.empty();
    }
}
