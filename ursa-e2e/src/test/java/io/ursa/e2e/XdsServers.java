package io.ursa.e2e;

import io.grpc.Server;
import io.grpc.xds.XdsServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starting an application's {@code XdsServerBuilder} server and waiting until it serves. */
final class XdsServers {
    private XdsServers() {
    }

    /**
     * Builds and starts the server, returning once it serves. {@code start()} waits for the listener from the
     * control plane, so it runs on its own thread and a listener that never comes fails the wait instead of
     * hanging the test.
     */
    static Server start(XdsServerBuilder builder, String instance, Duration timeout) throws InterruptedException {
        CountDownLatch serving = new CountDownLatch(1);
        Server server = builder.xdsServingStatusListener(new XdsServerBuilder.XdsServingStatusListener() {
            @Override
            public void onServing() {
                serving.countDown();
            }

            @Override
            public void onNotServing(Throwable throwable) {
            }
        }).build();
        CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
            try {
                server.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            started.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(instance + " could not start: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            server.shutdownNow();
            throw new AssertionError(instance + " got no listener from the control plane within " + timeout
                    + " (its XdsServerBuilder.start() is still waiting)");
        }
        if (!serving.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            server.shutdownNow();
            throw new AssertionError(instance + " started but never reported serving");
        }
        return server;
    }
}
