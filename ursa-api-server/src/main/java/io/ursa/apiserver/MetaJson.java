package io.ursa.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.Json;
import io.ursa.api.codec.ResourceCodec;
import java.time.Instant;

/** The meta fields that open every resource-like REST object (spec §1.2): {@code mesh} only when not empty. */
final class MetaJson {
    private MetaJson() {
    }

    static ObjectNode of(String type, String mesh, String name, Instant created, Instant modified) {
        ObjectNode out = Json.json().createObjectNode();
        out.put("type", type);
        if (!mesh.isEmpty()) {
            out.put("mesh", mesh);
        }
        out.put("name", name);
        out.put("creationTime", ResourceCodec.formatTime(created));
        out.put("modificationTime", ResourceCodec.formatTime(modified));
        return out;
    }
}
