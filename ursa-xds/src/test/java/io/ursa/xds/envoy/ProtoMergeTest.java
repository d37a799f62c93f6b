package io.ursa.xds.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import org.junit.jupiter.api.Test;

/** Kuma's patch semantics: proto merge, lists appended, map entries replaced, durations replaced whole. */
class ProtoMergeTest {
    @Test
    void replacesADurationWholeInsteadOfMergingItsSecondsAndNanos() {
        Cluster target = StrictEnvoyYaml.parse("connectTimeout: 10.5s", Cluster.getDefaultInstance());
        Cluster patch = StrictEnvoyYaml.parse("connectTimeout: 2s", Cluster.getDefaultInstance());

        assertThat(ProtoMerge.merge(target, patch).getConnectTimeout())
                .isEqualTo(com.google.protobuf.Duration.newBuilder().setSeconds(2).build());
    }

    @Test
    void appendsListsMergesMessagesAndKeepsWhatThePatchDoesNotSet() {
        VirtualHost target = StrictEnvoyYaml.parse("{name: web, domains: ['*'], retryPolicy: {retryOn: 5xx}}",
                VirtualHost.getDefaultInstance());
        VirtualHost patch = StrictEnvoyYaml.parse("{domains: [web.mesh], retryPolicy: {numRetries: 2}}",
                VirtualHost.getDefaultInstance());

        VirtualHost merged = ProtoMerge.merge(target, patch);

        assertThat(merged.getName()).isEqualTo("web");
        assertThat(merged.getDomainsList()).containsExactly("*", "web.mesh");
        assertThat(merged.getRetryPolicy().getRetryOn()).isEqualTo("5xx");
        assertThat(merged.getRetryPolicy().getNumRetries().getValue()).isEqualTo(2);
    }

    @Test
    void replacesMapEntriesOfTheSameKey() {
        Metadata target = StrictEnvoyYaml.parse("filterMetadata: {a: {x: 1}, b: {y: 2}}",
                Metadata.getDefaultInstance());
        Metadata patch = StrictEnvoyYaml.parse("filterMetadata: {a: {z: 3}}", Metadata.getDefaultInstance());

        Metadata merged = ProtoMerge.merge(target, patch);

        assertThat(merged.getFilterMetadataMap().get("a").getFieldsMap()).containsOnlyKeys("z");
        assertThat(merged.getFilterMetadataMap()).containsKey("b");
    }

    @Test
    void refusesToMergeAnotherType() {
        assertThatThrownBy(() -> ProtoMerge.merge(Cluster.getDefaultInstance(), VirtualHost.getDefaultInstance()))
                .hasMessage("cannot merge envoy.config.route.v3.VirtualHost into envoy.config.cluster.v3.Cluster");
    }
}
