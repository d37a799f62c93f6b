package io.ursa.ca;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.mesh.KumaDuration;
import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.mesh.Mtls;
import io.ursa.core.ca.CaBackendContext;
import io.ursa.core.ca.CaKeyPair;
import io.ursa.core.ca.CaPlugin;
import io.ursa.core.ca.CaUnavailableException;
import io.ursa.core.ca.SecretAccess;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Finds the CA of a mesh whose mTLS is on ({@link MeshCa}): the enabled backend's plugin reads its key pair (the
 * builtin CA's Secrets, the provided CA's data sources), and the CA certificate gives the trust bundle, fingerprint
 * and expiry. Stateless apart from its plugins and Secret access; thread-safe when they are.
 */
public final class MeshCertificateAuthorities {
    /** {@code dpCert.rotation.expiration} when unset (Kuma's default). */
    public static final Duration DEFAULT_CERTIFICATE_LIFETIME = Duration.ofHours(24);

    private final Map<String, CaPlugin> plugins;
    private final SecretAccess secrets;

    public MeshCertificateAuthorities(List<CaPlugin> plugins, SecretAccess secrets) {
        this.plugins = requireNonNull(plugins, "plugins").stream()
                .collect(Collectors.toUnmodifiableMap(CaPlugin::type, Function.identity()));
        this.secrets = requireNonNull(secrets, "secrets");
    }

    /**
     * The CA of {@code mesh}, or empty when its mTLS is off.
     *
     * @throws CaUnavailableException when the enabled backend's material cannot be read or does not parse
     */
    public Optional<MeshCa> enabled(String mesh, MeshSpec spec) throws CaUnavailableException {
        requireNonNull(mesh, "mesh");
        requireNonNull(spec, "spec");
        if (!spec.mtlsEnabled()) {
            return Optional.empty();
        }
        Mtls.Backend backend = spec.enabledMtlsBackend().orElseThrow(() -> new CaUnavailableException(
                "mesh " + mesh + " enables CA backend " + spec.mtls().enabledBackend() + ", which it does not list"));
        CaPlugin plugin = plugins.get(backend.type());
        if (plugin == null) {
            throw new CaUnavailableException("mesh " + mesh + " enables CA backend " + backend.name()
                    + " of type " + backend.type() + ", for which no plugin is installed");
        }
        ObjectNode conf = backend.conf() == null ? JsonNodeFactory.instance.objectNode() : backend.conf();
        CaKeyPair signer = plugin.keyPair(new CaBackendContext(mesh, backend.name(), backend.type(), conf, secrets));
        TlsKeyPair pair;
        X509Certificate certificate;
        try {
            pair = TlsKeyPair.parse(signer.certificateChainPem(), signer.keyPem());
            certificate = TlsKeyPair.parseCertificate(pair.chain().get(0));
        } catch (TlsKeyPair.KeyPairException | CertificateException e) {
            throw new CaUnavailableException("the CA " + backend.name() + " of mesh " + mesh + " does not parse: "
                    + e.getMessage(), e);
        }
        return Optional.of(new MeshCa(mesh, backend.name(), backend.type(), backend.mode(), signer,
                pem(pair.chain()), fingerprint(pair.chain().get(0)), certificate.getNotAfter().toInstant(),
                certificateLifetime(backend)));
    }

    /** {@code dpCert.rotation.expiration}, or 24h when it is unset or not a positive duration. */
    static Duration certificateLifetime(Mtls.Backend backend) {
        return Optional.ofNullable(backend.dpCert())
                .map(Mtls.DpCert::rotation)
                .map(Mtls.Rotation::expiration)
                .filter(text -> !text.isEmpty())
                .flatMap(KumaDuration::parse)
                .filter(d -> !d.isNegative() && !d.isZero())
                .orElse(DEFAULT_CERTIFICATE_LIFETIME);
    }

    /** SHA-256 of {@code der} as {@code AB:CD:...}. */
    public static String fingerprint(byte[] der) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(der);
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String pem(List<byte[]> chain) {
        Base64.Encoder encoder = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        StringBuilder text = new StringBuilder();
        for (byte[] der : chain) {
            text.append("-----BEGIN CERTIFICATE-----\n").append(encoder.encodeToString(der))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return text.toString();
    }
}
