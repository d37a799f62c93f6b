package io.ursa.cp.diagnostics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ursa.apiserver.RequestObserver;
import java.time.Duration;

/** {@code ursa_api_requests_seconds{method,route,status}}: a timer per REST route and outcome. */
public final class ApiMetrics implements RequestObserver {
    private final MeterRegistry registry;

    public ApiMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void observe(String method, String route, int status, Duration elapsed) {
        Timer.builder("ursa.api.requests")
                .description("REST API requests by method, route template and status")
                .tag("method", method)
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .register(registry)
                .record(elapsed);
    }
}
