package io.ursa.xds.envoy;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.MapEntry;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges a patch into a message the way Kuma 2.0 patches with a ProxyTemplate ({@code util_proto.Merge}): protobuf
 * merge semantics (set fields of the patch overwrite, sub-messages merge recursively, repeated fields are
 * appended, map entries replace those of the same key), except that a {@code google.protobuf.Duration} is
 * replaced as a whole (plain merge would keep the old nanoseconds beside the new seconds). Stateless.
 */
public final class ProtoMerge {
    private static final String DURATION = Duration.getDescriptor().getFullName();

    private ProtoMerge() {
    }

    /** {@code target} with {@code patch} merged in. */
    @SuppressWarnings("unchecked")
    public static <M extends Message> M merge(M target, Message patch) {
        requireNonNull(target, "target");
        requireNonNull(patch, "patch");
        if (!target.getDescriptorForType().equals(patch.getDescriptorForType())) {
            throw new IllegalArgumentException("cannot merge " + patch.getDescriptorForType().getFullName()
                    + " into " + target.getDescriptorForType().getFullName());
        }
        Message.Builder builder = target.toBuilder();
        mergeInto(builder, patch);
        return (M) builder.build();
    }

    private static void mergeInto(Message.Builder target, Message patch) {
        for (Map.Entry<FieldDescriptor, Object> field : patch.getAllFields().entrySet()) {
            FieldDescriptor descriptor = field.getKey();
            Object value = field.getValue();
            if (descriptor.isMapField()) {
                mergeMap(target, descriptor, (List<?>) value);
            } else if (descriptor.isRepeated()) {
                for (Object element : (List<?>) value) {
                    target.addRepeatedField(descriptor, element);
                }
            } else if (descriptor.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                    && !descriptor.getMessageType().getFullName().equals(DURATION)
                    && target.hasField(descriptor)) {
                Message.Builder nested = ((Message) target.getField(descriptor)).toBuilder();
                mergeInto(nested, (Message) value);
                target.setField(descriptor, nested.build());
            } else {
                target.setField(descriptor, value);
            }
        }
    }

    private static void mergeMap(Message.Builder target, FieldDescriptor descriptor, List<?> patchEntries) {
        Map<Object, Object> byKey = new LinkedHashMap<>();
        for (Object entry : (List<?>) target.getField(descriptor)) {
            byKey.put(key(entry), entry);
        }
        for (Object entry : patchEntries) {
            byKey.put(key(entry), entry);
        }
        target.setField(descriptor, new ArrayList<>(byKey.values()));
    }

    private static Object key(Object entry) {
        if (entry instanceof MapEntry<?, ?> mapEntry) {
            return mapEntry.getKey();
        }
        Message message = (Message) entry;
        return message.getField(message.getDescriptorForType().findFieldByNumber(1));
    }
}
