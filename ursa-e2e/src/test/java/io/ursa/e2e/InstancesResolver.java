package io.ursa.e2e;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one DNS name with an address per control-plane instance gives a proxyless gRPC application, which this
 * machine cannot have without editing {@code /etc/hosts}: a name resolver for {@code ursa-e2e-instances:///<name>}
 * that answers the listed DP server addresses, in order, as one address list, with {@code localhost} as the
 * authority (the name the instances' certificate has, checked by TLS as a DNS name would be).
 *
 * <p>grpc-xds dials the bootstrap's {@code server_uri} through the JVM's default name resolver registry, with
 * {@code pick_first}: it connects to the first address that answers and, when that connection breaks, to the next.
 * Unlike DNS, the addresses may have different ports (every instance here runs on 127.0.0.1). Registered while open.
 */
final class InstancesResolver extends NameResolverProvider implements AutoCloseable {
    static final String SCHEME = "ursa-e2e-instances";

    private final Map<String, List<InetSocketAddress>> names = new HashMap<>();
    /** The started resolvers of each name: how they resolve again. */
    private final Map<String, List<Runnable>> active = new HashMap<>();

    private InstancesResolver() {
    }

    static InstancesResolver register() {
        InstancesResolver resolver = new InstancesResolver();
        NameResolverRegistry.getDefaultRegistry().register(resolver);
        return resolver;
    }

    /**
     * Makes {@code name} resolve to the DP servers of {@code instances}, in order, from now on (channels that resolved
     * it already get the new list at once, as a DNS change reaches them at their next resolution); its
     * {@code server_uri}.
     */
    String name(String name, List<CpProcess> instances) {
        List<Runnable> toUpdate;
        synchronized (this) {
            names.put(name, instances.stream().map(cp -> new InetSocketAddress("127.0.0.1", cp.dpPort)).toList());
            toUpdate = List.copyOf(active.getOrDefault(name, List.of()));
        }
        toUpdate.forEach(Runnable::run);
        return SCHEME + ":///" + name;
    }

    /**
     * A copy of a bootstrap from {@code ursactl generate grpc-bootstrap} whose xDS server is {@code serverUri}
     * instead; the channel credentials (TLS with the control planes' CA) stay.
     */
    @SuppressWarnings("unchecked")
    static Map<String, ?> withServerUri(Map<String, ?> bootstrap, String serverUri) {
        Map<String, Object> copy = new HashMap<>(bootstrap);
        List<Map<String, Object>> servers = new ArrayList<>();
        for (Map<String, Object> server : (List<Map<String, Object>>) bootstrap.get("xds_servers")) {
            Map<String, Object> changed = new HashMap<>(server);
            changed.put("server_uri", serverUri);
            servers.add(changed);
        }
        copy.put("xds_servers", servers);
        return copy;
    }

    private synchronized List<InetSocketAddress> addresses(String name) {
        return names.getOrDefault(name, List.of());
    }

    @Override
    public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
        if (!SCHEME.equals(targetUri.getScheme())) {
            return null;
        }
        String name = targetUri.getPath().replaceFirst("^/", "");
        return new NameResolver() {
            private Listener2 listener;

            @Override
            public String getServiceAuthority() {
                return "localhost";
            }

            private final Runnable again = this::resolve;

            @Override
            public void start(Listener2 listener) {
                this.listener = listener;
                synchronized (InstancesResolver.this) {
                    active.computeIfAbsent(name, n -> new ArrayList<>()).add(again);
                }
                resolve();
            }

            @Override
            public void refresh() {
                resolve();
            }

            private void resolve() {
                List<EquivalentAddressGroup> groups = new ArrayList<>();
                for (SocketAddress address : addresses(name)) {
                    groups.add(new EquivalentAddressGroup(address));
                }
                listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
            }

            @Override
            public void shutdown() {
                synchronized (InstancesResolver.this) {
                    active.getOrDefault(name, new ArrayList<>()).remove(again);
                }
            }
        };
    }

    @Override
    public String getDefaultScheme() {
        return SCHEME;
    }

    @Override
    protected boolean isAvailable() {
        return true;
    }

    @Override
    protected int priority() {
        return 1; // below dns (5): never the default scheme of a target without one
    }

    @Override
    public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
        return List.of(InetSocketAddress.class);
    }

    @Override
    public void close() {
        NameResolverRegistry.getDefaultRegistry().deregister(this);
    }
}
