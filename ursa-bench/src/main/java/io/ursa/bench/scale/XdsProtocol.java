package io.ursa.bench.scale;

import java.util.ArrayList;
import java.util.List;

/** The variant of the xDS protocol the simulated sidecars speak ({@code --xds}). */
enum XdsProtocol {
    /** State of the world: every response of a type holds all of its resources. */
    SOTW("sotw"),
    /** Incremental ("delta", Envoy's {@code DELTA_GRPC}): only what was added or changed, and removed names. */
    DELTA("delta");

    private final String flag;

    XdsProtocol(String flag) {
        this.flag = flag;
    }

    String flag() {
        return flag;
    }

    /** The protocols of {@code --xds}: one, or several comma-separated, run in that order. */
    static List<XdsProtocol> ofFlag(String value) {
        List<XdsProtocol> protocols = new ArrayList<>();
        for (String part : value.split(",")) {
            XdsProtocol protocol = null;
            for (XdsProtocol candidate : values()) {
                if (candidate.flag.equals(part.trim())) {
                    protocol = candidate;
                }
            }
            if (protocol == null || protocols.contains(protocol)) {
                throw new IllegalArgumentException("invalid --xds: " + value
                        + " (expected: sotw, delta, or both comma-separated)");
            }
            protocols.add(protocol);
        }
        return List.copyOf(protocols);
    }
}
