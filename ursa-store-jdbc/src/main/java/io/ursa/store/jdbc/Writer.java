package io.ursa.store.jdbc;

import io.ursa.core.event.ChangeBus;
import io.ursa.core.event.ResourceChange;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one connection that writes, and the group commit on it.
 *
 * <p><b>Group commit.</b> SQLite allows one writer at a time and every commit costs an fsync, so the writes that
 * queue up while a commit is in progress are committed together, at most {@link #MAX_BATCH} at a time, each in its
 * own savepoint:
 * <pre>
 * BEGIN IMMEDIATE
 *   SAVEPOINT write; (write 1); RELEASE write          -- or ROLLBACK TO write; RELEASE write if it failed
 *   SAVEPOINT write; (write 2); RELEASE write
 *   ...
 * COMMIT                                              -- one fsync for the whole batch
 * </pre>
 * There is no timer: a lone write is committed at once, and a batch is whatever arrived during the commit before
 * it. Inside a batch the writes run one after the other in arrival order, each seeing the ones before it, so each
 * write has the outcome it would have had alone in that order.
 *
 * <p><b>Threads: leader and followers.</b> There is no writer thread. A caller of {@link #write} that finds nobody
 * writing becomes the <em>leader</em>: it runs one batch on its own thread (a lone writer's batch is just its own
 * write, with no hand-off between threads, which costs as much as the write itself on a small virtual machine).
 * Callers that arrive while a leader is busy queue up and wait. When the leader has finished its batch it hands the
 * connection to the first waiting caller, which leads the next batch, containing itself and whoever queued behind
 * it; if nobody is waiting, nobody leads. So the connection belongs to the current leader, and leadership passes
 * under this object's monitor, which guards {@link #queue}, {@link #leading} and {@link #closed}; the invariant is
 * that a non-empty queue has a leader. A leader runs exactly one batch, so nobody waits for more than the batch in
 * progress and their own.
 *
 * <p><b>Outcomes.</b> A write that fails on its own (already exists, conflict, not found, an SQL error of its
 * statements) is rolled back to its savepoint and reports its own exception; the rest of its batch goes on. If the
 * batch as a whole cannot be committed (BEGIN or COMMIT fails, or SQLite rolled back the whole transaction after an
 * error, as it does for e.g. a full disk) nothing of it is written and every write in it fails with a
 * {@link io.ursa.core.store.StoreUnavailableException}, including writes that had failed on their own, since that
 * failure was judged against writes that never happened. A caller returns only once its batch is committed and
 * durable ({@code synchronous=FULL}).
 *
 * <p><b>Changes.</b> After the commit, and before the next batch begins, the leader announces the changes of each
 * successful write in commit order and then releases its caller; so listeners hear changes in commit order, a
 * caller returns after its changes were announced, and failed writes are never announced. Listeners run on the
 * leader's thread. A listener that reads the store may already see later writes of the same batch. A listener must
 * not write to the store or close it (it would wait for itself); that fails with {@link IllegalStateException}.
 *
 * <p><b>Closing.</b> {@link #close} refuses new writes, waits until the writes already queued have been committed,
 * then closes the connection.
 */
final class Writer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Writer.class);

    /** The most writes committed together; a larger batch would make its first caller wait longer. */
    static final int MAX_BATCH = 256;
    /** The savepoint of the write in progress; released before the next one starts, so one name does. */
    private static final String SAVEPOINT = "write";

    /** What a waiting caller is woken for. */
    private enum Turn {
        /** Lead the next batch (it starts with this caller's write). */
        LEAD,
        /** The write is finished; its outcome is set. */
        DONE
    }

    private final Connection connection;
    private final Path database;
    private final ChangeBus bus;

    /** Writes waiting for a batch, in arrival order. Guarded by {@code this}. */
    private final ArrayDeque<Request<?>> queue = new ArrayDeque<>();
    /** Whether some caller leads (or has been told to): the connection is taken. Guarded by {@code this}. */
    private boolean leading;
    /** Whether new writes are refused. Guarded by {@code this}. */
    private boolean closed;
    /** Guarded by {@code this}. */
    private boolean connectionClosed;
    /** The thread running a batch, if any; only that thread ever finds itself here. */
    private volatile Thread leader;
    /** Batches committed. Leaders write it one after the other (leadership passes under the monitor). */
    private volatile long commits;

    Writer(Connection connection, Path database, ChangeBus bus) {
        this.connection = connection;
        this.database = database;
        this.bus = bus;
    }

    /**
     * Runs {@code work} in its own savepoint of a batch, waits until that batch is committed and the changes
     * announced, and returns the value; or throws what the work threw (an {@link SQLException} as a
     * {@link io.ursa.core.store.StoreUnavailableException} naming {@code operation}). If it fails nothing of it is
     * written and nothing announced. Waits uninterruptibly, keeping the interrupt status.
     */
    <T> T write(String operation, SqlWork<Written<T>> work) {
        if (Thread.currentThread() == leader) {
            throw new IllegalStateException("could not " + operation + ": a change listener must not write to the "
                    + "store, it runs while the store is writing (expected: hand the write to another thread)");
        }
        Request<T> request = new Request<>(operation, work);
        boolean lead;
        synchronized (this) {
            if (closed) {
                throw Failures.closed(operation, database);
            }
            queue.add(request);
            lead = !leading;
            leading = true;
        }
        if (lead || request.awaitTurn() == Turn.LEAD) {
            lead();
        }
        return request.outcome();
    }

    /** Writes waiting for a batch; for tests. */
    synchronized int queued() {
        return queue.size();
    }

    /** Batches committed so far; for tests. */
    long commits() {
        return commits;
    }

    /**
     * Refuses new writes, waits for the queued ones and closes the connection. Idempotent.
     *
     * @throws IllegalStateException if called from a change listener (it would wait for itself)
     */
    @Override
    public void close() {
        if (Thread.currentThread() == leader) {
            throw new IllegalStateException("could not close the store from a change listener: it runs while the "
                    + "store is writing, and close waits for that (expected: close it from another thread)");
        }
        boolean interrupted = false;
        synchronized (this) {
            closed = true;
            while (leading) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            // nobody leads, and nobody will again: the connection is ours
            if (!connectionClosed) {
                connectionClosed = true;
                try {
                    connection.close();
                } catch (SQLException e) {
                    log.warn("closing the write connection to {} failed", database, e);
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs one batch from the head of the queue (where this caller's write is), then hands over leadership. */
    private void lead() {
        leader = Thread.currentThread();
        Request<?> next;
        try {
            List<Request<?>> batch = new ArrayList<>();
            synchronized (this) {
                while (batch.size() < MAX_BATCH && !queue.isEmpty()) {
                    batch.add(queue.poll());
                }
            }
            commitOrFailAll(batch);
        } finally {
            leader = null;
            synchronized (this) {
                next = queue.peek();
                if (next == null) {
                    leading = false;
                    notifyAll();
                }
            }
        }
        if (next != null) {
            next.wake(Turn.LEAD);
        }
    }

    private void commitOrFailAll(List<Request<?>> batch) {
        try {
            commit(batch);
        } catch (RuntimeException | Error e) {
            // a bug here; callers must hear of it rather than wait forever (finished requests keep their outcome)
            log.error("writing a batch of {} writes to {} failed unexpectedly", batch.size(), database, e);
            rollbackAfter(e);
            SQLException cause = new SQLException("unexpected failure: " + e, e);
            batch.forEach(r -> r.fail(Failures.batchNotCommitted(r.operation, database, batch.size(), cause)));
        }
    }

    /** Runs the batch in one transaction, commits it, then announces and releases each write in order. */
    private void commit(List<Request<?>> batch) {
        try {
            Transactions.execute(connection, "BEGIN IMMEDIATE");
        } catch (SQLException e) {
            batch.forEach(r -> r.fail(Failures.batchNotCommitted(r.operation, database, batch.size(), e)));
            return;
        }
        try {
            for (Request<?> r : batch) {
                r.run(connection, database);
            }
            Transactions.execute(connection, "COMMIT");
        } catch (SQLException e) {
            rollbackAfter(e);
            batch.forEach(r -> r.fail(Failures.batchNotCommitted(r.operation, database, batch.size(), e)));
            return;
        }
        commits++;
        batch.forEach(r -> r.finish(bus));
    }

    /** Rolls back whatever is left of the transaction; SQLite may have rolled it back already. */
    private void rollbackAfter(Throwable failure) {
        try {
            Transactions.execute(connection, "ROLLBACK");
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * One caller's write. The outcome fields are written by the leader that runs it, before it wakes the caller
     * with {@link Turn#DONE} (or by the caller itself, when it leads the batch); the caller reads them after.
     */
    private static final class Request<T> {
        private final String operation;
        private final SqlWork<Written<T>> work;
        /** Completed at most once by another thread: with LEAD or DONE. */
        private final CompletableFuture<Turn> turn = new CompletableFuture<>();
        private Written<T> written;
        private Throwable failure;
        private boolean finished;

        Request(String operation, SqlWork<Written<T>> work) {
            this.operation = operation;
            this.work = work;
        }

        Turn awaitTurn() {
            return turn.join();
        }

        void wake(Turn t) {
            turn.complete(t);
        }

        /**
         * Runs the work in its own savepoint; if it fails, rolls back to the savepoint and keeps the failure for
         * its caller.
         *
         * @throws SQLException if the batch's transaction is lost (SQLite rolled all of it back, or the savepoint
         *         could not be set or released): the batch must not be committed
         */
        void run(Connection c, Path database) throws SQLException {
            Transactions.execute(c, "SAVEPOINT " + SAVEPOINT);
            try {
                written = work.run(c);
            } catch (SQLException e) {
                failure = Failures.unavailable(operation, database, e);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            if (failure != null) {
                try {
                    Transactions.execute(c, "ROLLBACK TO " + SAVEPOINT);
                } catch (SQLException rollbackFailed) {
                    SQLException lost = new SQLException("SQLite rolled back the whole transaction when it could "
                            + "not " + operation + ": " + failure.getMessage(), failure);
                    lost.addSuppressed(rollbackFailed);
                    throw lost;
                }
            }
            Transactions.execute(c, "RELEASE " + SAVEPOINT);
        }

        /** After the commit: announces the changes of a successful write, then releases its caller. */
        void finish(ChangeBus bus) {
            if (finished) {
                return;
            }
            finished = true;
            if (failure == null) {
                for (ResourceChange change : written.changes()) {
                    try {
                        bus.publish(change);
                    } catch (Error e) {
                        // the bus logs and skips listeners that throw exceptions; the write is committed either
                        // way, so neither its caller nor the rest of the batch may miss that
                        log.error("a change listener failed on {}", change, e);
                    }
                }
            }
            wake(Turn.DONE);
        }

        /** Fails the write with {@code e} and releases its caller, unless it is finished already. */
        void fail(RuntimeException e) {
            if (finished) {
                return;
            }
            finished = true;
            failure = e;
            wake(Turn.DONE);
        }

        /** The value, or the failure thrown; once finished. */
        T outcome() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new IllegalStateException("could not " + operation + ": " + failure, failure);
            }
            return written.value();
        }
    }
}
