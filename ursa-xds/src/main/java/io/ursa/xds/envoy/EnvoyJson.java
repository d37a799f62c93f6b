package io.ursa.xds.envoy;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Envoy protos as proto JSON, for inspection ({@code /xds}). Every {@code Any} inside is printed with its fields:
 * its type is found by walking the message and loading the generated class of each type URL (Envoy's protos live
 * in {@code io.envoyproxy.<proto package>}, Google's well-known types in {@code com.google.protobuf}). Thread-safe.
 */
public final class EnvoyJson {
    private static final Map<String, Descriptor> KNOWN = new ConcurrentHashMap<>();

    private EnvoyJson() {
    }

    /** The message as pretty proto JSON. */
    public static String print(Message message) {
        requireNonNull(message, "message");
        JsonFormat.TypeRegistry.Builder registry = JsonFormat.TypeRegistry.newBuilder();
        List<Descriptor> found = new ArrayList<>();
        collect(message, found);
        registry.add(found);
        try {
            return JsonFormat.printer().usingTypeRegistry(registry.build()).print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.getDescriptorForType().getFullName(), e);
        }
    }

    private static void collect(Message message, List<Descriptor> found) {
        if (message instanceof Any any) {
            Descriptor descriptor = descriptor(any.getTypeUrl());
            if (descriptor != null) {
                found.add(descriptor);
                Message unpacked = unpack(any, descriptor);
                if (unpacked != null) {
                    collect(unpacked, found);
                }
            }
            return;
        }
        for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
            if (field.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            if (field.getKey().isRepeated()) {
                for (Object element : (List<?>) field.getValue()) {
                    if (element instanceof Message m) {
                        collect(m, found);
                    }
                }
            } else if (field.getValue() instanceof Message m) {
                collect(m, found);
            }
        }
    }

    private static Descriptor descriptor(String typeUrl) {
        String fullName = typeUrl.substring(typeUrl.lastIndexOf('/') + 1);
        return KNOWN.computeIfAbsent(fullName, EnvoyJson::load);
    }

    private static Descriptor load(String fullName) {
        return EnvoyTypes.prototype(fullName).map(Message::getDescriptorForType).orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static Message unpack(Any any, Descriptor descriptor) {
        try {
            Class<? extends Message> type = (Class<? extends Message>) Class.forName(
                    descriptor.getFile().getOptions().getJavaPackage() + "." + descriptor.getName());
            return any.unpack(type);
        } catch (ClassNotFoundException | InvalidProtocolBufferException | ClassCastException e) {
            return null;
        }
    }
}
