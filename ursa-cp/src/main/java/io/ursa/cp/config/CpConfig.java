package io.ursa.cp.config;

import java.util.List;

/**
 * The control plane's configuration, bound from {@code defaults.yaml}, an optional file and {@code URSA_*}
 * environment variables. The YAML file is the single source of defaults; {@code CpConfigTest} keeps the two in
 * step.
 */
public record CpConfig(Logging logging, Store store, ApiServer apiServer, Diagnostics diagnostics, DpServer dpServer,
                       Defaults defaults) {

    public record Logging(String level) {
    }

    public enum StoreType {
        embedded,
        memory
    }

    public record Store(StoreType type, Embedded embedded) {
        public record Embedded(String dir) {
        }
    }

    public record ApiServer(Http http, boolean readOnly, long maxBodyBytes, List<String> corsAllowedOrigins,
                            Auth auth) {
        public record Http(String iface, int port) {
            @com.fasterxml.jackson.annotation.JsonCreator
            public Http(@com.fasterxml.jackson.annotation.JsonProperty("interface") String iface,
                        @com.fasterxml.jackson.annotation.JsonProperty("port") int port) {
                this.iface = iface;
                this.port = port;
            }
        }

        public record Auth(boolean localhostIsAdmin) {
        }
    }

    public record Diagnostics(int serverPort) {
    }

    public record DpServer(int port) {
    }

    public record Defaults(boolean skipMeshCreation) {
    }
}
