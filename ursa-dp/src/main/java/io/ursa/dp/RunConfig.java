package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Everything {@code run} needs, checked: built from the flags and environment by {@link RunCommand}. */
record RunConfig(ControlPlane controlPlane, Proxy proxy, Envoy envoy) {
    RunConfig {
        requireNonNull(controlPlane, "controlPlane");
        requireNonNull(proxy, "proxy");
        requireNonNull(envoy, "envoy");
    }

    /** Where the DP server is, how to trust it, and how to retry it. */
    record ControlPlane(ControlPlaneAddress address, RetryPolicy retry) {
        ControlPlane {
            requireNonNull(address, "address");
            requireNonNull(retry, "retry");
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
                 RestartPolicy restart) {
        Envoy {
            requireNonNull(binary, "binary");
            requireNonNull(configDir, "configDir");
            requireNonNull(drainTime, "drainTime");
            requireNonNull(logLevel, "logLevel");
            requireNonNull(restart, "restart");
        }
    }
}
