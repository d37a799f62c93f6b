package io.ursa.e2e;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@link FakeEnvoy} does with the SDS secrets its listeners name, as Envoy does: asks for them over ADS; and,
 * so that a test can stand in for the listener Envoy would open, writes each one it receives next to the bootstrap
 * as PEM: {@code secret-<name>.cert.pem} and {@code .key.pem} for a certificate, {@code secret-<name>.ca.pem} for a
 * validation context (a name's {@code :} become {@code _}).
 */
final class FakeEnvoySecrets {
    static final String SECRET_TYPE = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";

    private FakeEnvoySecrets() {
    }

    /** The SDS secrets the downstream TLS contexts of {@code listeners} name, sorted. */
    static Set<String> namedBy(List<Listener> listeners) throws Exception {
        Set<String> names = new TreeSet<>();
        for (Listener listener : listeners) {
            for (FilterChain chain : listener.getFilterChainsList()) {
                TransportSocket socket = chain.getTransportSocket();
                if (!socket.hasTypedConfig() || !socket.getTypedConfig().is(DownstreamTlsContext.class)) {
                    continue;
                }
                CommonTlsContext common = socket.getTypedConfig().unpack(DownstreamTlsContext.class)
                        .getCommonTlsContext();
                common.getTlsCertificateSdsSecretConfigsList().stream().map(SdsSecretConfig::getName)
                        .forEach(names::add);
                if (common.hasValidationContextSdsSecretConfig()) {
                    names.add(common.getValidationContextSdsSecretConfig().getName());
                }
                if (common.hasCombinedValidationContext()) {
                    names.add(common.getCombinedValidationContext().getValidationContextSdsSecretConfig().getName());
                }
            }
        }
        return names;
    }

    /** Writes {@code any}, a Secret, into {@code dir}; each file is replaced whole, never seen half-written. */
    static void write(Path dir, Any any) throws Exception {
        Secret secret = any.unpack(Secret.class);
        String base = "secret-" + secret.getName().replace(':', '_');
        if (secret.hasTlsCertificate()) {
            replace(dir, base + ".cert.pem", secret.getTlsCertificate().getCertificateChain().getInlineBytes()
                    .toByteArray());
            replace(dir, base + ".key.pem", secret.getTlsCertificate().getPrivateKey().getInlineBytes()
                    .toByteArray());
        }
        if (secret.hasValidationContext()) {
            replace(dir, base + ".ca.pem", secret.getValidationContext().getTrustedCa().getInlineBytes()
                    .toByteArray());
        }
    }

    private static void replace(Path dir, String name, byte[] content) throws Exception {
        Path temporary = Files.createTempFile(dir, name, ".tmp");
        Files.write(temporary, content);
        Files.move(temporary, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }
}
