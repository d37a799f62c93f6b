package io.ursa.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.xds.context.ProxyMetadata;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Which streams of a Dataplane are open: an application and its certificate agent share a node id, so a proxy is
 * connected while either stream is, and a stream that opens while the other is open is not the proxy coming back.
 */
class ProxyRegistryTest {
    private static final ProxyKey WEB = new ProxyKey("default", "web-1");

    private final ProxyRegistry registry = new ProxyRegistry();

    @Test
    void aStreamIsAloneOnlyWhenNoOtherStreamOfItsProxyIsOpen() {
        assertThat(registry.opened(subscription(1, WEB))).as("the application's stream").isTrue();
        assertThat(registry.opened(subscription(2, WEB))).as("its certificate agent's, meanwhile").isFalse();
        assertThat(registry.opened(subscription(3, new ProxyKey("default", "web-2"))))
                .as("another proxy's").isTrue();

        registry.closed(1);
        assertThat(registry.isConnected(WEB)).as("connected through the agent's stream").isTrue();
        assertThat(registry.opened(subscription(4, WEB))).as("the application back, the agent still there")
                .isFalse();

        registry.closed(2);
        registry.closed(4);
        registry.closed(4); // a stream closes once; a second report changes nothing
        assertThat(registry.isConnected(WEB)).isFalse();
        assertThat(registry.openStreams()).isEqualTo(1);
        assertThat(registry.opened(subscription(5, WEB))).as("the application back alone").isTrue();
    }

    @Test
    void aMeshsSubscriptionsAreThoseOpenNow() {
        ProxyKey other = new ProxyKey("other", "api-1");
        ProxyKey egress = new ProxyKey("", "egress-1");
        registry.opened(subscription(1, WEB));
        registry.opened(subscription(2, WEB));
        registry.opened(subscription(3, other));
        registry.opened(subscription(4, egress));

        assertThat(registry.connectedIn("default")).extracting(Subscription::streamId)
                .containsExactlyInAnyOrder(1L, 2L);
        assertThat(registry.meshesWithProxies()).as("zone proxies belong to no mesh")
                .containsExactly("default", "other");
        assertThat(registry.zoneProxies()).extracting(Subscription::streamId).containsExactly(4L);
        assertThat(registry.streamsOf(WEB)).containsExactlyInAnyOrder(1L, 2L);

        registry.closed(1);
        registry.closed(3);
        assertThat(registry.connectedIn("default")).extracting(Subscription::streamId).containsExactly(2L);
        assertThat(registry.connectedIn("other")).isEmpty();
        assertThat(registry.meshesWithProxies()).containsExactly("default");
        assertThat(registry.streamsOf(WEB)).containsExactly(2L);
        assertThat(registry.streamsOf(other)).isEmpty();

        registry.opened(subscription(5, other));
        assertThat(registry.meshesWithProxies()).containsExactly("default", "other");
        assertThat(registry.connectedIn("other")).extracting(Subscription::streamId).containsExactly(5L);
    }

    private static Subscription subscription(long streamId, ProxyKey key) {
        return new Subscription("id-" + streamId, streamId, key, ProxyMetadata.grpc(), "cp-1", Instant.EPOCH,
                "gRPC Java", Subscription.Protocol.SOTW);
    }
}
