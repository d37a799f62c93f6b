package io.ursa.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Kuma's status of a dataplane (DataplaneOverview {@code GetStatus}): offline unless a subscription is connected
 * and not disconnected; an online dataplane with some inbounds not ready is partially degraded, with all of them
 * not ready it is offline.
 */
enum DataplaneStatus {
    ONLINE,
    OFFLINE,
    PARTIALLY_DEGRADED;

    static DataplaneStatus of(DataplaneView dataplane, Optional<JsonNode> insight) {
        if (!insight.map(DataplaneStatus::isConnected).orElse(false)) {
            return OFFLINE;
        }
        int unhealthy = dataplane.unhealthyInboundCount();
        if (unhealthy > 0 && unhealthy == dataplane.inboundCount()) {
            return OFFLINE;
        }
        return unhealthy > 0 ? PARTIALLY_DEGRADED : ONLINE;
    }

    private static boolean isConnected(JsonNode insight) {
        for (JsonNode subscription : insight.path("subscriptions")) {
            if (subscription.hasNonNull("connectTime") && !subscription.hasNonNull("disconnectTime")) {
                return true;
            }
        }
        return false;
    }
}
