package io.ursa.xds.generator.template;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.ursa.xds.envoy.listeners.ListenerConfigurers;
import java.util.Map;

/**
 * Matching a modification's {@code tags} or {@code listenerTags} against the tags a listener carries in
 * {@code metadata.filterMetadata["io.kuma.tags"]}, as Kuma's {@code TagSelector.Matches} over
 * {@code envoy_metadata.ExtractTags}: every selector tag must be there, with its value or any value for
 * {@code '*'}; an empty selector matches every listener, including one without tags. Stateless.
 */
final class TagSelectors {
    private static final String ANY = "*";

    private TagSelectors() {
    }

    static boolean matches(Map<String, String> selector, Listener listener) {
        if (selector.isEmpty()) {
            return true;
        }
        Struct tags = listener.getMetadata().getFilterMetadataOrDefault(ListenerConfigurers.TAGS_METADATA_KEY,
                Struct.getDefaultInstance());
        for (Map.Entry<String, String> wanted : selector.entrySet()) {
            Value value = tags.getFieldsMap().get(wanted.getKey());
            if (value == null || !(ANY.equals(wanted.getValue())
                    || wanted.getValue().equals(value.getStringValue()))) {
                return false;
            }
        }
        return true;
    }
}
