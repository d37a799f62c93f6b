package io.ursa.store.jdbc;

import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.cluster.ProxyConnections;
import io.ursa.testing.cluster.ManualClock;
import io.ursa.testing.cluster.ProxyConnectionsContract;
import java.util.IdentityHashMap;
import java.util.Map;

/** The shared contract of the record of proxy connections, on real PostgreSQL (a fresh database per test). */
class PostgresProxyConnectionsTest extends ProxyConnectionsContract {
    private final Map<ProxyConnections, PostgresResourceStore> stores = new IdentityHashMap<>();

    @Override
    protected ProxyConnections newConnections(ManualClock clock) {
        PostgresResourceStore store = PostgresResourceStore.open(TestPostgres.shared().migratedDatabase(),
                ResourceTypes.standard(), "test-instance");
        ProxyConnections connections = PostgresProxyConnections.of(store, ResourceTypes.standard(), clock);
        stores.put(connections, store);
        return connections;
    }

    @Override
    protected void close(ProxyConnections connections) {
        PostgresResourceStore store = stores.remove(connections);
        if (store != null) {
            store.close();
        }
    }
}
