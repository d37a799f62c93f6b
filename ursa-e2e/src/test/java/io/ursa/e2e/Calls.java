package io.ursa.e2e;

import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * {@link WhoAmI} calls on each of some channels, one after another about every 100 ms on a thread of their own, from
 * {@link #start} until closed: how many succeeded per channel, and every failure with its time since the start. For
 * "the application kept calling while ..." (a control plane killed, the database away).
 */
final class Calls implements AutoCloseable {
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    private static final long PACE_MILLIS = 100;

    private final Map<String, AtomicLong> succeeded = new TreeMap<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    private Calls(Map<String, ManagedChannel> channels) {
        channels.keySet().forEach(name -> succeeded.put(name, new AtomicLong()));
        long start = System.nanoTime();
        thread = new Thread(() -> {
            while (running.get()) {
                channels.forEach((name, channel) -> {
                    try {
                        WhoAmI.call(channel, DEADLINE);
                        succeeded.get(name).incrementAndGet();
                    } catch (RuntimeException e) {
                        if (running.get()) { // not a call that close() interrupted
                            failures.add(name + " at " + Duration.ofNanos(System.nanoTime() - start).toMillis()
                                    + " ms: " + e);
                        }
                    }
                });
                try {
                    Thread.sleep(PACE_MILLIS); // pacing the calls, not waiting for a condition
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "e2e-calls");
        thread.setDaemon(true);
    }

    /** Starts calling on {@code channels}, by name. */
    static Calls start(Map<String, ManagedChannel> channels) {
        Calls calls = new Calls(channels);
        calls.thread.start();
        return calls;
    }

    long succeeded(String name) {
        return succeeded.get(name).get();
    }

    Map<String, Long> counts() {
        return succeeded.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(),
                (a, b) -> a, TreeMap::new));
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.interrupt();
        thread.join(5_000);
    }
}
