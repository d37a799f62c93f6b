package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.testing.XdsFixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Access logs on outbound listeners (golden {@code outbound/access-logs}) and the line format Envoy gets.
 */
class AccessLogsTest {
    private static final ProxyContext PROXY =
            XdsFixtures.firstProxy(XdsFixtures.TESTDATA.resolve("outbound/access-logs.input.yaml"));
    private static final ResourceSet OUTBOUNDS = new OutboundGenerator().generate(PROXY);
    private static final AccessLogFormat.Placeholders WEB_TO_API =
            new AccessLogFormat.Placeholders("default", "web", "api", "10.0.0.1", "OUTBOUND");

    @Test
    void httpOutboundLogsToTheDefaultFileBackendInKumasHttpFormat() {
        HttpConnectionManager hcm = filter("outbound:127.0.0.1:10001", HttpConnectionManager.class);

        FileAccessLog log = onlyFileLog(hcm.getAccessLogList());
        assertThat(log.getPath()).isEqualTo("/var/log/envoy/access.log");
        assertThat(log.getLogFormat().getTextFormatSource().getInlineString()).isEqualTo(
                "[%START_TIME%] default \"%REQ(:method)% %REQ(x-envoy-original-path?:path)% %PROTOCOL%\" "
                        + "%RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% "
                        + "%RESP(x-envoy-upstream-service-time)% \"%REQ(x-forwarded-for)%\" \"%REQ(user-agent)%\" "
                        + "\"%REQ(x-b3-traceid?x-datadog-traceid)%\" \"%REQ(x-request-id)%\" \"%REQ(:authority)%\" "
                        + "\"web\" \"api\" \"10.0.0.1\" \"%UPSTREAM_HOST%\"\n");
    }

    @Test
    void tcpBackendWritesToTheProxysPipeWithTheAddressPrefixAndPlaceholdersAreSubstituted() {
        TcpProxy tcp = filter("outbound:127.0.0.1:10002", TcpProxy.class);

        FileAccessLog log = onlyFileLog(tcp.getAccessLogList());
        assertThat(log.getPath()).isEqualTo("/tmp/kuma-al-web-1-default.sock");
        assertThat(log.getLogFormat().getTextFormatSource().getInlineString()).isEqualTo(
                "logstash.logging:5000;10.0.0.1:0 OUTBOUND default %REQ(x-request-id?:authority):16% "
                        + "web->backend %DURATION%ms\n");
    }

    @Test
    void noAccessLogWithoutATrafficLogOrWithABackendTheMeshDoesNotHave() {
        assertThat(filter("outbound:127.0.0.1:10003", TcpProxy.class).getAccessLogList()).isEmpty();
        assertThat(filter("outbound:127.0.0.1:10004", TcpProxy.class).getAccessLogList()).isEmpty();
    }

    @Test
    void outboundCatchAllLogsPassThroughTrafficAndTheInboundCatchAllDoesNot() throws InvalidProtocolBufferException {
        ResourceSet passthrough = new TransparentProxyGenerator().generate(XdsFixtures.firstProxy(
                XdsFixtures.TESTDATA.resolve("transparent-proxy/access-log.input.yaml")));

        TcpProxy outbound = passthrough.get(Listener.class, "outbound:passthrough:ipv4").orElseThrow()
                .getFilterChains(0).getFilters(0).getTypedConfig().unpack(TcpProxy.class);
        TcpProxy inbound = passthrough.get(Listener.class, "inbound:passthrough:ipv4").orElseThrow()
                .getFilterChains(0).getFilters(0).getTypedConfig().unpack(TcpProxy.class);
        assertThat(onlyFileLog(outbound.getAccessLogList()).getLogFormat().getTextFormatSource().getInlineString())
                .isEqualTo("web->external UNSPECIFIED %UPSTREAM_HOST%\n");
        assertThat(inbound.getAccessLogList()).isEmpty();
    }

    @Test
    void tcpDefaultFormatNamesBothEnds() {
        assertThat(AccessLogFormat.render("", AccessLogFormat.Kind.TCP, WEB_TO_API)).isEqualTo(
                "[%START_TIME%] %RESPONSE_FLAGS% default 10.0.0.1(web)->%UPSTREAM_HOST%(api) took %DURATION%ms, "
                        + "sent %BYTES_SENT% bytes, received: %BYTES_RECEIVED% bytes\n");
    }

    @Test
    void onlyWholeOperatorsAreSubstitutedAndOtherArgumentsKeepTheirCase() {
        assertThat(AccessLogFormat.render("%BYTES_SENT%KUMA_MESH%DURATION% %START_TIME(%Y-%m-%dT%H)% "
                + "%RESP(Content-Type):10% %DYNAMIC_METADATA(Envoy.Lb:Key)%", AccessLogFormat.Kind.HTTP, WEB_TO_API))
                .isEqualTo("%BYTES_SENT%KUMA_MESH%DURATION% %START_TIME(%Y-%m-%dT%H)% %RESP(content-type):10% "
                        + "%DYNAMIC_METADATA(Envoy.Lb:Key)%\n");
    }

    @Test
    void ipv6SourceAddressIsBracketedWithItsPort() {
        AccessLogFormat.Placeholders ipv6 = new AccessLogFormat.Placeholders("m", "a", "b", "fd00::1", "UNSPECIFIED");

        assertThat(AccessLogFormat.render("%KUMA_SOURCE_ADDRESS% %KUMA_SOURCE_ADDRESS_WITHOUT_PORT% "
                + "%KUMA_TRAFFIC_DIRECTION%", AccessLogFormat.Kind.TCP, ipv6))
                .isEqualTo("[fd00::1]:0 fd00::1 UNSPECIFIED\n");
    }

    private static FileAccessLog onlyFileLog(List<AccessLog> logs) {
        assertThat(logs).hasSize(1);
        assertThat(logs.get(0).getName()).isEqualTo("envoy.access_loggers.file");
        try {
            return logs.get(0).getTypedConfig().unpack(FileAccessLog.class);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static <M extends Message> M filter(String listener, Class<M> type) {
        try {
            return OUTBOUNDS.get(Listener.class, listener).orElseThrow().getFilterChains(0).getFilters(0)
                    .getTypedConfig().unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
