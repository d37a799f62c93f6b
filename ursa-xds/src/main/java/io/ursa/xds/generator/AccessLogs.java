package io.ursa.xds.generator;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.mesh.ConfException;
import io.ursa.api.mesh.FileLoggingConfig;
import io.ursa.api.mesh.Logging;
import io.ursa.api.mesh.TcpLoggingConfig;
import io.ursa.api.policy.TrafficLogSpec;
import io.ursa.api.resource.Resource;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.envoy.Configurer;
import io.ursa.xds.envoy.Protos;
import io.ursa.xds.generator.policies.ConnectionPolicies;
import io.ursa.xds.names.EnvoyNames;
import java.util.Optional;

/**
 * The access log of the traffic from a proxy to one destination service ({@code kuma-2.0-envoy-config.md} §5.5,
 * mesh-spec §7.3, Kuma's {@code access_log_configurer.go}), applied on outbound listeners only (Kuma 2.0 logs no
 * inbound traffic): the TrafficLog selected for (this proxy, destination) like any connection policy, and the Mesh
 * logging backend it names ({@code conf.backend}, else {@code logging.defaultBackend}); none when no TrafficLog
 * matches or the backend is not in the Mesh.
 * <ul>
 *   <li>{@code file}: {@code envoy.access_loggers.file} to {@code conf.path} with the line format of
 *       {@link AccessLogFormat};</li>
 *   <li>{@code tcp}: also a file access log, to the proxy's access-log pipe
 *       ({@link EnvoyNames#accessLogPipe}), each line prefixed with {@code <conf.address>;}; the data-plane agent
 *       reads the pipe and forwards every line to its address (every Ursa agent does, so Kuma's gRPC fallback for
 *       old agents is not needed).</li>
 * </ul>
 */
final class AccessLogs {
    static final String FILE_ACCESS_LOG = "envoy.access_loggers.file";

    private AccessLogs() {
    }

    /**
     * The access log of the traffic from {@code proxy} to {@code destination} on a listener of {@code direction}
     * that handles it as {@code kind}; empty when there is none.
     *
     * @throws IllegalArgumentException when the backend's conf is not usable (validation keeps this from happening)
     */
    static Optional<AccessLog> of(ProxyContext proxy, String destination, TrafficDirection direction,
                                  AccessLogFormat.Kind kind) {
        return of(proxy, destination, destination, direction, kind);
    }

    /**
     * Like {@link #of(ProxyContext, String, TrafficDirection, AccessLogFormat.Kind)}, for traffic whose TrafficLog
     * is selected by one destination name and logged under another (the outbound catch-all: selected as
     * {@code pass_through}, logged as {@code external}, as Kuma does).
     */
    static Optional<AccessLog> of(ProxyContext proxy, String selectedAs, String destination,
                                  TrafficDirection direction, AccessLogFormat.Kind kind) {
        requireNonNull(selectedAs, "selectedAs");
        requireNonNull(destination, "destination");
        Optional<Resource<TrafficLogSpec>> log = ConnectionPolicies.trafficLog(proxy, selectedAs);
        if (log.isEmpty()) {
            return Optional.empty();
        }
        TrafficLogSpec.Conf conf = log.get().spec().conf();
        Optional<Logging.Backend> backend = proxy.meshSpec().loggingBackend(conf == null ? "" : conf.backend());
        if (backend.isEmpty()) {
            return Optional.empty();
        }
        DataplaneSpec.Networking networking = proxy.spec().networking();
        AccessLogFormat.Placeholders placeholders = new AccessLogFormat.Placeholders(proxy.mesh().name(),
                IdentifyingService.of(proxy.spec()), destination, networking == null ? "" : networking.ip(),
                direction.name());
        String format = AccessLogFormat.render(backend.get().format(), kind, placeholders);
        return Optional.of(fileAccessLog(proxy, backend.get(), format));
    }

    /** The HTTP connection manager's {@code accessLog}; does nothing without one. */
    static Configurer<HttpConnectionManager.Builder> http(Optional<AccessLog> log) {
        return hcm -> log.ifPresent(hcm::addAccessLog);
    }

    /** The tcp_proxy's {@code accessLog}; does nothing without one. */
    static Configurer<TcpProxy.Builder> tcp(Optional<AccessLog> log) {
        return tcp -> log.ifPresent(tcp::addAccessLog);
    }

    private static AccessLog fileAccessLog(ProxyContext proxy, Logging.Backend backend, String format) {
        String path;
        String line;
        try {
            switch (backend.type()) {
                case Logging.FILE -> {
                    path = FileLoggingConfig.parse(backend.conf()).path();
                    line = format;
                }
                case Logging.TCP -> {
                    path = EnvoyNames.accessLogPipe(proxy.dataplane().name(), proxy.mesh().name());
                    line = TcpLoggingConfig.parse(backend.conf()).address() + ";" + format;
                }
                default -> throw new IllegalArgumentException("invalid type of logging backend " + backend.name()
                        + ": \"" + backend.type() + "\" (expected: file or tcp)");
            }
        } catch (ConfException e) {
            throw new IllegalArgumentException("invalid conf of logging backend " + backend.name() + ": "
                    + e.getMessage(), e);
        }
        FileAccessLog config = FileAccessLog.newBuilder()
                .setPath(path)
                .setLogFormat(SubstitutionFormatString.newBuilder()
                        .setTextFormatSource(DataSource.newBuilder().setInlineString(line)))
                .build();
        return AccessLog.newBuilder().setName(FILE_ACCESS_LOG).setTypedConfig(Protos.pack(config)).build();
    }
}
