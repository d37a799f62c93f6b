package io.ursa.apiserver;

import java.time.Duration;

/**
 * Hears about every answered request, for metrics. {@code route} is the matched path template (for example
 * {@code /meshes/{mesh}/{ws}/{name}}), never the raw path, so it is safe as a metric tag. Called on the request
 * thread after the response is written; must be quick and must not throw.
 */
@FunctionalInterface
public interface RequestObserver {
    void observe(String method, String route, int status, Duration elapsed);

    static RequestObserver none() {
        return (method, route, status, elapsed) -> { };
    }
}
