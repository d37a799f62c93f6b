package io.ursa.store.jdbc;

import io.ursa.core.store.StoreUnavailableException;
import java.nio.file.Path;
import java.sql.SQLException;

/** Turns database failures into {@link StoreUnavailableException}s that say what was being done, to what, where. */
final class Failures {
    private Failures() {
    }

    /** e.g. {@code could not create Dataplane demo/web-1 in /var/lib/ursa/ursa.db: [SQLITE_FULL] ...}. */
    static StoreUnavailableException unavailable(String operation, Path database, SQLException cause) {
        return unavailable(operation, database.toString(), cause);
    }

    /**
     * {@code database} as it is named to users: a file, or {@code PostgreSQL ursa at db.example:5432} (never with
     * credentials).
     */
    static StoreUnavailableException unavailable(String operation, String database, SQLException cause) {
        return new StoreUnavailableException("could not " + operation + " in " + database + ": "
                + cause.getMessage(), cause);
    }

    /**
     * For each write of a batch that could not be committed as a whole ({@code batchSize} writes in one
     * transaction): none of them was written, whichever of them {@code cause} came from.
     */
    static StoreUnavailableException batchNotCommitted(String operation, Path database, int batchSize,
                                                       SQLException cause) {
        if (batchSize == 1) {
            return unavailable(operation, database, cause);
        }
        return new StoreUnavailableException("could not " + operation + " in " + database + ": " + cause.getMessage()
                + " (it was one of " + batchSize + " writes in one transaction, and none of them was written)", cause);
    }

    static StoreUnavailableException closed(String operation, Path database) {
        return closed(operation, database.toString());
    }

    static StoreUnavailableException closed(String operation, String database) {
        return new StoreUnavailableException("could not " + operation + " in " + database
                + ": the store is closed", null);
    }
}
