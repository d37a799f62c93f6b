package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Runs Envoy as a child process with the agent's stdout and stderr, restarts it per {@link RestartPolicy} when
 * it exits on its own, and stops it on request: SIGTERM, up to the drain time to exit, then SIGKILL.
 *
 * <p>Threads: one supervisor thread (started by {@link #start()}) waits for the process and restarts it; any
 * thread may call {@link #stop()} and {@link #awaitExit()}. {@code current} and {@code stopping} are guarded by
 * {@code lock}, so a restart never races a stop.
 */
final class EnvoySupervisor {
    /** How supervision ended. */
    enum Outcome {
        /** Stopped on request; Envoy exited within the drain time. */
        STOPPED,
        /** Stopped on request; Envoy outlived the drain time and was killed. */
        KILLED,
        /** Envoy kept failing right after start; see {@link #failure()}. */
        GAVE_UP
    }

    private final EnvoyLaunch launch;
    private final RestartPolicy policy;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Logger log;
    private final StopSignal stopSignal = new StopSignal();
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private final Object lock = new Object();
    private Process current; // guarded by lock
    private boolean stopping; // guarded by lock
    private Thread thread; // guarded by lock
    private volatile String failure = "";

    EnvoySupervisor(EnvoyLaunch launch, RestartPolicy policy, Clock clock, Sleeper sleeper, Logger log) {
        this.launch = requireNonNull(launch, "launch");
        this.policy = requireNonNull(policy, "policy");
        this.clock = requireNonNull(clock, "clock");
        this.sleeper = requireNonNull(sleeper, "sleeper");
        this.log = requireNonNull(log, "log");
    }

    /** Starts Envoy and the supervisor thread; a failure to start the first Envoy is a {@link DpException}. */
    void start() {
        synchronized (lock) {
            if (thread != null || stopping) {
                throw new IllegalStateException("the supervisor was already started or stopped");
            }
            Process first = startProcess();
            current = first;
            thread = new Thread(() -> supervise(first), "envoy-supervisor");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Blocks until supervision ends: after {@link #stop()}, or when Envoy keeps failing. */
    Outcome awaitExit() throws InterruptedException {
        try {
            return outcome.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("supervision failed", e.getCause());
        }
    }

    /** Why supervision gave up; empty unless the outcome is {@link Outcome#GAVE_UP}. */
    String failure() {
        return failure;
    }

    /**
     * Stops Envoy: SIGTERM, then up to the drain time for it to exit, then SIGKILL. Idempotent; returns how
     * supervision ended (a supervisor that had already given up stays {@link Outcome#GAVE_UP}).
     */
    Outcome stop() throws InterruptedException {
        Process process;
        Thread supervisor;
        synchronized (lock) {
            if (!stopping) {
                stopping = true;
                stopSignal.request();
            }
            process = current;
            supervisor = thread;
        }
        Outcome result = Outcome.STOPPED;
        if (process != null && process.isAlive()) {
            log.info("stopping Envoy (pid " + process.pid() + "): sent SIGTERM, waiting up to "
                    + Durations.format(launch.drainTime()) + " for it to exit");
            process.destroy();
            if (!process.waitFor(launch.drainTime().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warning("Envoy did not exit within the drain time (" + Durations.format(launch.drainTime())
                        + "); killing it");
                process.destroyForcibly();
                process.waitFor();
                result = Outcome.KILLED;
            } else {
                log.info("Envoy exited with code " + process.exitValue());
            }
        }
        if (supervisor != null) {
            supervisor.join();
        }
        outcome.complete(result);
        return outcome.join();
    }

    // ---- supervisor thread ----

    private void supervise(Process first) {
        Process process = first;
        int fastFailures = 0;
        try {
            while (true) {
                Instant started = clock.instant();
                int code = process.waitFor();
                Duration uptime = Duration.between(started, clock.instant());
                synchronized (lock) {
                    if (stopping) {
                        return;
                    }
                }
                fastFailures = uptime.compareTo(policy.healthyUptime()) < 0 ? fastFailures + 1 : 0;
                if (fastFailures >= policy.maxFastFailures()) {
                    giveUp("Envoy exited " + fastFailures + " times in a row within "
                            + Durations.format(policy.healthyUptime()) + " of starting (last exit code " + code
                            + "); giving up. Envoy's own output above says why");
                    return;
                }
                Duration backoff = policy.backoff(fastFailures);
                log.warning("Envoy exited unexpectedly with code " + code + " after " + Durations.format(uptime)
                        + "; restarting it in " + Durations.format(backoff)
                        + (fastFailures > 0 ? " (fast failure " + fastFailures + " of " + policy.maxFastFailures()
                        + " allowed)" : ""));
                if (!sleeper.sleep(backoff, stopSignal)) {
                    return;
                }
                synchronized (lock) {
                    if (stopping) {
                        return;
                    }
                    process = startProcess();
                    current = process;
                }
            }
        } catch (DpException e) {
            giveUp(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            giveUp("the Envoy supervisor was interrupted");
        }
    }

    /** Not logged here: the caller reports {@link #failure()} once, as the agent's fatal error. */
    private void giveUp(String reason) {
        failure = reason;
        outcome.complete(Outcome.GAVE_UP);
    }

    private Process startProcess() {
        log.info("starting Envoy: " + String.join(" ", launch.argv()));
        try {
            Process process = new ProcessBuilder(launch.argv())
                    .redirectOutput(Redirect.INHERIT)
                    .redirectError(Redirect.INHERIT)
                    .start();
            process.getOutputStream().close();
            log.info("Envoy started (pid " + process.pid() + ")");
            return process;
        } catch (IOException e) {
            throw new DpException("could not start Envoy (" + launch.binary() + "): " + e.getMessage());
        }
    }
}
