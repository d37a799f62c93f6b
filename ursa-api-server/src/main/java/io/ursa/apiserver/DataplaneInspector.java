package io.ursa.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the API learns what the xDS side makes of a dataplane, for {@code /meshes/{mesh}/dataplanes/{name}/xds}
 * and {@code .../policies}. The API checks that the mesh and the Dataplane exist before asking. Implementations
 * must be thread-safe; they are called from request threads.
 */
public interface DataplaneInspector {

    /**
     * The configuration currently served to the proxy of Dataplane {@code mesh/name}, as JSON; empty when its
     * proxy is not connected to this control plane (or has not been served a configuration yet).
     */
    Optional<JsonNode> servedConfig(String mesh, String name);

    /**
     * The policies that match Dataplane {@code mesh/name}, per attachment point, in Kuma's inspect JSON
     * ({@code {"total", "items": [{"type", "name", "service", "matchedPolicies"}]}}); empty when the inspector
     * knows no such Dataplane.
     */
    Optional<JsonNode> matchedPolicies(String mesh, String name);

    /**
     * {@link #matchedPolicies(String, String)} of each of the Dataplanes {@code names} of {@code mesh}, by name, in
     * the order of {@code names}; a Dataplane the inspector does not know is left out. Implementations that can
     * should read the mesh once for all of them; this default asks about each in turn.
     */
    default Map<String, JsonNode> matchedPolicies(String mesh, Collection<String> names) {
        Map<String, JsonNode> matched = new LinkedHashMap<>();
        for (String name : names) {
            matchedPolicies(mesh, name).ifPresent(policies -> matched.put(name, policies));
        }
        return matched;
    }

    /**
     * The builtin gateway Dataplanes MeshGateway {@code mesh/name} is selected for, in Kuma's JSON
     * ({@code {"total", "items": [{"dataplane": {"mesh", "name"}}]}}); empty when the inspector knows no such
     * MeshGateway. This default knows none.
     */
    default Optional<JsonNode> gatewayDataplanes(String mesh, String name) {
        return Optional.empty();
    }

    /**
     * The builtin gateway Dataplanes that route by MeshGatewayRoute {@code mesh/name}, in the shape of
     * {@link #gatewayDataplanes}; empty when the inspector knows no such MeshGatewayRoute. This default knows none.
     */
    default Optional<JsonNode> gatewayRouteDataplanes(String mesh, String name) {
        return Optional.empty();
    }

    /** No xDS side: no proxy is served anything and no policy matching is known. */
    static DataplaneInspector none() {
        return new DataplaneInspector() {
            @Override
            public Optional<JsonNode> servedConfig(String mesh, String name) {
                return Optional.empty();
            }

            @Override
            public Optional<JsonNode> matchedPolicies(String mesh, String name) {
                return Optional.empty();
            }
        };
    }
}
