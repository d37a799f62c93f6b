package io.ursa.cp;

import static java.util.Objects.requireNonNull;

import io.ursa.core.cluster.Cluster;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work the leader of the cluster does each time it becomes the leader. When this instance leads as it starts,
 * the work runs at once on the starting thread, and a failure fails the start (a control plane that cannot create
 * its defaults must not report ready). When it becomes the leader later (another instance died or left), the work
 * runs on the cluster's thread, and a failure is logged: the defaults are created by the next leader or at the
 * next gain of leadership.
 */
final class LeaderDuties {
    private static final Logger log = LoggerFactory.getLogger(LeaderDuties.class);

    private LeaderDuties() {
    }

    /** Registers {@code duties} with {@code cluster}; closing the handle stops running them. */
    static AutoCloseable start(Cluster cluster, Runnable duties) {
        requireNonNull(duties, "duties");
        AtomicBoolean registering = new AtomicBoolean(true);
        Thread starting = Thread.currentThread();
        AutoCloseable handle = requireNonNull(cluster, "cluster").onLeadershipChange(leading -> {
            if (!leading) {
                log.info("this instance ({}) no longer leads the cluster", cluster.instanceId());
                return;
            }
            if (registering.get() && Thread.currentThread() == starting) {
                duties.run();
                return;
            }
            log.info("this instance ({}) now leads the cluster", cluster.instanceId());
            try {
                duties.run();
            } catch (RuntimeException e) {
                log.warn("the leader's work failed: {}; it runs again when this instance next becomes the leader",
                        e.getMessage() == null ? e.toString() : e.getMessage());
            }
        });
        registering.set(false);
        return handle;
    }
}
