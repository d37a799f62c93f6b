package io.ursa.cp;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ursa.api.mesh.KumaDuration;
import io.ursa.apiserver.DataplaneInspector;
import io.ursa.ca.DataplaneCertificateIssuer;
import io.ursa.core.manager.ResourceManager;
import io.ursa.cp.config.CpConfig;
import io.ursa.xds.server.DpTransport;
import io.ursa.xds.server.HttpTimeouts;
import io.ursa.xds.server.ProxyAuthenticator;
import io.ursa.xds.server.XdsServer;
import io.ursa.xds.bootstrap.AdsProtocol;
import io.ursa.xds.server.XdsServerConfig;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * How the configuration becomes the xDS server's settings and its proxy authenticator, and how the xDS server is
 * seen by the API and the metrics.
 */
final class XdsWiring {
    private XdsWiring() {
    }

    static XdsServerConfig config(CpConfig config, DpTransport transport) {
        CpConfig.DpServer dp = config.dpServer();
        String xdsHost = config.bootstrapServer().params().xdsHost();
        return new XdsServerConfig(dp.iface(), dp.port(),
                xdsHost == null || xdsHost.isBlank() ? Optional.empty() : Optional.of(xdsHost.strip()),
                dp.auth().type() == CpConfig.DpServer.AuthType.none
                        ? XdsServerConfig.Auth.NONE : XdsServerConfig.Auth.DP_TOKEN,
                config.bootstrapServer().params().adminPort(),
                duration("xdsServer.dataplaneDeregistrationDelay",
                        config.xdsServer().dataplaneDeregistrationDelay()),
                duration("xdsServer.resyncInterval", config.xdsServer().resyncInterval()),
                duration("xdsServer.nackBackoff", config.xdsServer().nackBackoff()),
                config.ca().dataplaneKeyType() == CpConfig.Ca.DataplaneKeyType.rsa
                        ? DataplaneCertificateIssuer.KeyType.RSA_2048 : DataplaneCertificateIssuer.KeyType.ECDSA_P256,
                generationThreads(config.xdsServer().generationThreads()),
                transport, httpTimeouts(config.general().http()), maxStreamsPerClient(dp.maxStreamsPerClient()),
                config.bootstrapServer().params().xdsProtocol() == CpConfig.BootstrapServer.XdsProtocol.delta
                        ? AdsProtocol.DELTA : AdsProtocol.SOTW);
    }

    static HttpTimeouts httpTimeouts(CpConfig.General.Http http) {
        return new HttpTimeouts(positive("general.http.headerTimeout", http.headerTimeout()),
                positive("general.http.bodyTimeout", http.bodyTimeout()),
                positive("general.http.idleTimeout", http.idleTimeout()));
    }

    private static int maxStreamsPerClient(int configured) {
        if (configured < 0) {
            throw new IllegalArgumentException("invalid dpServer.maxStreamsPerClient: " + configured
                    + " (expected: 0 for no limit, or a positive number of streams)");
        }
        return configured;
    }

    private static Duration positive(String key, String text) {
        Duration value = duration(key, text);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException("invalid " + key + ": \"" + text + "\" (expected: a positive duration"
                    + " such as 10s)");
        }
        return value;
    }

    private static int generationThreads(int configured) {
        if (configured < 0) {
            throw new IllegalArgumentException("invalid xdsServer.generationThreads: " + configured
                    + " (expected: 0 for one per core, or a positive number of threads)");
        }
        return configured == 0 ? Runtime.getRuntime().availableProcessors() : configured;
    }

    static ProxyAuthenticator authenticator(CpConfig config, ResourceManager manager) {
        return switch (config.dpServer().auth().type()) {
            case none -> ProxyAuthenticator.none();
            case dpToken -> DataplaneTokenAuthenticator.create(manager);
        };
    }

    static void bindMetrics(MeterRegistry registry, XdsServer xds) {
        Gauge.builder("ursa_xds_streams", xds, XdsServer::connectedProxies)
                .description("open ADS streams (connected proxies)")
                .register(registry);
        Gauge.builder("ursa_proxy_keys_ready", xds, x -> x.proxyKeys().ready())
                .description("keys for proxy certificates generated ahead and ready")
                .register(registry);
        Gauge.builder("ursa_proxy_keys_wanted", xds, x -> x.proxyKeys().wanted())
                .description("keys for proxy certificates to keep ready: connected proxies of meshes with a CA")
                .register(registry);
        FunctionCounter.builder("ursa_proxy_keys_generated_on_demand", xds, x -> x.proxyKeys().takenGenerated())
                .description("proxy certificates that waited for their key because none was ready")
                .register(registry);
    }

    /** The API's view into the xDS server: the configuration served to a proxy, the policies that match it. */
    static DataplaneInspector inspector(XdsServer xds) {
        return new DataplaneInspector() {
            @Override
            public Optional<JsonNode> servedConfig(String mesh, String name) {
                return xds.servedConfig(mesh, name);
            }

            @Override
            public Optional<JsonNode> matchedPolicies(String mesh, String name) {
                return xds.matchedPolicies(mesh, name);
            }

            @Override
            public Map<String, JsonNode> matchedPolicies(String mesh, Collection<String> names) {
                return xds.matchedPolicies(mesh, names);
            }

            @Override
            public Optional<JsonNode> gatewayDataplanes(String mesh, String name) {
                return xds.gatewayDataplanes(mesh, name);
            }

            @Override
            public Optional<JsonNode> gatewayRouteDataplanes(String mesh, String name) {
                return xds.gatewayRouteDataplanes(mesh, name);
            }
        };
    }

    private static Duration duration(String key, String text) {
        return KumaDuration.parse(text == null ? "" : text.strip()).orElseThrow(() ->
                new IllegalArgumentException("invalid " + key + ": \"" + text + "\" (expected: a duration such as"
                        + " 10s or 1m30s)"));
    }
}
