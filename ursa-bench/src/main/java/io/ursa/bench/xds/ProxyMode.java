package io.ursa.bench.xds;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How the proxy under test reaches the mesh's services. */
enum ProxyMode {
    /**
     * Transparent proxying (redirect ports 15006/15001) with one outbound per service of the mesh on its VIP, as
     * Kuma's control plane resolves them for a transparently proxied Dataplane: every service is reachable.
     */
    TRANSPARENT("transparent"),
    /** No transparent proxying; 100 explicit outbounds on {@code 127.0.0.1}, spread over the mesh's services. */
    OUTBOUNDS_100("outbounds100");

    /** How many services an {@link #OUTBOUNDS_100} proxy declares. */
    static final int EXPLICIT_OUTBOUNDS = 100;

    private final String label;

    ProxyMode(String label) {
        this.label = label;
    }

    /** The name used in the benchmark's {@code mode} parameter and in reports. */
    String label() {
        return label;
    }

    static ProxyMode of(String label) {
        return Arrays.stream(values()).filter(m -> m.label.equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("invalid mode: " + label + " (expected one of: "
                        + Arrays.stream(values()).map(ProxyMode::label).collect(Collectors.joining(", ")) + ")"));
    }
}
