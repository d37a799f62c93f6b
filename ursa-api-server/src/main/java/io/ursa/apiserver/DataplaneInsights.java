package io.ursa.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Where the API learns about dataplane connections: the xDS server knows which proxies are subscribed. The API
 * shows the insight in {@code dataplanes+insights} and derives online/offline counts from it. Implementations
 * must be thread-safe; they are called from request threads.
 */
@FunctionalInterface
public interface DataplaneInsights {

    /**
     * The DataplaneInsight of one dataplane in Kuma's JSON form
     * ({@code {"subscriptions":[{"id","controlPlaneInstanceId","connectTime","disconnectTime"?,"status"}],"mTLS":{…}}}),
     * or empty when the dataplane never connected to this control plane.
     */
    Optional<JsonNode> insightOf(String mesh, String name);

    /** No dataplane has ever connected: every dataplane shows offline. */
    static DataplaneInsights none() {
        return (mesh, name) -> Optional.empty();
    }
}
