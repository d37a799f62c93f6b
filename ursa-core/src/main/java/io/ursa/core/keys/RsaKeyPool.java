package io.ursa.core.keys;

import static java.util.Objects.requireNonNull;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAKey;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RSA key pairs generated ahead, so that creating a mesh (its dataplane-token signing key, and the root key of a
 * {@code builtin} CA) does not wait for RSA key generation (about 50–150 ms of CPU for 2048 bits, and much more
 * for larger keys). The keys are ordinary RSA keys from the JDK's {@link KeyPairGenerator}, exactly as if they
 * were generated on the spot: tokens stay RS256 JWTs signed with RSA keys, as Kuma's are.
 *
 * <p>The pool keeps up to {@code perSize} key pairs for each key size in use. A size is "in use" from its first
 * {@link #take}: the pool generates nothing before that (so a control plane that creates no key pays nothing, and
 * its start is not slowed), and then keeps that size topped up. Any size can be pooled: a builtin CA asking for
 * 4096 bits gets its first key generated synchronously and the next ones from the pool. {@link #take} hands each
 * key pair out exactly once and removes it from the pool (one that was never used may come back,
 * {@link #giveBack}); when the pool of that size is empty (a burst of meshes) it generates the key synchronously on
 * the caller's thread, so a burst is as fast as without the pool, never slower. Keys live only in memory, are
 * never persisted and are lost when the process ends.
 *
 * <p>Threading: one daemon thread ({@value #THREAD_NAME}, minimum priority — a hint the JVM on Linux ignores
 * unless told otherwise, so the thread competes with request threads only while refilling) is started on the
 * first {@link #take}, waits {@code firstFillDelay} (3 s for the shared pool: the first take usually comes from the
 * control plane's start, which must not get slower) and then generates keys one at a time, outside the lock; it
 * waits on {@link #needed} when every size in use is full, so a full pool costs no CPU, and never keeps the JVM
 * alive. The queues and the set of sizes in use are guarded by {@link #lock}; callers of {@link #take} generate
 * their own fallback key outside it.
 *
 * <p>Refilling waits for a quiet moment: while a size still has at least half of its keys, the filler generates
 * its next key only once no key has been taken for {@code quietPeriod} (100 ms for the shared pool). A key is taken
 * in the middle of a request (a mesh being created), and generating its replacement at once (50–150 ms of CPU)
 * would take a core from the rest of that request, and from its client, on a small machine. Below half (a burst),
 * it refills at once, so a burst still gets keys generated on another core.
 *
 * <p>The shared pool ({@link #shared()}) holds {@value #DEFAULT_PER_SIZE} per size unless the system property
 * {@value #SIZE_PROPERTY} says otherwise; {@code 0} turns it off (every key is then generated on the spot, the
 * behaviour before the pool, and no thread is started).
 */
public final class RsaKeyPool {
    /** The system property with the number of keys kept per key size by {@link #shared()}; 0 turns it off. */
    public static final String SIZE_PROPERTY = "ursa.rsaKeyPool.size";
    static final int DEFAULT_PER_SIZE = 4;
    static final String THREAD_NAME = "rsa-key-pool";
    /**
     * How long the filler waits after the first take before it generates anything: the first take usually happens
     * while the control plane starts (its signing keys, mesh {@code default}), and a key generated in parallel
     * then would take a core from the start on a small machine.
     */
    static final Duration SHARED_FIRST_FILL_DELAY = Duration.ofSeconds(3);
    /**
     * How long after the last take the filler waits before it generates, while the pool is at least half full:
     * longer than a mesh creation takes after its keys were taken (its store commit and response), so the
     * replacement key is generated between a user's requests rather than during one.
     */
    static final Duration SHARED_QUIET_PERIOD = Duration.ofMillis(100);
    private static final int MIN_BITS = 512;
    private static final int MAX_BITS = 16384;
    private static final Logger log = LoggerFactory.getLogger(RsaKeyPool.class);

    /** Makes one RSA key pair of a given size; the JDK's generator outside tests. */
    @FunctionalInterface
    interface Generator {
        KeyPair generate(int bits);
    }

    private static final class Shared {
        static final RsaKeyPool INSTANCE = new RsaKeyPool(perSizeFromProperty(), SHARED_FIRST_FILL_DELAY,
                SHARED_QUIET_PERIOD, RsaKeyPool::generateRsa);
    }

    private final int perSize;
    private final Duration firstFillDelay;
    private final long quietPeriodNanos;
    private final Generator generator;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a key is taken (or a new size comes into use): the filler has work. */
    private final Condition needed = lock.newCondition();
    /** Ready key pairs by size, in the order sizes came into use; guarded by {@link #lock}. */
    private final Map<Integer, ArrayDeque<KeyPair>> ready = new LinkedHashMap<>();
    /** Guarded by {@link #lock}. */
    private Thread filler;
    /** {@link System#nanoTime} of the last {@link #take}; guarded by {@link #lock}. */
    private long lastTake;

    RsaKeyPool(int perSize, Duration firstFillDelay, Duration quietPeriod, Generator generator) {
        if (perSize < 0) {
            throw new IllegalArgumentException("invalid RSA key pool size: " + perSize + " (expected: 0 or more)");
        }
        this.perSize = perSize;
        this.firstFillDelay = requireNonNull(firstFillDelay, "firstFillDelay");
        this.quietPeriodNanos = requireNonNull(quietPeriod, "quietPeriod").toNanos();
        this.generator = requireNonNull(generator, "generator");
    }

    /** The process-wide pool, configured by the system property {@value #SIZE_PROPERTY} when first used. */
    public static RsaKeyPool shared() {
        return Shared.INSTANCE;
    }

    /** Whether this pool generates ahead (false: every key is generated by {@link #take} itself). */
    public boolean enabled() {
        return perSize > 0;
    }

    /**
     * A new RSA key pair of {@code bits} bits that no one else has been or will be given: from the pool when one
     * is ready, else generated now on the caller's thread. Either way the pool then tops itself up in the
     * background.
     */
    public KeyPair take(int bits) {
        if (bits < MIN_BITS || bits > MAX_BITS) {
            throw new IllegalArgumentException("invalid RSA key size: " + bits + " (expected: " + MIN_BITS + "-"
                    + MAX_BITS + ")");
        }
        if (perSize == 0) {
            return generator.generate(bits);
        }
        KeyPair pair;
        lock.lock();
        try {
            pair = ready.computeIfAbsent(bits, b -> new ArrayDeque<>(perSize)).poll();
            lastTake = System.nanoTime();
            startFillerIfNeeded();
            needed.signal();
        } finally {
            lock.unlock();
        }
        return pair != null ? pair : generator.generate(bits);
    }

    /**
     * Takes back a key pair {@link #take} handed out that was never used: not written, sent or shown anywhere (the
     * write of a new mesh that lost the race for its name to another control plane, for example). Such a key is as
     * new as one generated now, so it is kept for the next take when its size is in use and has room, and dropped
     * otherwise.
     */
    public void giveBack(KeyPair pair) {
        requireNonNull(pair, "pair");
        if (perSize == 0 || !(pair.getPublic() instanceof RSAKey key)) {
            return;
        }
        lock.lock();
        try {
            ArrayDeque<KeyPair> queue = ready.get(key.getModulus().bitLength());
            if (queue != null && queue.size() < perSize) {
                queue.add(pair);
            }
        } finally {
            lock.unlock();
        }
    }

    /** How many key pairs of {@code bits} bits are ready now (for tests and diagnostics). */
    int readyCount(int bits) {
        lock.lock();
        try {
            ArrayDeque<KeyPair> queue = ready.get(bits);
            return queue == null ? 0 : queue.size();
        } finally {
            lock.unlock();
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

    private void startFillerIfNeeded() {
        if (filler != null) {
            return;
        }
        filler = new Thread(this::fill, THREAD_NAME);
        filler.setDaemon(true);
        filler.setPriority(Thread.MIN_PRIORITY);
        filler.start();
    }

    /**
     * The filler's loop: after the first-fill delay, generate the next missing key once its size is low or the
     * pool has been quiet for the quiet period; wait until a key is taken when every size is full.
     */
    private void fill() {
        lock.lock();
        try {
            long left = firstFillDelay.toNanos();
            while (left > 0) {
                left = needed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } finally {
            lock.unlock();
        }
        while (true) {
            int bits;
            lock.lock();
            try {
                bits = nextToGenerate();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            KeyPair pair;
            try {
                pair = generator.generate(bits);
            } catch (RuntimeException e) {
                // take() still works (it generates on the spot); stop filling rather than spin on the failure
                log.warn("stopped generating RSA keys ahead: {}", e.toString());
                return;
            }
            lock.lock();
            try {
                ArrayDeque<KeyPair> queue = ready.get(bits);
                if (queue.size() < perSize) { // a key given back meanwhile may have filled it
                    queue.add(pair);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * The size to generate a key of next, waiting (on {@link #needed}, so a take wakes it) while every size is
     * full, or while the first that is not still holds half its keys and a key was taken less than the quiet
     * period ago. Called by the filler with {@link #lock} held.
     */
    private int nextToGenerate() throws InterruptedException {
        while (true) {
            Optional<Integer> missing = firstNotFull();
            if (missing.isEmpty()) {
                needed.await();
                continue;
            }
            int bits = missing.get();
            long quietFor = quietPeriodNanos - (System.nanoTime() - lastTake);
            if (quietFor <= 0 || 2 * ready.get(bits).size() < perSize) {
                return bits;
            }
            needed.awaitNanos(quietFor);
        }
    }

    /** Guarded by {@link #lock}; nothing is added to a size holding perSize, so none ever holds more. */
    private Optional<Integer> firstNotFull() {
        for (Map.Entry<Integer, ArrayDeque<KeyPair>> entry : ready.entrySet()) {
            if (entry.getValue().size() < perSize) {
                return Optional.of(entry.getKey());
            }
        }
        return Optional.empty();
    }

    static KeyPair generateRsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is not available in this JVM", e);
        }
    }

    private static int perSizeFromProperty() {
        return PoolSizeProperty.read(SIZE_PROPERTY, DEFAULT_PER_SIZE, "the RSA key pool");
    }
}
