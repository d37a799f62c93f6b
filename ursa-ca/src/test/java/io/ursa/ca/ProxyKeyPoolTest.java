package io.ursa.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Keys for proxy certificates generated ahead: how many, handed out once, and the thread that makes them. */
class ProxyKeyPoolTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final DataplaneCertificateIssuer.KeyType P256 = DataplaneCertificateIssuer.KeyType.ECDSA_P256;

    private final AtomicInteger generated = new AtomicInteger();
    private final List<ProxyKeyPool> pools = new ArrayList<>();

    @AfterEach
    void closePools() {
        pools.forEach(ProxyKeyPool::close);
    }

    @Test
    void keepsAsManyKeysReadyAsExpectedAndHandsEachOutOnce() {
        ProxyKeyPool pool = pool(10, Duration.ZERO, Duration.ZERO);

        pool.expect(4);
        await().atMost(WAIT).until(() -> pool.stats().ready() == 4);
        List<String> taken = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            taken.add(pool.take().privateKeyPem());
        }

        assertThat(taken).doesNotHaveDuplicates();
        assertThat(pool.stats().takenReady()).isEqualTo(4);
        assertThat(pool.stats().takenGenerated()).isZero();
        await().atMost(WAIT).until(() -> pool.stats().ready() == 4);
        assertThat(generated).as("every key taken is replaced, and no more").hasValue(8);
        assertThat(pool.take().privateKeyPem()).isNotIn(taken);
    }

    @Test
    void generatesOnTheCallersThreadWhenNoKeyIsReady() {
        ProxyKeyPool pool = pool(10, Duration.ofHours(1), Duration.ZERO);
        pool.expect(2);

        ProxyKeyGenerator.PreparedKey key = pool.take();

        assertThat(key.type()).isEqualTo(P256);
        assertThat(pool.stats()).returns(0L, ProxyKeyPool.Stats::takenReady)
                .returns(1L, ProxyKeyPool.Stats::takenGenerated).returns(0, ProxyKeyPool.Stats::ready);
    }

    @Test
    void dropsTheKeysAboveALowerExpectationAndNeverHoldsMoreThanItsMaximum() {
        ProxyKeyPool pool = pool(3, Duration.ZERO, Duration.ZERO);

        pool.expect(100);
        await().atMost(WAIT).until(() -> pool.stats().ready() == 3);
        assertThat(pool.stats().wanted()).isEqualTo(3);

        pool.expect(1);
        assertThat(pool.stats()).returns(1, ProxyKeyPool.Stats::ready).returns(1, ProxyKeyPool.Stats::wanted);
    }

    @Test
    void startsNoThreadUntilKeysAreExpectedAndNoneWhenTurnedOff() {
        ProxyKeyPool pool = pool(10, Duration.ZERO, Duration.ZERO);
        pool.expect(0);
        assertThat(pool.fillerThread()).isEmpty();

        ProxyKeyPool off = pool(0, Duration.ZERO, Duration.ZERO);
        off.expect(5);

        assertThat(off.fillerThread()).isEmpty();
        assertThat(off.stats().wanted()).isZero();
        assertThat(off.take().type()).isEqualTo(P256);
        assertThat(generated).hasValue(1);
    }

    @Test
    void waitsUntilKeysStopBeingTakenBeforeItGeneratesMore() {
        ProxyKeyPool pool = pool(10, Duration.ZERO, Duration.ofHours(1));
        pool.take(); // a burst of issuing has just started

        pool.expect(2);

        Thread filler = pool.fillerThread().orElseThrow();
        await().atMost(WAIT).until(() -> filler.getState() == Thread.State.TIMED_WAITING);
        assertThat(pool.stats().ready()).isZero();
        assertThat(generated).as("only the key taken, on the caller's thread").hasValue(1);
    }

    @Test
    void closingStopsTheFillerAndDropsItsKeys() {
        ProxyKeyPool pool = pool(10, Duration.ZERO, Duration.ZERO);
        pool.expect(3);
        await().atMost(WAIT).until(() -> pool.stats().ready() == 3);
        Thread filler = pool.fillerThread().orElseThrow();

        pool.close();

        await().atMost(WAIT).until(() -> !filler.isAlive());
        assertThat(pool.stats().ready()).isZero();
        assertThat(pool.take().type()).as("still issues, generating each key").isEqualTo(P256);
    }

    @Test
    void theSharedGeneratorMakesP256KeysEncodedForACertificateAndItsProxy() throws Exception {
        ProxyKeyGenerator.PreparedKey key = new ProxyKeyGenerator(new java.security.SecureRandom()).generate(P256);

        java.security.PublicKey publicKey = java.security.KeyFactory.getInstance("EC")
                .generatePublic(new java.security.spec.X509EncodedKeySpec(key.subjectPublicKeyInfo()));
        assertThat(((java.security.interfaces.ECPublicKey) publicKey).getParams().getCurve().getField().getFieldSize())
                .isEqualTo(256);
        assertThat(key.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----\n")
                .endsWith("-----END PRIVATE KEY-----\n");
        assertThat(key.privateKeyPem().getBytes(StandardCharsets.US_ASCII).length).as("small enough to keep many")
                .isLessThan(300);
    }

    /** A pool whose keys are numbered fakes: what is tested here is which key goes where, not the keys. */
    private ProxyKeyPool pool(int max, Duration firstFillDelay, Duration quietPeriod) {
        ProxyKeyPool pool = new ProxyKeyPool(P256, max, firstFillDelay, quietPeriod, () -> {
            int n = generated.incrementAndGet();
            return new ProxyKeyGenerator.PreparedKey(P256, new byte[] {(byte) n}, "key " + n);
        });
        pools.add(pool);
        return pool;
    }
}
