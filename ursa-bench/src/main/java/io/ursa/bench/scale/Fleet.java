package io.ursa.bench.scale;

import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The simulated proxies of a run: one {@link SimulatedEnvoy} per Dataplane of the scenario, their ADS streams
 * spread over a few HTTP/2 connections to one control plane. It waits for all of them to hold a configuration,
 * and for a round's change to be ACKed by every proxy it reaches, and keeps the times and what was sent to whom.
 */
final class Fleet implements AutoCloseable {
    private final ScaleScenario scenario;
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<SimulatedEnvoy> proxies = new ArrayList<>();
    private final long[] configuredAt;
    private final CountDownLatch allConfigured;
    private final AtomicReference<String> failure = new AtomicReference<>();
    private long connectStart;
    private volatile boolean closing;

    private Fleet(ScaleScenario scenario) {
        this.scenario = scenario;
        this.configuredAt = new long[scenario.proxies()];
        this.allConfigured = new CountDownLatch(scenario.proxies());
    }

    /**
     * Opens every proxy's stream to {@code 127.0.0.1:port} at once, as after a control-plane restart, sharing
     * HTTP/2 connections as {@code transport} says, speaking {@code protocol}.
     */
    static Fleet connect(ScaleScenario scenario, int port, ScaleTransport transport, XdsProtocol protocol) {
        Fleet fleet = new Fleet(scenario);
        int perConnection = transport.streamsPerConnection();
        int connections = Math.max(1, (scenario.proxies() + perConnection - 1) / perConnection);
        for (int c = 0; c < connections; c++) {
            fleet.channels.add(transport.channel(port));
        }
        fleet.connectStart = System.nanoTime();
        for (int p = 0; p < scenario.proxies(); p++) {
            fleet.proxies.add(SimulatedEnvoy.connect(protocol, p, scenario.nodeId(p), scenario.dataplaneJson(p),
                    fleet.channels.get(p % connections), fleet));
        }
        return fleet;
    }

    void configured(int index, long at) {
        configuredAt[index] = at;
        allConfigured.countDown();
    }

    void failed(int index, Throwable cause) {
        if (closing) {
            return;
        }
        if (failure.compareAndSet(null, "proxy " + scenario.nodeId(index) + ": " + cause)) {
            System.err.println("proxy " + scenario.nodeId(index) + " failed: " + cause);
        }
        allConfigured.countDown();
    }

    /** Waits until every proxy holds a whole configuration; returns the seconds since the streams were opened. */
    double awaitConfigured(Duration timeout) throws InterruptedException {
        if (!allConfigured.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(allConfigured.getCount() + " of " + scenario.proxies()
                    + " proxies have no configuration after " + timeout);
        }
        checkNoFailure();
        return (Arrays.stream(configuredAt).max().orElse(connectStart) - connectStart) / 1e9;
    }

    void checkNoFailure() {
        if (failure.get() != null) {
            throw new IllegalStateException("a proxy failed: " + failure.get());
        }
    }

    /**
     * Starts waiting for a change that must give every proxy it reaches ({@link ScaleScenario#affected}) a new
     * version of each {@code touched} type (and no other proxy anything); call before writing the change.
     */
    Round startRound(Set<SimulatedEnvoy.XdsType> touched) {
        Round round = new Round(touched);
        proxies.forEach(proxy -> proxy.watch(round));
        return round;
    }

    /** Total responses received by all proxies so far. */
    long responses() {
        return proxies.stream().mapToLong(SimulatedEnvoy::responses).sum();
    }

    /**
     * Waits until no proxy has received a response for {@code quiet}: what a change sends late (a second push, a
     * resend to proxies it did not change) is counted with that change.
     */
    void awaitQuiet(Duration quiet, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = responses();
        long lastChange = System.nanoTime();
        while (System.nanoTime() - lastChange < quiet.toNanos()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the proxies still receive responses after " + timeout);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            long now = responses();
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            }
        }
        checkNoFailure();
    }

    /** Total bytes of responses received by all proxies so far. */
    long bytesReceived() {
        return proxies.stream().mapToLong(SimulatedEnvoy::bytesReceived).sum();
    }

    /** Per proxy, the versions it ACKed last, by type: what the two control planes served can be compared by. */
    List<Map<SimulatedEnvoy.XdsType, String>> ackedVersions() {
        List<Map<SimulatedEnvoy.XdsType, String>> result = new ArrayList<>();
        for (SimulatedEnvoy proxy : proxies) {
            Map<SimulatedEnvoy.XdsType, String> versions = new EnumMap<>(SimulatedEnvoy.XdsType.class);
            for (SimulatedEnvoy.XdsType type : SimulatedEnvoy.XdsType.values()) {
                versions.put(type, proxy.acked(type));
            }
            result.add(versions);
        }
        return result;
    }

    @Override
    public void close() {
        closing = true;
        proxies.forEach(SimulatedEnvoy::close);
        channels.forEach(ManagedChannel::shutdownNow);
    }

    /** One change: which proxies must ACK it, their versions before it, and when each one did. */
    final class Round {
        private final Set<SimulatedEnvoy.XdsType> touched;
        private final String[][] before;
        private final boolean[] target;
        private final long[] doneAt;
        private final AtomicIntegerArray done;
        private final CountDownLatch remaining;
        private final AtomicInteger unexpected = new AtomicInteger();
        private final AtomicIntegerArray flagged;
        private final long[] responsesBefore;
        private final long[] bytesBefore;
        private long start;

        private Round(Set<SimulatedEnvoy.XdsType> touched) {
            this.touched = Set.copyOf(touched);
            int n = scenario.proxies();
            before = new String[n][SimulatedEnvoy.XdsType.values().length];
            target = new boolean[n];
            doneAt = new long[n];
            done = new AtomicIntegerArray(n);
            flagged = new AtomicIntegerArray(n);
            responsesBefore = new long[n];
            bytesBefore = new long[n];
            int targets = 0;
            for (int p = 0; p < n; p++) {
                target[p] = scenario.affected(p);
                responsesBefore[p] = proxies.get(p).responses();
                bytesBefore[p] = proxies.get(p).bytesReceived();
                targets += target[p] ? 1 : 0;
                for (SimulatedEnvoy.XdsType type : SimulatedEnvoy.XdsType.values()) {
                    before[p][type.ordinal()] = proxies.get(p).acked(type);
                }
            }
            remaining = new CountDownLatch(targets);
        }

        Set<SimulatedEnvoy.XdsType> touched() {
            return touched;
        }

        String before(int index, SimulatedEnvoy.XdsType type) {
            return before[index][type.ordinal()];
        }

        boolean isWaitingFor(int index) {
            return target[index] && done.get(index) == 0;
        }

        /** Whether a proxy outside the change holds any version other than its version before the round. */
        boolean changed(int index, Map<SimulatedEnvoy.XdsType, String> acked) {
            if (target[index]) {
                return false;
            }
            for (SimulatedEnvoy.XdsType type : SimulatedEnvoy.XdsType.values()) {
                if (!acked.getOrDefault(type, "").equals(before[index][type.ordinal()])) {
                    return true;
                }
            }
            return false;
        }

        void done(int index, long at) {
            if (done.compareAndSet(index, 0, 1)) {
                doneAt[index] = at;
                remaining.countDown();
            }
        }

        void unexpected(int index) {
            if (flagged.compareAndSet(index, 0, 1)) {
                unexpected.incrementAndGet();
            }
        }

        /** Marks the moment the change is written; latencies count from here. */
        void started() {
            start = System.nanoTime();
        }

        /** Waits for every target proxy; returns the latencies in ms, sorted. */
        double[] await(Duration timeout) throws InterruptedException {
            if (!remaining.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(remaining.getCount() + " proxies did not ACK the change within "
                        + timeout);
            }
            checkNoFailure();
            List<Double> latencies = new ArrayList<>();
            for (int p = 0; p < target.length; p++) {
                if (target[p]) {
                    latencies.add((doneAt[p] - start) / 1e6);
                }
            }
            return latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        }

        /** How many proxies received any response since the round started (call after {@link #awaitQuiet}). */
        int proxiesSent() {
            int sent = 0;
            for (int p = 0; p < target.length; p++) {
                if (proxies.get(p).responses() > responsesBefore[p]) {
                    sent++;
                }
            }
            return sent;
        }

        /** Response bytes all proxies received since the round started (call after {@link #awaitQuiet}). */
        long bytesSent() {
            long bytes = 0;
            for (int p = 0; p < target.length; p++) {
                bytes += proxies.get(p).bytesReceived() - bytesBefore[p];
            }
            return bytes;
        }

        /** Proxies the change does not reach that received a new version during the round. */
        int unexpectedUpdates() {
            return unexpected.get();
        }
    }
}
