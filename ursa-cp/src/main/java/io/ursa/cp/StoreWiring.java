package io.ursa.cp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.mesh.KumaDuration;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.cluster.Cluster;
import io.ursa.core.cluster.LocalHost;
import io.ursa.core.cluster.MemoryProxyConnections;
import io.ursa.core.cluster.ProxyConnections;
import io.ursa.core.cluster.SingleInstanceCluster;
import io.ursa.core.config.ConfigException;
import io.ursa.core.store.MemoryResourceStore;
import io.ursa.core.store.ResourceStore;
import io.ursa.cp.config.CpConfig;
import io.ursa.store.jdbc.EmbeddedResourceStore;
import io.ursa.store.jdbc.PostgresCluster;
import io.ursa.store.jdbc.PostgresProxyConnections;
import io.ursa.store.jdbc.PostgresResourceStore;
import io.ursa.store.jdbc.PostgresSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store the configuration names ({@code store.type}), its PostgreSQL settings checked with the keys' names in
 * the messages, and the configuration as {@code /config} shows it: with the database password masked.
 */
final class StoreWiring {
    private static final Logger log = LoggerFactory.getLogger(StoreWiring.class);
    static final String MASK = "***";

    private StoreWiring() {
    }

    /** Opens the configured store; {@code instanceId} tells this control plane's notifications from others'. */
    static ResourceStore open(CpConfig.Store store, ResourceTypes types, String instanceId) {
        return switch (store.type()) {
            case memory -> {
                log.warn("store type is memory: nothing survives a restart");
                yield new MemoryResourceStore();
            }
            case embedded -> EmbeddedResourceStore.open(Path.of(store.embedded().dir()), types, Clock.systemUTC());
            case postgres -> PostgresResourceStore.open(postgres(store.postgres()), types, instanceId);
        };
    }

    /**
     * The control planes that share {@code store}: on PostgreSQL, every instance on the database, with a leader
     * elected among them; otherwise this instance alone, always the leader (the embedded store's directory lock
     * and the memory store keep others out).
     */
    static Cluster cluster(CpConfig.Store store, String instanceId) {
        return switch (store.type()) {
            case memory, embedded -> new SingleInstanceCluster(instanceId, LocalHost.name(), Version.current(),
                    Clock.systemUTC());
            case postgres -> PostgresCluster.join(postgres(store.postgres()), instanceId, LocalHost.name(),
                    Version.current(), PostgresCluster.Timings.DEFAULT, Clock.systemUTC());
        };
    }

    /**
     * The record of which instance each proxy is connected to: in the PostgreSQL database the instances share, or
     * in this process when it holds its store alone.
     */
    static ProxyConnections proxyConnections(ResourceStore store, ResourceTypes types) {
        if (store instanceof PostgresResourceStore postgres) {
            return PostgresProxyConnections.of(postgres, types, Clock.systemUTC());
        }
        return new MemoryProxyConnections(Clock.systemUTC());
    }

    /**
     * The settings of {@code store.postgres}.
     *
     * @throws ConfigException naming every bad key
     */
    static PostgresSettings postgres(CpConfig.Store.Postgres config) {
        PostgresSettings.TlsMode tlsMode = Arrays.stream(PostgresSettings.TlsMode.values())
                .filter(m -> m.name().equals(config.tlsMode())).findFirst()
                .orElseThrow(() -> new ConfigException("invalid store.postgres.tlsMode: \"" + config.tlsMode()
                        + "\" (expected: " + Arrays.stream(PostgresSettings.TlsMode.values()).map(Enum::name)
                        .collect(Collectors.joining(", ")) + ")"));
        Duration timeout = connectionTimeout(config.connectionTimeout());
        try {
            return new PostgresSettings(config.host(), config.port(), config.user(), config.password(),
                    config.dbName(), tlsMode, config.tlsCertPath(), config.tlsKeyPath(), config.tlsCaPath(),
                    config.maxOpenConnections(), timeout);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid store.postgres: " + e.getMessage(), e);
        }
    }

    /** A duration such as {@code 5s}, or a number of seconds as Kuma's {@code connectionTimeout} is. */
    private static Duration connectionTimeout(String text) {
        String value = text == null ? "" : text.strip();
        if (value.matches("[0-9]{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        return KumaDuration.parse(value).orElseThrow(() -> new ConfigException(
                "invalid store.postgres.connectionTimeout: \"" + text + "\" (expected: a duration such as 5s, or a"
                        + " number of seconds)"));
    }

    /** A copy of the configuration tree with the secrets masked, for {@code /config}. */
    static ObjectNode masked(ObjectNode tree) {
        ObjectNode copy = tree.deepCopy();
        if (copy.at("/store/postgres/password").isTextual() && !copy.at("/store/postgres/password").asText().isEmpty()) {
            ((ObjectNode) copy.at("/store/postgres")).put("password", MASK);
        }
        return copy;
    }
}
