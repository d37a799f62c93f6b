package io.ursa.testing.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.cluster.ProxyConnections;
import io.ursa.core.cluster.ProxyConnections.ProxyConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one test suite every {@link ProxyConnections} passes, clause by clause of its Javadoc. An implementation's
 * test extends this class and says how to open a fresh, empty record that reads its times from the given clock:
 *
 * <pre>{@code
 * class MyProxyConnectionsTest extends ProxyConnectionsContract {
 *     protected ProxyConnections newConnections(Clock clock) { return new MyProxyConnections(dataSource, clock); }
 * }
 * }</pre>
 *
 * Times in the tests are whole milliseconds, which every store keeps exactly.
 */
public abstract class ProxyConnectionsContract {
    protected static final Instant START = Instant.parse("2026-12-07T03:00:00Z");
    private static final Duration DELAY = Duration.ofSeconds(10);
    private static final ResourceKey WEB = new ResourceKey(ResourceTypes.DATAPLANE, "default", "web-1");
    private static final ResourceKey OTHER_MESH_WEB = new ResourceKey(ResourceTypes.DATAPLANE, "other", "web-1");
    private static final ResourceKey EGRESS = ResourceKey.global(ResourceTypes.ZONE_EGRESS, "egress-1");
    private static final Optional<Instant> CREATED = Optional.of(Instant.parse("2026-12-07T02:59:59.500Z"));

    protected final ManualClock clock = new ManualClock(START);
    private ProxyConnections connections;

    /** A fresh, empty record reading its times from {@code clock}. Called once before every test. */
    protected abstract ProxyConnections newConnections(ManualClock clock);

    /** Releases what {@link #newConnections} opened; nothing by default. */
    protected void close(ProxyConnections connections) {
    }

    @BeforeEach
    final void open() {
        connections = newConnections(clock);
    }

    @AfterEach
    final void closeConnections() {
        close(connections);
    }

    @Test
    void aConnectionIsRecordedWithItsInstanceTimeAndRegistration() {
        connections.connected(WEB, "cp-a", CREATED);

        assertThat(connections.get(WEB)).hasValue(
                new ProxyConnection(WEB, "cp-a", START, Optional.empty(), CREATED));
        assertThat(connections.get(WEB).orElseThrow().isConnected()).isTrue();
        assertThat(connections.get(OTHER_MESH_WEB)).isEmpty();
        assertThat(connections.get(EGRESS)).isEmpty();
    }

    @Test
    void everyProxyHasItsOwnRecordAcrossMeshesAndZoneProxies() {
        connections.connected(WEB, "cp-a", CREATED);
        connections.connected(OTHER_MESH_WEB, "cp-b", Optional.empty());
        connections.connected(EGRESS, "cp-a", Optional.empty());

        assertThat(connections.all()).extracting(ProxyConnection::proxy)
                .containsExactlyInAnyOrder(WEB, OTHER_MESH_WEB, EGRESS);
        assertThat(connections.get(OTHER_MESH_WEB).orElseThrow().instanceId()).isEqualTo("cp-b");
        assertThat(connections.get(EGRESS).orElseThrow().registered()).isEmpty();
    }

    @Test
    void aConnectionToAnotherInstanceReplacesTheRecordAndKeepsTheEarlierRegistration() {
        connections.connected(WEB, "cp-a", CREATED);
        Instant later = clock.advance(Duration.ofSeconds(3));

        connections.connected(WEB, "cp-b", Optional.empty());

        assertThat(connections.get(WEB)).hasValue(
                new ProxyConnection(WEB, "cp-b", later, Optional.empty(), CREATED));
    }

    @Test
    void aConnectionThatRegisteredTheResourceAgainReplacesTheRegistration() {
        connections.connected(WEB, "cp-a", CREATED);
        Optional<Instant> recreated = Optional.of(clock.advance(Duration.ofSeconds(3)));

        connections.connected(WEB, "cp-a", recreated);

        assertThat(connections.get(WEB).orElseThrow().registered()).isEqualTo(recreated);
    }

    @Test
    void aConnectionOfAProxyWhoseResourceWasThereBeforeRegistersNothing() {
        connections.connected(WEB, "cp-a", Optional.empty());
        connections.disconnected(WEB, "cp-a");
        connections.connected(WEB, "cp-a", Optional.empty());

        assertThat(connections.get(WEB).orElseThrow().registered()).isEmpty();
    }

    @Test
    void theInstanceHoldingTheConnectionClosesIt() {
        connections.connected(WEB, "cp-a", CREATED);
        Instant left = clock.advance(Duration.ofSeconds(2));

        assertThat(connections.disconnected(WEB, "cp-a")).isTrue();

        assertThat(connections.get(WEB)).hasValue(
                new ProxyConnection(WEB, "cp-a", START, Optional.of(left), CREATED));
        assertThat(connections.get(WEB).orElseThrow().isConnected()).isFalse();
    }

    @Test
    void anInstanceTheProxyLeftForAnotherCannotCloseItsConnection() {
        connections.connected(WEB, "cp-a", CREATED);
        clock.advance(Duration.ofSeconds(1));
        connections.connected(WEB, "cp-b", Optional.empty());

        assertThat(connections.disconnected(WEB, "cp-a")).isFalse();

        assertThat(connections.get(WEB).orElseThrow().isConnected()).isTrue();
        assertThat(connections.get(WEB).orElseThrow().instanceId()).isEqualTo("cp-b");
    }

    @Test
    void closingAClosedOrUnknownConnectionChangesNothing() {
        connections.connected(WEB, "cp-a", CREATED);
        connections.disconnected(WEB, "cp-a");
        ProxyConnection closed = connections.get(WEB).orElseThrow();
        clock.advance(Duration.ofSeconds(5));

        assertThat(connections.disconnected(WEB, "cp-a")).isFalse();
        assertThat(connections.disconnected(EGRESS, "cp-a")).isFalse();

        assertThat(connections.get(WEB)).hasValue(closed);
        assertThat(connections.get(EGRESS)).isEmpty();
    }

    @Test
    void aProxyIsAbandonedOnceItHasBeenGoneForTheDelayAndNotBefore() {
        connections.connected(WEB, "cp-a", CREATED);
        connections.disconnected(WEB, "cp-a");

        clock.advance(DELAY.minusMillis(1));
        assertThat(connections.abandoned(DELAY)).isEmpty();

        clock.advance(Duration.ofMillis(1));
        assertThat(connections.abandoned(DELAY)).containsExactly(connections.get(WEB).orElseThrow());
    }

    @Test
    void aConnectedProxyIsNeverAbandoned() {
        connections.connected(WEB, "cp-a", CREATED);
        connections.connected(EGRESS, "cp-b", Optional.empty());

        clock.advance(DELAY.multipliedBy(100));

        assertThat(connections.abandoned(DELAY)).isEmpty();
    }

    @Test
    void abandonedProxiesComeInTheOrderTheyLeftWithOrWithoutARegistration() {
        connections.connected(WEB, "cp-a", CREATED);
        connections.connected(EGRESS, "cp-b", Optional.empty());
        connections.connected(OTHER_MESH_WEB, "cp-a", CREATED);
        connections.disconnected(EGRESS, "cp-b");
        clock.advance(Duration.ofSeconds(1));
        connections.disconnected(WEB, "cp-a");
        clock.advance(Duration.ofSeconds(1));
        connections.disconnected(OTHER_MESH_WEB, "cp-a");
        clock.advance(DELAY);

        assertThat(connections.abandoned(DELAY)).extracting(ProxyConnection::proxy)
                .containsExactly(EGRESS, WEB, OTHER_MESH_WEB);
    }

    @Test
    void aProxyThatCameBackWithinTheDelayIsNotAbandoned() {
        connections.connected(WEB, "cp-a", CREATED);
        connections.disconnected(WEB, "cp-a");
        clock.advance(DELAY.dividedBy(2));
        connections.connected(WEB, "cp-b", Optional.empty());
        clock.advance(DELAY);

        assertThat(connections.abandoned(DELAY)).isEmpty();
    }

    @Test
    void forgettingRemovesTheAbandonedRecord() {
        connections.connected(WEB, "cp-a", CREATED);
        connections.disconnected(WEB, "cp-a");
        clock.advance(DELAY);
        ProxyConnection abandoned = connections.abandoned(DELAY).get(0);

        assertThat(connections.forget(abandoned)).isTrue();

        assertThat(connections.get(WEB)).isEmpty();
        assertThat(connections.all()).isEmpty();
        assertThat(connections.forget(abandoned)).as("a record is forgotten once").isFalse();
    }

    @Test
    void aProxyThatReconnectsAfterItsRecordWasFoundAbandonedKeepsIt() {
        connections.connected(WEB, "cp-a", CREATED);
        connections.disconnected(WEB, "cp-a");
        clock.advance(DELAY);
        ProxyConnection abandoned = connections.abandoned(DELAY).get(0);
        Instant back = clock.advance(Duration.ofMillis(1));
        connections.connected(WEB, "cp-a", Optional.empty());

        assertThat(connections.forget(abandoned)).isFalse();

        assertThat(connections.get(WEB)).hasValue(
                new ProxyConnection(WEB, "cp-a", back, Optional.empty(), CREATED));
    }

    @Test
    void aProxyThatReconnectedAndLeftAgainIsNotTheRecordThatWasFoundAbandoned() {
        connections.connected(WEB, "cp-a", CREATED);
        connections.disconnected(WEB, "cp-a");
        clock.advance(DELAY);
        ProxyConnection abandoned = connections.abandoned(DELAY).get(0);
        clock.advance(Duration.ofMillis(1));
        connections.connected(WEB, "cp-b", Optional.empty());
        connections.disconnected(WEB, "cp-b");

        assertThat(connections.forget(abandoned)).isFalse();

        assertThat(connections.get(WEB).orElseThrow().instanceId()).isEqualTo("cp-b");
    }

    @Test
    void theConnectionsOfAnInstanceThatIsNoLongerAliveCloseWhenThatIsNoticed() {
        connections.connected(WEB, "cp-dead", CREATED);
        connections.connected(EGRESS, "cp-live", Optional.empty());
        connections.connected(OTHER_MESH_WEB, "cp-dead", CREATED);
        connections.disconnected(OTHER_MESH_WEB, "cp-dead");
        ProxyConnection alreadyClosed = connections.get(OTHER_MESH_WEB).orElseThrow();
        Instant noticed = clock.advance(Duration.ofSeconds(4));

        List<ProxyConnection> closed = connections.closeConnectionsOf(Set.of("cp-live"));

        ProxyConnection orphan = new ProxyConnection(WEB, "cp-dead", START, Optional.of(noticed), CREATED);
        assertThat(closed).containsExactly(orphan);
        assertThat(connections.get(WEB)).hasValue(orphan);
        assertThat(connections.get(EGRESS).orElseThrow().isConnected()).isTrue();
        assertThat(connections.get(OTHER_MESH_WEB)).hasValue(alreadyClosed);
        assertThat(connections.closeConnectionsOf(Set.of("cp-live"))).as("closed once").isEmpty();

        clock.advance(DELAY.minusMillis(1));
        assertThat(connections.abandoned(DELAY)).extracting(ProxyConnection::proxy)
                .containsExactly(OTHER_MESH_WEB);
        clock.advance(Duration.ofMillis(1));
        assertThat(connections.abandoned(DELAY)).extracting(ProxyConnection::proxy)
                .containsExactly(OTHER_MESH_WEB, WEB);
    }

    @Test
    void aProxyThatMovedToALiveInstanceIsNotClosedWithItsDeadOne() {
        connections.connected(WEB, "cp-dead", CREATED);
        connections.connected(WEB, "cp-live", Optional.empty());

        assertThat(connections.closeConnectionsOf(Set.of("cp-live"))).isEmpty();

        assertThat(connections.get(WEB).orElseThrow().isConnected()).isTrue();
    }

    @Test
    void ofRacingForgetsOfOneAbandonedRecordExactlyOneSucceeds() throws Exception {
        connections.connected(WEB, "cp-a", CREATED);
        connections.disconnected(WEB, "cp-a");
        clock.advance(DELAY);
        ProxyConnection abandoned = connections.abandoned(DELAY).get(0);

        List<Boolean> outcomes = race(8, i -> connections.forget(abandoned));

        assertThat(outcomes).containsOnlyOnce(true);
    }

    @Test
    void racingConnectsAndDisconnectsOfTwoInstancesLeaveOneConsistentRecord() throws Exception {
        connections.connected(WEB, "cp-a", CREATED);

        race(8, i -> {
            String instance = i % 2 == 0 ? "cp-a" : "cp-b";
            for (int n = 0; n < 50; n++) {
                connections.connected(WEB, instance, Optional.empty());
                connections.disconnected(WEB, instance);
            }
            return true;
        });

        ProxyConnection last = connections.get(WEB).orElseThrow();
        assertThat(last.registered()).isEqualTo(CREATED);
        assertThat(last.instanceId()).isIn("cp-a", "cp-b");
        assertThat(connections.all()).hasSize(1);
    }

    /** Runs {@code task(0..n-1)} on n threads released together; the results in task order. */
    private static <T> List<T> race(int n, java.util.function.IntFunction<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return task.apply(index);
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(1, TimeUnit.MINUTES));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
