package io.ursa.ctl;

import io.ursa.api.resource.ResourceType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** REST paths of spec §8.2, built from the type registry. */
final class ResourcePaths {
    private ResourcePaths() {
    }

    /** {@code /meshes}, {@code /meshes/{mesh}/traffic-routes}. */
    static String collection(ResourceType<?> type, String mesh) {
        if (type.isMeshScoped()) {
            return "/meshes/" + segment(mesh) + "/" + type.wsPath();
        }
        return "/" + type.wsPath();
    }

    /** {@code /meshes/{name}}, {@code /meshes/{mesh}/traffic-routes/{name}}. */
    static String item(ResourceType<?> type, String mesh, String name) {
        return collection(type, mesh) + "/" + segment(name);
    }

    /** Percent-encodes one path segment (names are normally plain, but user input may not be). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Builds {@code ?k=v&k2=v2}, skipping nothing: callers add only the parameters they mean. */
    static final class Query {
        private final List<String> parts = new ArrayList<>();

        Query add(String key, String value) {
            parts.add(URLEncoder.encode(key, StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(value, StandardCharsets.UTF_8));
            return this;
        }

        String appendTo(String path) {
            return parts.isEmpty() ? path : path + "?" + String.join("&", parts);
        }
    }
}
