package io.ursa.xds.generator.template;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.ursa.xds.envoy.EnvoyTypes;
import io.ursa.xds.envoy.ProtoMerge;
import io.ursa.xds.envoy.Protos;

/**
 * Patching a filter's {@code typed_config} (Kuma's {@code util_proto.MergeAnys}): both are unpacked into their
 * type, merged with {@link ProtoMerge} and packed again. No patch leaves the config; no config takes the patch;
 * two different types are an error. Stateless.
 */
final class TypedConfigs {
    private TypedConfigs() {
    }

    static Any merge(Any target, Any patch) {
        if (patch.equals(Any.getDefaultInstance())) {
            return target;
        }
        if (target.equals(Any.getDefaultInstance())) {
            return patch;
        }
        if (!target.getTypeUrl().equals(patch.getTypeUrl())) {
            throw new IllegalArgumentException("the patch's typedConfig is a " + patch.getTypeUrl()
                    + " (expected: " + target.getTypeUrl() + ", the type of the filter's)");
        }
        Message prototype = EnvoyTypes.prototype(target.getTypeUrl()).orElseThrow(() ->
                new IllegalArgumentException("unknown typedConfig type " + target.getTypeUrl()));
        return Protos.pack(ProtoMerge.merge(unpack(target, prototype), unpack(patch, prototype)));
    }

    static <M extends Message> M unpack(Any any, M prototype) {
        try {
            return Protos.unpack(any, prototype);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("a typedConfig does not unpack to " + any.getTypeUrl() + ": "
                    + e.getMessage(), e);
        }
    }
}
