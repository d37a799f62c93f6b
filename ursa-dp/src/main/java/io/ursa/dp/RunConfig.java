package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Everything {@code run} needs, checked: built from the flags and environment by {@link RunCommand}. */
record RunConfig(ControlPlane controlPlane, Proxy proxy, Envoy envoy, Dns dns) {
    RunConfig {
        requireNonNull(controlPlane, "controlPlane");
        requireNonNull(proxy, "proxy");
        requireNonNull(envoy, "envoy");
        requireNonNull(dns, "dns");
    }

    /** Where the DP servers are (one or several instances), how to trust them, and how to retry them. */
    record ControlPlane(ControlPlanes addresses, RetryPolicy retry) {
        ControlPlane {
            requireNonNull(addresses, "addresses");
            requireNonNull(retry, "retry");
        }

        /** The first instance given. */
        ControlPlaneAddress address() {
            return addresses.first();
        }
    }

    /** Which proxy this is; {@code mesh} is empty for zone ingress and egress. */
    record Proxy(ProxyType type, String mesh, String name, Optional<DataplaneDefinition> definition,
                 DataplaneToken token, long maxMemoryBytes) {
        Proxy {
            requireNonNull(type, "type");
            requireNonNull(mesh, "mesh");
            requireNonNull(name, "name");
            requireNonNull(definition, "definition");
            requireNonNull(token, "token");
        }
    }

    /** How Envoy runs; without {@code configDir} a temporary directory is used and removed at exit. */
    record Envoy(Path binary, Optional<Path> configDir, Duration drainTime, int concurrency, String logLevel,
                 RestartPolicy restart, Optional<String> xdsProtocol) {
        Envoy {
            requireNonNull(xdsProtocol, "xdsProtocol");
            requireNonNull(binary, "binary");
            requireNonNull(configDir, "configDir");
            requireNonNull(drainTime, "drainTime");
            requireNonNull(logLevel, "logLevel");
            requireNonNull(restart, "restart");
        }
    }

    /**
     * The DNS of transparent proxying (kuma-dp's {@code --dns-*}, spec §10.1).
     *
     * @param enabled       whether the agent runs its DNS server and sends the DNS ports in the bootstrap request
     * @param serverPort    where the DNS server listens on 127.0.0.1 ({@code --dns-coredns-port}, iptables sends
     *                      DNS queries there)
     * @param envoyPort     the port of Envoy's DNS filter ({@code --dns-envoy-port}, sent as {@code dnsPort})
     * @param emptyPort     the port Envoy's DNS filter falls back to ({@code --dns-coredns-empty-port}, sent as
     *                      {@code emptyDnsPort})
     * @param upstreams     where other names go; empty means the name servers of /etc/resolv.conf
     * @param tableBackoff  how long to wait before opening the DNS table stream again
     */
    record Dns(boolean enabled, int serverPort, int envoyPort, int emptyPort, List<InetSocketAddress> upstreams,
               Backoff tableBackoff) {
        static final Dns DISABLED = new Dns(false, 15053, 15054, 15055, List.of(), Backoff.DEFAULT);

        Dns {
            upstreams = List.copyOf(requireNonNull(upstreams, "upstreams"));
            requireNonNull(tableBackoff, "tableBackoff");
        }
    }
}
