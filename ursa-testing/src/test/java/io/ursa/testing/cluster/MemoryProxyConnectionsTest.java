package io.ursa.testing.cluster;

import io.ursa.core.cluster.MemoryProxyConnections;
import io.ursa.core.cluster.ProxyConnections;

class MemoryProxyConnectionsTest extends ProxyConnectionsContract {
    @Override
    protected ProxyConnections newConnections(ManualClock clock) {
        return new MemoryProxyConnections(clock);
    }
}
