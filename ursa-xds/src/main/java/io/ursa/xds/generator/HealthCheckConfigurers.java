package io.ursa.xds.generator;

import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.HealthCheck;
import io.envoyproxy.envoy.type.v3.CodecClientType;
import io.envoyproxy.envoy.type.v3.Int64Range;
import io.envoyproxy.envoy.type.v3.Percent;
import io.ursa.api.policy.HealthCheckSpec;
import io.ursa.api.spec.Base64Bytes;
import io.ursa.api.spec.ProtoDuration;
import io.ursa.xds.envoy.Configurer;
import io.ursa.xds.envoy.Protos;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Active health checks of an outbound cluster from the HealthCheck that matches (proxy, service), as Kuma 2.0's
 * {@code health_check_configurer.go} (envoy-config §6.4): the common fields on every check (thresholds always),
 * a TCP check (payloads in hex), an HTTP check (statuses as [s, s+1) ranges; HTTP/2 codec only for an http2
 * service), both, or a bare TCP check when the policy names neither; {@code healthyPanicThreshold} and
 * {@code failTrafficOnPanic} on the cluster's {@code commonLbConfig}.
 */
final class HealthCheckConfigurers {
    private HealthCheckConfigurers() {
    }

    @SuppressWarnings("deprecation") // event_log_path and HeaderValueOption.append: what Kuma 2.0 writes
    static Configurer<Cluster.Builder> of(Optional<HealthCheckSpec.Conf> selected, ServiceProtocol protocol) {
        if (selected.isEmpty()) {
            return cluster -> { };
        }
        HealthCheckSpec.Conf conf = selected.get();
        HealthCheck.Builder common = HealthCheck.newBuilder()
                .setUnhealthyThreshold(UInt32Value.of(conf.unhealthyThreshold()))
                .setHealthyThreshold(UInt32Value.of(conf.healthyThreshold()));
        duration(conf.interval(), d -> common.setInterval(Protos.duration(d.value())));
        duration(conf.timeout(), d -> common.setTimeout(Protos.duration(d.value())));
        duration(conf.initialJitter(), d -> common.setInitialJitter(Protos.duration(d.value())));
        duration(conf.intervalJitter(), d -> common.setIntervalJitter(Protos.duration(d.value())));
        duration(conf.noTrafficInterval(), d -> common.setNoTrafficInterval(Protos.duration(d.value())));
        if (conf.intervalJitterPercent() > 0) {
            common.setIntervalJitterPercent(conf.intervalJitterPercent());
        }
        if (!conf.eventLogPath().isEmpty()) {
            common.setEventLogPath(conf.eventLogPath());
        }
        if (conf.alwaysLogHealthCheckFailures() != null) {
            common.setAlwaysLogHealthCheckFailures(conf.alwaysLogHealthCheckFailures());
        }
        if (conf.reuseConnection() != null) {
            common.setReuseConnection(BoolValue.of(conf.reuseConnection()));
        }
        return cluster -> {
            if (conf.tcp() == null && conf.http() == null) {
                cluster.addHealthChecks(common.clone().setTcpHealthCheck(HealthCheck.TcpHealthCheck.newBuilder()));
            }
            if (conf.tcp() != null) {
                HealthCheck.TcpHealthCheck.Builder tcp = HealthCheck.TcpHealthCheck.newBuilder();
                if (conf.tcp().send() != null && !conf.tcp().send().isEmpty()) {
                    tcp.setSend(payload(conf.tcp().send()));
                }
                conf.tcp().receive().stream().filter(r -> r != null && !r.isEmpty())
                        .forEach(r -> tcp.addReceive(payload(r)));
                cluster.addHealthChecks(common.clone().setTcpHealthCheck(tcp));
            }
            if (conf.http() != null) {
                HealthCheck.HttpHealthCheck.Builder http = HealthCheck.HttpHealthCheck.newBuilder()
                        .setPath(conf.http().path());
                for (HealthCheckSpec.HeaderValueOption header : conf.http().requestHeadersToAdd()) {
                    if (header == null || header.header() == null) {
                        continue;
                    }
                    HeaderValueOption.Builder option = HeaderValueOption.newBuilder().setHeader(HeaderValue.newBuilder()
                            .setKey(header.header().key()).setValue(header.header().value()));
                    if (header.append() != null) {
                        option.setAppend(BoolValue.of(header.append()));
                    }
                    http.addRequestHeadersToAdd(option);
                }
                conf.http().expectedStatuses().forEach(status ->
                        http.addExpectedStatuses(Int64Range.newBuilder().setStart(status).setEnd(status + 1L)));
                if (protocol == ServiceProtocol.HTTP2) {
                    http.setCodecClientType(CodecClientType.HTTP2);
                }
                cluster.addHealthChecks(common.clone().setHttpHealthCheck(http));
            }
            if (conf.healthyPanicThreshold() != null) {
                cluster.getCommonLbConfigBuilder()
                        .setHealthyPanicThreshold(Percent.newBuilder().setValue(conf.healthyPanicThreshold()));
            }
            if (conf.failTrafficOnPanic() != null) {
                cluster.getCommonLbConfigBuilder().getZoneAwareLbConfigBuilder()
                        .setFailTrafficOnPanic(conf.failTrafficOnPanic());
            }
        };
    }

    private static void duration(ProtoDuration value, Consumer<ProtoDuration> set) {
        if (value != null) {
            set.accept(value);
        }
    }

    private static HealthCheck.Payload payload(Base64Bytes bytes) {
        return HealthCheck.Payload.newBuilder().setText(HexFormat.of().formatHex(bytes.bytes())).build();
    }
}
