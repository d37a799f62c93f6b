package io.ursa.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store's promise: a write the API acknowledged with 2xx is still there after the control plane is
 * killed with SIGKILL in the middle of a stream of writes, and restarted on the same directory.
 */
class SigkillDurabilityTest {
    private static final int WRITERS = 4;
    private static final int ACKS_BEFORE_KILL = 300;

    @Test
    void everyAcknowledgedWriteSurvivesSigkillAndRestart(@TempDir Path store) throws Exception {
        Path logs = Path.of("target", "e2e-logs");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        CountDownLatch enoughAcks = new CountDownLatch(ACKS_BEFORE_KILL);
        AtomicBoolean stop = new AtomicBoolean();

        try (CpProcess cp = CpProcess.start(store, logs, Map.of())) {
            ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.submit(() -> {
                    for (int i = 0; !stop.get() && i < 100_000; i++) {
                        String name = "tp-" + writer + "-" + i;
                        try {
                            HttpResponse<String> r = client.send(put(cp.apiUrl(), name), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() / 100 == 2) {
                                acknowledged.add(name);
                                enoughAcks.countDown();
                            }
                        } catch (IOException e) {
                            return null; // the control plane is gone
                        }
                    }
                    return null;
                });
            }
            assertThat(enoughAcks.await(120, TimeUnit.SECONDS)).as("writes acknowledged before the kill").isTrue();
            cp.kill9();
            stop.set(true);
            writers.shutdown();
            assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
        try (CpProcess restarted = CpProcess.start(store, logs, Map.of())) {
            List<String> lost = new ArrayList<>();
            for (String name : acknowledged) {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(restarted.apiUrl()
                        + "/meshes/default/traffic-permissions/" + name)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() != 200) {
                    lost.add(name + " (" + r.statusCode() + ")");
                }
            }
            assertThat(lost).as("acknowledged writes missing after SIGKILL and restart").isEmpty();
        }
    }

    private static HttpRequest put(String api, String name) {
        String body = "{\"type\":\"TrafficPermission\",\"mesh\":\"default\",\"name\":\"" + name + "\","
                + "\"sources\":[{\"match\":{\"kuma.io/service\":\"web\"}}],"
                + "\"destinations\":[{\"match\":{\"kuma.io/service\":\"backend\"}}]}";
        return HttpRequest.newBuilder(URI.create(api + "/meshes/default/traffic-permissions/" + name))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }
}
