package io.ursa.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ursa.core.cluster.ControlPlaneInstance;
import io.ursa.core.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PostgresClusterTest {
    private static final PostgresCluster.Timings FAST = new PostgresCluster.Timings(Duration.ofMillis(100),
            Duration.ofMillis(600), Duration.ofSeconds(2), Duration.ofSeconds(1));

    private final TestPostgres postgres = TestPostgres.shared();
    private final PostgresSettings database = postgres.migratedDatabase();
    private final List<PostgresCluster> joined = new ArrayList<>();

    @AfterEach
    void leave() {
        joined.forEach(PostgresCluster::close);
    }

    private PostgresCluster join(String id) {
        return join(id, database);
    }

    private PostgresCluster join(String id, PostgresSettings settings) {
        PostgresCluster cluster = PostgresCluster.join(settings, id, "host-" + id, "1.0.0-test", FAST,
                Clock.systemUTC());
        joined.add(cluster);
        return cluster;
    }

    private List<PostgresCluster> leaders() {
        return joined.stream().filter(PostgresCluster::isLeader).toList();
    }

    @Test
    void theFirstInstanceLeadsAtOnceAndEveryInstanceSeesTheSameMembersAndLeader() {
        PostgresCluster a = join("cp-a");
        assertThat(a.isLeader()).as("the first instance leads as soon as it has joined").isTrue();
        PostgresCluster b = join("cp-b");
        PostgresCluster c = join("cp-c");
        assertThat(b.isLeader()).isFalse();
        assertThat(c.isLeader()).isFalse();

        for (PostgresCluster cluster : List.of(a, b, c)) {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                List<ControlPlaneInstance> seen = cluster.instances();
                assertThat(seen).extracting(ControlPlaneInstance::id).containsExactly("cp-a", "cp-b", "cp-c");
                assertThat(seen).filteredOn(ControlPlaneInstance::leader).extracting(ControlPlaneInstance::id)
                        .containsExactly("cp-a");
            });
        }
        assertThat(a.instances().get(1).hostname()).isEqualTo("host-cp-b");
        assertThat(a.instances().get(1).version()).isEqualTo("1.0.0-test");
        assertThat(a.problem()).isEmpty();
    }

    @Test
    void instancesJoiningTogetherElectExactlyOneLeader() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<PostgresCluster> clusters = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = "cp-" + i;
            Thread t = new Thread(() -> clusters.add(PostgresCluster.join(database, id, "host", "1.0.0-test", FAST,
                    Clock.systemUTC())));
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        joined.addAll(clusters);

        assertThat(joined).hasSize(5);
        assertThat(leaders()).as("each instance tried the lock once as it joined; one holds it").hasSize(1);
        String leader = leaders().get(0).instanceId();
        for (PostgresCluster cluster : joined) {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(cluster.instances())
                    .hasSize(5).filteredOn(ControlPlaneInstance::leader).extracting(ControlPlaneInstance::id)
                    .containsExactly(leader));
        }
    }

    @Test
    void anotherInstanceLeadsWhenTheLeaderLeaves() {
        PostgresCluster a = join("cp-a");
        PostgresCluster b = join("cp-b");
        List<Boolean> heardByB = new CopyOnWriteArrayList<>();
        b.onLeadershipChange(heardByB::add);

        a.close();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(b.isLeader()).isTrue();
            assertThat(b.instances()).extracting(ControlPlaneInstance::id).containsExactly("cp-b");
        });
        assertThat(heardByB).containsExactly(true);
    }

    @Test
    void whenTheLeadersSessionDiesItStopsLeadingAndAnotherTakesOver() {
        PostgresCluster a = join("cp-a");
        PostgresCluster b = join("cp-b");
        List<Boolean> heardByA = new CopyOnWriteArrayList<>();
        a.onLeadershipChange(heardByA::add);
        assertThat(heardByA).containsExactly(true);

        // what PostgreSQL sees when the leader's process is killed: its session ends and the lock goes with it
        postgres.execute(database.dbName(), "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = "
                + "'advisory' AND granted AND ((classid::bigint << 32) | objid::bigint) = " + PostgresCluster.LEADER_LOCK);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(b.isLeader()).isTrue();
            assertThat(a.isLeader()).isFalse();
        });
        assertThat(heardByA).containsExactly(true, false);
        // the old leader is back as a follower at its next heartbeat, and every instance agrees on the new leader
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(a.problem()).isEmpty();
            assertThat(a.instances()).filteredOn(ControlPlaneInstance::leader).extracting(ControlPlaneInstance::id)
                    .containsExactly("cp-b");
        });
    }

    @Test
    void anInstanceBackFromAnOutageFirstStillCountsTheOthersThatWereAliveUntilTheyHadALeaseToBeatAgain() {
        PostgresCluster a = join("cp-a", role("cp_a"));
        PostgresCluster b = join("cp-b", role("cp_b"));
        await().atMost(Duration.ofSeconds(5)).until(() -> a.instances().size() == 2 && b.instances().size() == 2);

        outage("cp_a", "cp_b");
        // as with any restart of the database: longer than the lease, so both heartbeats are stale when it is back
        await().during(FAST.lease().multipliedBy(2)).atMost(Duration.ofSeconds(5))
                .until(() -> a.problem().isPresent() && b.problem().isPresent());

        // a reaches the database first, and leads: b has not beaten for longer than the lease, and is not dead
        login("cp_a", true);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.problem().isEmpty() && a.isLeader());
        assertThat(a.instances()).as("a's instances at once after its outage").extracting(ControlPlaneInstance::id)
                .containsExactly("cp-a", "cp-b");
        login("cp_b", true);
        await().during(FAST.lease().multipliedBy(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(a.instances()).as("a's instances after the outage").extracting(ControlPlaneInstance::id)
                        .containsExactly("cp-a", "cp-b"));
        assertThat(b.problem()).isEmpty();
        assertThat(b.instances()).filteredOn(ControlPlaneInstance::leader).extracting(ControlPlaneInstance::id)
                .containsExactly("cp-a");
    }

    @Test
    void anInstanceThatDoesNotComeBackAfterAnOutageDropsOutALeaseAfterTheOthersAreBack() {
        PostgresCluster a = join("cp-a", role("cp_a"));
        PostgresCluster b = join("cp-b", role("cp_b"));
        await().atMost(Duration.ofSeconds(5)).until(() -> a.instances().size() == 2);

        outage("cp_a", "cp_b");
        await().during(FAST.lease().multipliedBy(2)).atMost(Duration.ofSeconds(5))
                .until(() -> a.problem().isPresent() && b.problem().isPresent());
        login("cp_a", true);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.problem().isEmpty());
        long back = System.nanoTime();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(a.instances())
                .extracting(ControlPlaneInstance::id).containsExactly("cp-a"));
        assertThat(Duration.ofNanos(System.nanoTime() - back)).as("b dropped out")
                .isBetween(FAST.lease().minus(FAST.heartbeat()), FAST.lease().multipliedBy(3));
        assertThat(b.problem()).isPresent();
    }

    /** Settings of the database for a role of its own (a superuser, so it may do what the instances do). */
    private PostgresSettings role(String prefix) {
        String role = prefix + "_" + database.dbName();
        postgres.execute("CREATE ROLE " + role + " LOGIN SUPERUSER");
        return new PostgresSettings(database.host(), database.port(), role, "", database.dbName(),
                database.tlsMode(), "", "", "", database.maxOpenConnections(), database.connectionTimeout());
    }

    /** The database is away for the instances of these roles: their sessions end and they cannot log in. */
    private void outage(String... prefixes) {
        for (String prefix : prefixes) {
            login(prefix, false);
            postgres.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + prefix
                    + "_" + database.dbName() + "'");
        }
    }

    private void login(String prefix, boolean allowed) {
        postgres.execute("ALTER ROLE " + prefix + "_" + database.dbName() + (allowed ? " LOGIN" : " NOLOGIN"));
    }

    @Test
    void joiningAnUnreachableDatabaseFailsNamingIt() {
        PostgresSettings nowhere = TestPostgres.settings(1, "ursa");
        assertThatThrownBy(() -> PostgresCluster.join(nowhere, "cp-x", "host", "1.0.0-test", FAST,
                Clock.systemUTC()))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("PostgreSQL ursa at localhost:1");
    }
}
