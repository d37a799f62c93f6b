package io.ursa.xds.bootstrap;

import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import java.util.Optional;

/**
 * The variant of the ADS protocol a bootstrap tells Envoy to speak ({@code ads_config.api_type}). The DP server
 * serves both on the same port; which one a proxy speaks is its bootstrap's choice.
 */
public enum AdsProtocol {
    /** State of the world ({@code GRPC}): every response of a type holds all of its resources. */
    SOTW("sotw", ApiConfigSource.ApiType.GRPC),
    /**
     * Incremental ({@code DELTA_GRPC}): a response holds only the resources added or changed and the names
     * removed, so a change of one service's endpoints sends that one ClusterLoadAssignment.
     */
    DELTA("delta", ApiConfigSource.ApiType.DELTA_GRPC);

    private final String wireName;
    private final ApiConfigSource.ApiType apiType;

    AdsProtocol(String wireName, ApiConfigSource.ApiType apiType) {
        this.wireName = wireName;
        this.apiType = apiType;
    }

    /** The spelling in settings and in the bootstrap request ({@code sotw}, {@code delta}). */
    public String wireName() {
        return wireName;
    }

    ApiConfigSource.ApiType apiType() {
        return apiType;
    }

    /** The protocol spelled {@code value}, if any. */
    public static Optional<AdsProtocol> fromWire(String value) {
        for (AdsProtocol protocol : values()) {
            if (protocol.wireName.equals(value)) {
                return Optional.of(protocol);
            }
        }
        return Optional.empty();
    }
}
