package io.ursa.cp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ursa.core.cluster.Cluster;
import io.ursa.core.cluster.ControlPlaneInstance;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class LeaderDutiesTest {

    @Test
    void aLeaderAtStartRunsTheDutiesOnTheStartingThreadAndAFailureFailsTheStart() {
        SwitchableCluster cluster = new SwitchableCluster(true);
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        try (LeaderDuties ignored = LeaderDuties.start(cluster, () -> ranOn.add(Thread.currentThread()))) {
            assertThat(ranOn).containsExactly(Thread.currentThread());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThatThrownBy(() -> LeaderDuties.start(new SwitchableCluster(true), () -> {
            throw new IllegalStateException("store unavailable");
        })).hasMessage("store unavailable");
    }

    @Test
    void leadershipGainedLaterRunsTheDutiesOffTheClustersThreadAndRetriesThemWhileLeading() throws Exception {
        SwitchableCluster cluster = new SwitchableCluster(false);
        AtomicInteger attempts = new AtomicInteger();
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        try (LeaderDuties ignored = LeaderDuties.start(cluster, () -> {
            ranOn.add(Thread.currentThread());
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("could not get AccessRole admin: connection is not available");
            }
        }, Duration.ofMillis(50))) {
            assertThat(attempts).hasValue(0);
            Thread clusterThread = cluster.become(true);

            await().atMost(Duration.ofSeconds(5)).untilAtomic(attempts, org.hamcrest.Matchers.equalTo(3));
            assertThat(ranOn).doesNotContain(clusterThread, Thread.currentThread());
        }
    }

    @Test
    void aFailingDutyIsNotRetriedOnceTheInstanceNoLongerLeads() throws Exception {
        SwitchableCluster cluster = new SwitchableCluster(false);
        AtomicInteger attempts = new AtomicInteger();
        try (LeaderDuties ignored = LeaderDuties.start(cluster, () -> {
            if (attempts.incrementAndGet() == 1) {
                cluster.leading = false; // lost the lead while the first attempt ran
            }
            throw new IllegalStateException("database unreachable");
        }, Duration.ofMillis(20))) {
            cluster.become(true);
            await().atMost(Duration.ofSeconds(5)).untilAtomic(attempts, org.hamcrest.Matchers.equalTo(1));
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .untilAtomic(attempts, org.hamcrest.Matchers.equalTo(1));
        }
    }

    /** A cluster whose leadership the test switches, telling listeners on a thread of its own as a cluster does. */
    private static final class SwitchableCluster implements Cluster {
        volatile boolean leading;
        private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();

        SwitchableCluster(boolean leading) {
            this.leading = leading;
        }

        Thread become(boolean leader) throws InterruptedException {
            leading = leader;
            Thread t = new Thread(() -> listeners.forEach(l -> l.accept(leader)), "test-cluster");
            t.start();
            t.join();
            return t;
        }

        @Override
        public String instanceId() {
            return "cp-test";
        }

        @Override
        public boolean isLeader() {
            return leading;
        }

        @Override
        public List<ControlPlaneInstance> instances() {
            return List.of();
        }

        @Override
        public AutoCloseable onLeadershipChange(Consumer<Boolean> listener) {
            listeners.add(listener);
            if (leading) {
                listener.accept(true);
            }
            return () -> listeners.remove(listener);
        }

        @Override
        public void close() {
        }
    }
}
