package io.ursa.xds.envoy.listeners;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.ursa.xds.envoy.Configurer;
import java.util.ArrayList;
import java.util.List;

/** Builds a {@link Listener} from a name and an ordered list of configurers (see {@link ListenerConfigurers}). */
public final class ListenerBuilder {
    private final String name;
    private final List<Configurer<Listener.Builder>> configurers = new ArrayList<>();

    private ListenerBuilder(String name) {
        this.name = name;
    }

    public static ListenerBuilder named(String name) {
        requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("invalid listener name: \"\" (expected: a non-empty name)");
        }
        return new ListenerBuilder(name);
    }

    public ListenerBuilder configure(Configurer<Listener.Builder> configurer) {
        configurers.add(requireNonNull(configurer, "configurer"));
        return this;
    }

    /**
     * Applies the configurers in order; fails when the listener ends up without a filter chain (a UDP listener
     * needs a listener filter instead, such as the DNS filter).
     */
    public Listener build() {
        Listener.Builder proto = Listener.newBuilder().setName(name);
        configurers.forEach(c -> c.configure(proto));
        boolean udp = proto.getAddress().getSocketAddress().getProtocol() == SocketAddress.Protocol.UDP;
        if (proto.getName().equals(name)
                && (proto.getFilterChainsCount() > 0 || udp && proto.getListenerFiltersCount() > 0)) {
            return proto.build();
        }
        throw new IllegalStateException("listener " + name + " has " + proto.getFilterChainsCount()
                + " filter chains and name \"" + proto.getName() + "\" (expected: at least one, or a listener filter "
                + "on UDP, and its own name)");
    }
}
