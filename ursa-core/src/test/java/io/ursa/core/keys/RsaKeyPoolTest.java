package io.ursa.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RsaKeyPoolTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** One real key, wrapped in a new KeyPair per generation: the pool's bookkeeping is tested by identity. */
    private static final KeyPair REAL = RsaKeyPool.generateRsa(512);

    /** A generator that records who made each pair, of which size; the filler can be held back with a latch. */
    private static final class RecordingGenerator implements RsaKeyPool.Generator {
        final Map<KeyPair, Integer> bitsOf = Collections.synchronizedMap(new IdentityHashMap<>());
        final Map<KeyPair, Thread> threadOf = Collections.synchronizedMap(new IdentityHashMap<>());
        final AtomicInteger generated = new AtomicInteger();
        /** {@link System#nanoTime} when each generation by the filler began, in order. */
        final List<Long> fillerStarts = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch fillerMayGo = new CountDownLatch(1);
        volatile boolean holdFiller;

        @Override
        public KeyPair generate(int bits) {
            if (Thread.currentThread().getName().equals(RsaKeyPool.THREAD_NAME)) {
                fillerStarts.add(System.nanoTime());
            }
            if (holdFiller && Thread.currentThread().getName().equals(RsaKeyPool.THREAD_NAME)) {
                try {
                    fillerMayGo.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            KeyPair pair = new KeyPair(REAL.getPublic(), REAL.getPrivate());
            bitsOf.put(pair, bits);
            threadOf.put(pair, Thread.currentThread());
            generated.incrementAndGet();
            return pair;
        }
    }

    private final RecordingGenerator generator = new RecordingGenerator();

    @AfterEach
    void releaseFiller() {
        generator.fillerMayGo.countDown();
    }

    @Test
    void handsEachKeyOutOnceUnderConcurrentTakes() throws Exception {
        RsaKeyPool pool = new RsaKeyPool(4, Duration.ZERO, Duration.ZERO, generator);
        int threads = 8;
        int takesEach = 50;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<KeyPair>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(executor.submit(() -> {
                start.await();
                List<KeyPair> taken = new ArrayList<>();
                for (int i = 0; i < takesEach; i++) {
                    taken.add(pool.take(2048));
                }
                return taken;
            }));
        }
        start.countDown();
        Set<KeyPair> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        int total = 0;
        for (Future<List<KeyPair>> f : futures) {
            for (KeyPair pair : f.get()) {
                distinct.add(pair);
                total++;
            }
        }
        executor.shutdown();

        assertThat(total).isEqualTo(threads * takesEach);
        assertThat(distinct).hasSize(total);
        // every pair handed out was generated, and none of them is still in the pool
        assertThat(generator.bitsOf.keySet()).containsAll(distinct);
        await().atMost(WAIT).until(() -> pool.readyCount(2048) == 4);
        assertThat(generator.generated.get()).isEqualTo(total + 4);
    }

    @Test
    void realKeysAreDistinctAcrossTakesFromThePoolAndOnTheSpot() {
        RsaKeyPool pool = new RsaKeyPool(2, Duration.ZERO, Duration.ZERO, RsaKeyPool::generateRsa);
        Set<BigInteger> moduli = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 6; i++) {
            KeyPair pair = pool.take(1024);
            assertThat(pair.getPublic().getAlgorithm()).isEqualTo("RSA");
            RSAPublicKey key = (RSAPublicKey) pair.getPublic();
            assertThat(key.getModulus().bitLength()).isEqualTo(1024);
            moduli.add(key.getModulus());
        }
        assertThat(moduli).hasSize(6);
    }

    @Test
    void refillsAfterEachTake() {
        RsaKeyPool pool = new RsaKeyPool(3, Duration.ZERO, Duration.ZERO, generator);
        KeyPair first = pool.take(2048);
        await().atMost(WAIT).until(() -> pool.readyCount(2048) == 3);

        KeyPair second = pool.take(2048);
        assertThat(second).isNotSameAs(first);
        assertThat(generator.threadOf.get(second).getName()).isEqualTo(RsaKeyPool.THREAD_NAME);
        await().atMost(WAIT).until(() -> pool.readyCount(2048) == 3);
        assertThat(generator.generated.get()).isEqualTo(2 + 3);
    }

    @Test
    void generatesOnTheCallersThreadWhenEmpty() {
        generator.holdFiller = true;
        RsaKeyPool pool = new RsaKeyPool(4, Duration.ZERO, Duration.ZERO, generator);

        KeyPair first = pool.take(2048);
        KeyPair second = pool.take(2048);

        assertThat(first).isNotSameAs(second);
        assertThat(generator.threadOf.get(first)).isSameAs(Thread.currentThread());
        assertThat(generator.threadOf.get(second)).isSameAs(Thread.currentThread());
        assertThat(pool.readyCount(2048)).isZero();
        generator.fillerMayGo.countDown();
        await().atMost(WAIT).until(() -> pool.readyCount(2048) == 4);
    }

    @Test
    void offGeneratesEverythingOnTheSpotAndStartsNoThread() {
        RsaKeyPool pool = new RsaKeyPool(0, Duration.ZERO, Duration.ZERO, generator);

        KeyPair first = pool.take(2048);
        KeyPair second = pool.take(4096);

        assertThat(pool.enabled()).isFalse();
        assertThat(first).isNotSameAs(second);
        assertThat(generator.threadOf.get(first)).isSameAs(Thread.currentThread());
        assertThat(generator.bitsOf.get(second)).isEqualTo(4096);
        assertThat(generator.generated.get()).isEqualTo(2);
        assertThat(pool.fillerThread()).isEmpty();
        assertThat(pool.readyCount(2048)).isZero();
    }

    @Test
    void poolsAnotherSizeFromItsFirstUse() {
        RsaKeyPool pool = new RsaKeyPool(2, Duration.ZERO, Duration.ZERO, generator);
        pool.take(2048);
        await().atMost(WAIT).until(() -> pool.readyCount(2048) == 2);
        assertThat(pool.readyCount(3072)).isZero();

        KeyPair onTheSpot = pool.take(3072);
        assertThat(generator.bitsOf.get(onTheSpot)).isEqualTo(3072);
        assertThat(generator.threadOf.get(onTheSpot)).isSameAs(Thread.currentThread());
        await().atMost(WAIT).until(() -> pool.readyCount(3072) == 2);

        KeyPair pooled = pool.take(3072);
        assertThat(generator.bitsOf.get(pooled)).isEqualTo(3072);
        assertThat(generator.threadOf.get(pooled).getName()).isEqualTo(RsaKeyPool.THREAD_NAME);
        assertThat(pool.readyCount(2048)).isEqualTo(2);
    }

    @Test
    void generatesNothingBeforeTheFirstTakeAndWaitsIdleWhenFull() {
        RsaKeyPool pool = new RsaKeyPool(2, Duration.ZERO, Duration.ZERO, generator);
        assertThat(pool.fillerThread()).isEmpty();
        assertThat(generator.generated.get()).isZero();

        pool.take(2048);
        Thread filler = pool.fillerThread().orElseThrow();
        assertThat(filler.isDaemon()).isTrue();
        assertThat(filler.getPriority()).isEqualTo(Thread.MIN_PRIORITY);
        await().atMost(WAIT).until(() -> pool.readyCount(2048) == 2 && filler.getState() == Thread.State.WAITING);
        assertThat(generator.generated.get()).isEqualTo(1 + 2);
    }

    @Test
    void waitsTheFirstFillDelayBeforeGeneratingAhead() {
        RsaKeyPool pool = new RsaKeyPool(2, Duration.ofHours(1), Duration.ZERO, generator);

        KeyPair first = pool.take(2048);
        KeyPair second = pool.take(2048);

        Thread filler = pool.fillerThread().orElseThrow();
        await().atMost(WAIT).until(() -> filler.getState() == Thread.State.TIMED_WAITING);
        assertThat(generator.threadOf.get(first)).isSameAs(Thread.currentThread());
        assertThat(generator.threadOf.get(second)).isSameAs(Thread.currentThread());
        assertThat(generator.generated.get()).isEqualTo(2);
        assertThat(pool.readyCount(2048)).isZero();
    }

    @Test
    void refillsAHalfFullPoolOnlyOnceNoKeyWasTakenForTheQuietPeriod() {
        Duration quiet = Duration.ofMillis(300);
        RsaKeyPool pool = new RsaKeyPool(4, Duration.ZERO, quiet, generator);
        pool.take(2048);
        await().atMost(WAIT).until(() -> pool.readyCount(2048) == 4);
        int before = generator.fillerStarts.size();

        long taken = System.nanoTime();
        pool.take(2048);
        await().atMost(WAIT).until(() -> pool.readyCount(2048) == 4);

        // the replacement was generated after the quiet period, not while the taker was still busy
        assertThat(generator.fillerStarts).hasSize(before + 1);
        assertThat(generator.fillerStarts.get(before) - taken).isGreaterThanOrEqualTo(quiet.toNanos());
    }

    @Test
    void refillsAtOnceBelowHalfAndWaitsForQuietFromHalf() {
        RsaKeyPool pool = new RsaKeyPool(4, Duration.ZERO, Duration.ofHours(1), generator);

        pool.take(2048);
        Thread filler = pool.fillerThread().orElseThrow();
        // an empty pool fills at once, up to half; the other half waits for a quiet hour
        await().atMost(WAIT).until(() -> pool.readyCount(2048) == 2 && filler.getState() == Thread.State.TIMED_WAITING);
        assertThat(generator.generated.get()).isEqualTo(1 + 2);

        // a burst takes it below half: it refills at once again
        pool.take(2048);
        pool.take(2048);
        await().atMost(WAIT).until(() -> pool.readyCount(2048) == 2 && filler.getState() == Thread.State.TIMED_WAITING);
        assertThat(generator.generated.get()).isEqualTo(1 + 2 + 2);
    }

    @Test
    void aKeyGivenBackUnusedIsHandedOutAgainInsteadOfANewOneWhileThereIsRoom() {
        RsaKeyPool pool = new RsaKeyPool(2, Duration.ZERO, Duration.ofHours(1), generator);
        KeyPair unused = pool.take(512);
        await().atMost(WAIT).until(() -> pool.readyCount(512) == 1);

        pool.giveBack(unused);
        assertThat(pool.readyCount(512)).isEqualTo(2);
        List<KeyPair> next = List.of(pool.take(512), pool.take(512));

        assertThat(next).containsOnlyOnce(unused);
        assertThat(next).as("both from the pool, none generated for these takes")
                .allMatch(pair -> generator.threadOf.get(pair).getName().equals(RsaKeyPool.THREAD_NAME)
                        || pair == unused);
        await().atMost(WAIT).until(() -> pool.readyCount(512) == 1);
        pool.giveBack(next.get(0));
        pool.giveBack(next.get(1));
        assertThat(pool.readyCount(512)).as("never more than the pool holds").isEqualTo(2);
        pool.giveBack(RsaKeyPool.generateRsa(1024));
        assertThat(pool.readyCount(1024)).as("a size not in use is not pooled").isZero();
    }

    @Test
    void refusesKeySizesRsaCannotHave() {
        RsaKeyPool pool = new RsaKeyPool(2, Duration.ZERO, Duration.ZERO, generator);
        assertThatThrownBy(() -> pool.take(256))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid RSA key size: 256 (expected: 512-16384)");
        assertThatThrownBy(() -> new RsaKeyPool(-1, Duration.ZERO, Duration.ZERO, generator))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid RSA key pool size: -1 (expected: 0 or more)");
        assertThat(generator.generated.get()).isZero();
    }
}
