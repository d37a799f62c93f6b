package io.ursa.ca;

import static java.util.Objects.requireNonNull;

import io.ursa.core.keys.PoolSizeProperty;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys for proxies' identity certificates, generated ahead in the background, so that a burst of certificates
 * (turning mTLS on for a mesh with many connected proxies, or their renewal, which comes for all of them at once
 * when they were issued together) does not wait for key generation: with P-256 keys that was about a quarter of
 * the Java time of turning mTLS on for 1,000 proxies, in a JVM that had not generated keys before.
 *
 * <p>How many: the control plane says how many certificates it may soon issue ({@link #expect}; the reconciler
 * gives the number of connected proxies in meshes that have a CA backend, on or not yet on), and the pool keeps up
 * to that many ready, never more than its {@code max}. A pool that is not expected to hold any key generates
 * nothing and has no thread. When the number goes down, the keys above it are dropped.
 *
 * <p>Each key is handed out once, by {@link #take}, and removed from the pool; when none is ready, {@link #take}
 * generates one on the caller's thread, so a burst larger than the pool is as fast as without it, never slower.
 * Keys live only in memory, encoded (about 400 bytes each for P-256), are never written anywhere before their
 * certificate is issued, and are lost when the process ends.
 *
 * <p>Threading: one daemon thread ({@value #THREAD_NAME}) fills the pool, started by the first {@link #expect} of a
 * positive number. It waits {@code firstFillDelay} first (the first expectation comes while proxies connect, which
 * must not get slower), then generates one key at a time, outside the lock, and pauses {@value #PAUSE_FACTOR} times
 * as long as that key took after each: it takes at most a fifth of a core, so a control plane busy generating
 * configuration hardly notices it. While keys are being taken it waits until none was taken for
 * {@code quietPeriod}: generating next to a burst of issuing would only take a core from it. {@link #close} stops it.
 * The queue and the counters are guarded by {@link #lock}.
 */
public final class ProxyKeyPool implements AutoCloseable {
    /** The system property with the most keys a pool keeps ready; 0 turns generating ahead off. */
    public static final String MAX_PROPERTY = "ursa.proxyKeyPool.max";
    static final int DEFAULT_MAX = 10_000;
    static final String THREAD_NAME = "proxy-key-pool";
    /** The filler pauses this many times as long as its last key took. */
    static final int PAUSE_FACTOR = 4;
    static final Duration FIRST_FILL_DELAY = Duration.ofSeconds(2);
    static final Duration QUIET_PERIOD = Duration.ofMillis(500);
    private static final Logger log = LoggerFactory.getLogger(ProxyKeyPool.class);

    private final DataplaneCertificateIssuer.KeyType type;
    private final int max;
    private final Duration firstFillDelay;
    private final long quietPeriodNanos;
    private final Supplier<ProxyKeyGenerator.PreparedKey> generator;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the filler may have work, or must stop. */
    private final Condition changed = lock.newCondition();
    /** Guarded by {@link #lock}. */
    private final ArrayDeque<ProxyKeyGenerator.PreparedKey> ready = new ArrayDeque<>();
    /** How many keys to keep ready, at most {@link #max}; guarded by {@link #lock}. */
    private int target;
    /** {@link System#nanoTime} of the last {@link #take}; guarded by {@link #lock}. */
    private long lastTake = System.nanoTime();
    /** Guarded by {@link #lock}. */
    private Thread filler;
    /** Guarded by {@link #lock}. */
    private boolean closed;
    /** Keys handed out from the pool, and generated on the spot because none was ready; guarded by {@link #lock}. */
    private long takenReady;
    private long takenGenerated;

    ProxyKeyPool(DataplaneCertificateIssuer.KeyType type, int max, Duration firstFillDelay, Duration quietPeriod,
                 Supplier<ProxyKeyGenerator.PreparedKey> generator) {
        if (max < 0) {
            throw new IllegalArgumentException("invalid proxy key pool size: " + max + " (expected: 0 or more)");
        }
        this.type = requireNonNull(type, "type");
        this.max = max;
        this.firstFillDelay = requireNonNull(firstFillDelay, "firstFillDelay");
        this.quietPeriodNanos = requireNonNull(quietPeriod, "quietPeriod").toNanos();
        this.generator = requireNonNull(generator, "generator");
    }

    /**
     * A pool of keys of {@code type} made by {@code keys}, holding at most what the system property
     * {@value #MAX_PROPERTY} says (default {@value #DEFAULT_MAX}; 0 turns it off).
     */
    public static ProxyKeyPool create(DataplaneCertificateIssuer.KeyType type, ProxyKeyGenerator keys) {
        requireNonNull(keys, "keys");
        return new ProxyKeyPool(type, maxFromProperty(), FIRST_FILL_DELAY, QUIET_PERIOD, () -> keys.generate(type));
    }

    /** The type of the keys this pool holds. */
    public DataplaneCertificateIssuer.KeyType type() {
        return type;
    }

    /**
     * A new key that no one else has been or will be given: a ready one when there is one, else generated now on
     * the caller's thread.
     */
    public ProxyKeyGenerator.PreparedKey take() {
        ProxyKeyGenerator.PreparedKey key;
        lock.lock();
        try {
            key = ready.poll();
            lastTake = System.nanoTime();
            if (key != null) {
                takenReady++;
                changed.signal();
            } else {
                takenGenerated++;
            }
        } finally {
            lock.unlock();
        }
        return key != null ? key : generator.get();
    }

    /**
     * The number of certificates the control plane may soon issue: the pool keeps that many keys ready (at most its
     * maximum), generating the missing ones in the background and dropping those above it.
     */
    public void expect(int certificates) {
        if (certificates < 0) {
            throw new IllegalArgumentException("invalid number of certificates: " + certificates
                    + " (expected: 0 or more)");
        }
        lock.lock();
        try {
            if (closed) {
                return;
            }
            target = Math.min(certificates, max);
            while (ready.size() > target) {
                ready.poll();
            }
            if (target > ready.size()) {
                startFillerIfNeeded();
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** What the pool holds and has handed out, for metrics and logs. */
    public Stats stats() {
        lock.lock();
        try {
            return new Stats(ready.size(), target, takenReady, takenGenerated);
        } finally {
            lock.unlock();
        }
    }

    /** Keys ready now, the number wanted, and keys taken ready or generated on the spot since the start. */
    public record Stats(int ready, int wanted, long takenReady, long takenGenerated) {
    }

    /** Stops the filler and drops every ready key; {@link #take} still works, generating on the spot. */
    @Override
    public void close() {
        Thread stopping;
        lock.lock();
        try {
            closed = true;
            target = 0;
            ready.clear();
            stopping = filler;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (stopping != null) {
            stopping.interrupt();
        }
    }

    /** The filler thread, once started (for tests). */
    Optional<Thread> fillerThread() {
        lock.lock();
        try {
            return Optional.ofNullable(filler);
        } finally {
            lock.unlock();
        }
    }

    /** Guarded by {@link #lock}. */
    private void startFillerIfNeeded() {
        if (filler != null || max == 0) {
            return;
        }
        filler = new Thread(this::fill, THREAD_NAME);
        filler.setDaemon(true);
        filler.start();
    }

    private void fill() {
        try {
            awaitFirstFill();
            while (true) {
                awaitWork();
                long started = System.nanoTime();
                ProxyKeyGenerator.PreparedKey key;
                try {
                    key = generator.get();
                } catch (RuntimeException e) {
                    // take() still works (it generates on the spot); stop filling rather than spin on the failure
                    log.warn("stopped generating {} keys for proxy certificates ahead: {}", type, e.toString());
                    return;
                }
                long took = System.nanoTime() - started;
                lock.lock();
                try {
                    if (ready.size() < target) { // the number may have gone down meanwhile
                        ready.add(key);
                    }
                    long pause = took * PAUSE_FACTOR;
                    while (pause > 0 && !closed) {
                        pause = changed.awaitNanos(pause);
                    }
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    private void awaitFirstFill() throws InterruptedException {
        lock.lock();
        try {
            long left = firstFillDelay.toNanos();
            while (left > 0 && !closed) {
                left = changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until a key is missing and none was taken for the quiet period; throws when closed. Called by the
     * filler without the lock.
     */
    private void awaitWork() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new InterruptedException("closed");
                }
                if (ready.size() >= target) {
                    changed.await();
                    continue;
                }
                long quietFor = quietPeriodNanos - (System.nanoTime() - lastTake);
                if (quietFor <= 0) {
                    return;
                }
                changed.awaitNanos(quietFor);
            }
        } finally {
            lock.unlock();
        }
    }

    private static int maxFromProperty() {
        return PoolSizeProperty.read(MAX_PROPERTY, DEFAULT_MAX, "generating proxy keys ahead");
    }
}
