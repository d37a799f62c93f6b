package io.ursa.cp;

import static java.util.Objects.requireNonNull;

import io.ursa.core.cluster.Cluster;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work the leader of the cluster does each time it becomes the leader. When this instance leads as it starts,
 * the work runs at once on the starting thread, and a failure fails the start (a control plane that cannot create
 * its defaults must not report ready). When it becomes the leader later (another instance died or left, or the
 * database came back), the work runs on a thread of its own, never on the cluster's (whose heartbeats must go on
 * meanwhile), and a failure is retried every {@link #RETRY} for as long as this instance leads: the database may
 * still be coming back, as it often is right after a change of leader.
 */
final class LeaderDuties implements AutoCloseable {
    static final Duration RETRY = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(LeaderDuties.class);

    private final Cluster cluster;
    private final Runnable duties;
    private final Duration retry;
    private final ScheduledExecutorService thread;
    private AutoCloseable listening;

    private LeaderDuties(Cluster cluster, Runnable duties, Duration retry) {
        this.cluster = cluster;
        this.duties = duties;
        this.retry = retry;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ursa-leader-duties");
            t.setDaemon(true);
            return t;
        });
    }

    /** Registers {@code duties} with {@code cluster}; closing the handle stops running them. */
    static LeaderDuties start(Cluster cluster, Runnable duties) {
        return start(cluster, duties, RETRY);
    }

    static LeaderDuties start(Cluster cluster, Runnable duties, Duration retry) {
        LeaderDuties leader = new LeaderDuties(requireNonNull(cluster, "cluster"), requireNonNull(duties, "duties"),
                requireNonNull(retry, "retry"));
        AtomicBoolean registering = new AtomicBoolean(true);
        Thread starting = Thread.currentThread();
        try {
            leader.listening = cluster.onLeadershipChange(leading -> {
                if (registering.get() && Thread.currentThread() == starting) {
                    duties.run();
                } else if (leading) {
                    log.info("this instance ({}) now leads the cluster", cluster.instanceId());
                    leader.submit(1);
                } else {
                    log.info("this instance ({}) no longer leads the cluster", cluster.instanceId());
                }
            });
        } catch (RuntimeException e) {
            leader.thread.shutdownNow();
            throw e;
        }
        registering.set(false);
        return leader;
    }

    private void submit(int attempt) {
        try {
            thread.schedule(() -> run(attempt), attempt == 1 ? 0 : retry.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // stopping
        }
    }

    private void run(int attempt) {
        if (!cluster.isLeader()) {
            return;
        }
        try {
            duties.run();
            if (attempt > 1) {
                log.info("the leader's work succeeded at attempt {}", attempt);
            }
        } catch (RuntimeException e) {
            log.warn("the leader's work failed (attempt {}): {}; trying again in {} while this instance leads",
                    attempt, e.getMessage() == null ? e.toString() : e.getMessage(), retry);
            submit(attempt + 1);
        }
    }

    @Override
    public void close() throws Exception {
        thread.shutdownNow();
        if (listening != null) {
            listening.close();
        }
    }
}
