package io.ursa.xds.generator;

import io.ursa.api.dataplane.DataplaneSpec;
import java.util.List;

/**
 * The service a proxy stands for in its observability data (Kuma's {@code GetIdentifyingService}): the
 * alphabetically first {@code kuma.io/service} over its inbound and gateway tags, {@value #UNKNOWN} without one.
 */
final class IdentifyingService {
    static final String UNKNOWN = "unknown";

    private IdentifyingService() {
    }

    static String of(DataplaneSpec dataplane) {
        List<String> services = dataplane.services();
        return services.isEmpty() ? UNKNOWN : services.get(0);
    }
}
