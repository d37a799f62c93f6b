package io.ursa.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When a sidecar counts as accepting mesh mTLS: only once it acknowledged a Secret version sent with an identity. */
class TlsReadinessTest {
    private final TlsReadiness readiness = new TlsReadiness();
    private final ProxyKey web = new ProxyKey("payments", "web-1");

    @Test
    void aProxyIsReadyOnceItAcknowledgesTheSecretsThatCarryItsIdentity() {
        readiness.sent(web, "v1", "ca-1");
        assertThat(readiness.readyBackend(web)).isEmpty();

        assertThat(readiness.acknowledged(web, "v1")).isTrue();

        assertThat(readiness.readyBackend(web)).hasValue("ca-1");
        assertThat(readiness.acknowledged(web, "v1")).as("the same again changes nothing").isFalse();
    }

    @Test
    void aVersionThisControlPlaneDidNotSendWithAnIdentityChangesNothing() {
        assertThat(readiness.acknowledged(web, "unknown")).isFalse();
        readiness.sent(web, "v1", "ca-1");
        assertThat(readiness.acknowledged(web, "v0")).isFalse();
        assertThat(readiness.readyBackend(web)).isEmpty();
    }

    @Test
    void anIdentityFromANewBackendMovesTheProxyToItOnlyWhenAcknowledged() {
        readiness.sent(web, "v1", "ca-1");
        readiness.acknowledged(web, "v1");
        readiness.sent(web, "v2", "ca-2");
        assertThat(readiness.readyBackend(web)).hasValue("ca-1");

        assertThat(readiness.acknowledged(web, "v2")).isTrue();

        assertThat(readiness.readyBackend(web)).hasValue("ca-2");
    }

    @Test
    void aProxyThatLeftIsNotReady() {
        readiness.sent(web, "v1", "ca-1");
        readiness.acknowledged(web, "v1");

        assertThat(readiness.forget(web)).isTrue();

        assertThat(readiness.readyBackend(web)).isEmpty();
        assertThat(readiness.forget(web)).isFalse();
    }
}
