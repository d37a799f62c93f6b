package io.ursa.cp.config;

import java.util.List;

/**
 * The control plane's configuration, bound from {@code defaults.yaml}, an optional file and {@code URSA_*}
 * environment variables. The YAML file is the single source of defaults; {@code CpConfigTest} keeps the two in
 * step.
 */
public record CpConfig(General general, Logging logging, Store store, ApiServer apiServer, Diagnostics diagnostics,
                       DpServer dpServer, BootstrapServer bootstrapServer, XdsServer xdsServer, Ca ca,
                       Defaults defaults) {

    /**
     * Settings of every server: the TLS certificate (files, or empty for the control plane's own), the extra names
     * of the control plane's own certificate, the lowest TLS version, and HTTP timeouts (Kuma's durations:
     * {@code 10s}, {@code 1m}).
     */
    public record General(String tlsCertFile, String tlsKeyFile, List<String> tlsSubjectAltNames,
                          TlsVersion tlsMinVersion, Http http) {
        public enum TlsVersion {
            TLSv1_2,
            TLSv1_3
        }

        public record Http(String headerTimeout, String bodyTimeout, String idleTimeout) {
        }
    }

    public record Logging(String level) {
    }

    public enum StoreType {
        embedded,
        memory,
        postgres
    }

    public record Store(StoreType type, Embedded embedded, Postgres postgres) {
        public record Embedded(String dir) {
        }

        /**
         * Kuma's {@code store.postgres}: {@code tlsMode} is disable, verifyNone, verifyCa or verifyFull;
         * {@code connectionTimeout} a duration ({@code 5s}) or, as in Kuma, a number of seconds. The password never
         * appears in {@link #toString}.
         */
        public record Postgres(String host, int port, String user, String password, String dbName, String tlsMode,
                               String tlsCertPath, String tlsKeyPath, String tlsCaPath, int maxOpenConnections,
                               String connectionTimeout) {
            @Override
            public String toString() {
                return "Postgres[host=" + host + ", port=" + port + ", user=" + user + ", password="
                        + (password == null || password.isEmpty() ? "" : "***") + ", dbName=" + dbName + ", tlsMode="
                        + tlsMode + ", tlsCertPath=" + tlsCertPath + ", tlsKeyPath=" + tlsKeyPath + ", tlsCaPath="
                        + tlsCaPath + ", maxOpenConnections=" + maxOpenConnections + ", connectionTimeout="
                        + connectionTimeout + "]";
            }
        }
    }

    public record ApiServer(Http http, Https https, boolean readOnly, long maxBodyBytes,
                            List<String> corsAllowedDomains, Authn authn) {
        public record Http(boolean enabled, String iface, int port) {
            @com.fasterxml.jackson.annotation.JsonCreator
            public Http(@com.fasterxml.jackson.annotation.JsonProperty("enabled") boolean enabled,
                        @com.fasterxml.jackson.annotation.JsonProperty("interface") String iface,
                        @com.fasterxml.jackson.annotation.JsonProperty("port") int port) {
                this.enabled = enabled;
                this.iface = iface;
                this.port = port;
            }
        }

        /** Empty {@code tlsCertFile}/{@code tlsKeyFile}: the control plane's general certificate. */
        public record Https(boolean enabled, String iface, int port, String tlsCertFile, String tlsKeyFile) {
            @com.fasterxml.jackson.annotation.JsonCreator
            public Https(@com.fasterxml.jackson.annotation.JsonProperty("enabled") boolean enabled,
                         @com.fasterxml.jackson.annotation.JsonProperty("interface") String iface,
                         @com.fasterxml.jackson.annotation.JsonProperty("port") int port,
                         @com.fasterxml.jackson.annotation.JsonProperty("tlsCertFile") String tlsCertFile,
                         @com.fasterxml.jackson.annotation.JsonProperty("tlsKeyFile") String tlsKeyFile) {
                this.enabled = enabled;
                this.iface = iface;
                this.port = port;
                this.tlsCertFile = tlsCertFile;
                this.tlsKeyFile = tlsKeyFile;
            }
        }

        public enum AuthnType {
            tokens
        }

        public record Authn(AuthnType type, boolean localhostIsAdmin, Tokens tokens) {
            public record Tokens(boolean bootstrapAdminToken) {
            }
        }
    }

    public record Diagnostics(int serverPort) {
    }

    /** {@code tlsCertFile} and {@code tlsKeyFile} empty: {@code general}'s. */
    public record DpServer(String iface, int port, boolean plaintext, String tlsCertFile, String tlsKeyFile,
                           int maxStreamsPerClient, Auth auth) {
        @com.fasterxml.jackson.annotation.JsonCreator
        public DpServer(@com.fasterxml.jackson.annotation.JsonProperty("interface") String iface,
                        @com.fasterxml.jackson.annotation.JsonProperty("port") int port,
                        @com.fasterxml.jackson.annotation.JsonProperty("plaintext") boolean plaintext,
                        @com.fasterxml.jackson.annotation.JsonProperty("tlsCertFile") String tlsCertFile,
                        @com.fasterxml.jackson.annotation.JsonProperty("tlsKeyFile") String tlsKeyFile,
                        @com.fasterxml.jackson.annotation.JsonProperty("maxStreamsPerClient") int maxStreamsPerClient,
                        @com.fasterxml.jackson.annotation.JsonProperty("auth") Auth auth) {
            this.iface = iface;
            this.port = port;
            this.plaintext = plaintext;
            this.tlsCertFile = tlsCertFile;
            this.tlsKeyFile = tlsKeyFile;
            this.maxStreamsPerClient = maxStreamsPerClient;
            this.auth = auth;
        }

        public enum AuthType {
            dpToken,
            none
        }

        public record Auth(AuthType type) {
        }
    }

    public record BootstrapServer(Params params) {
        /** {@code xdsProtocol}: the ADS variant bootstraps give Envoy unless ursa-dp asks for one. */
        public record Params(int adminPort, String xdsHost, XdsProtocol xdsProtocol) {
        }

        public enum XdsProtocol {
            sotw,
            delta
        }
    }

    /**
     * Durations in Kuma's form ({@code 10s}, {@code 1m30s}); {@code generationThreads} is how many threads
     * generate proxies' configuration during a large pass (0: one per core).
     */
    public record XdsServer(String dataplaneDeregistrationDelay, String resyncInterval, String nackBackoff,
                            int generationThreads) {
    }

    /** Proxy identity certificates. */
    public record Ca(DataplaneKeyType dataplaneKeyType) {
        public enum DataplaneKeyType {
            ecdsa,
            rsa
        }
    }

    public record Defaults(boolean skipMeshCreation) {
    }
}
