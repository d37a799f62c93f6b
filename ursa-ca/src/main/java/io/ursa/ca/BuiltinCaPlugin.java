package io.ursa.ca;

import static java.util.Objects.requireNonNull;

import io.ursa.api.mesh.ConfException;
import io.ursa.api.mesh.GoQuote;
import io.ursa.api.mesh.KumaDuration;
import io.ursa.api.spec.NetworkAddresses;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import io.ursa.core.ca.CaBackendContext;
import io.ursa.core.ca.CaKeyPair;
import io.ursa.core.ca.CaPlugin;
import io.ursa.core.ca.CaUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code builtin} CA: Ursa generates the mesh's root certificate and key and keeps them in two Secrets of the
 * mesh. Validation follows Kuma 2.0 ({@code pkg/plugins/ca/builtin/manager.go}): the conf must convert, and the
 * certificate Secret's name must be at most 255 characters and a lowercase DNS name in govalidator's sense
 * (which allows {@code _}); Ursa also checks {@code caCert} up front (a key size it can generate, a parsable
 * expiration), where Kuma would fail while creating the CA. {@link #ensure} creates the root CA once per backend
 * ({@link BuiltinRootCa}) and never replaces it.
 */
public final class BuiltinCaPlugin implements CaPlugin {
    /** {@code caCert.RSAbits} when unset. */
    static final int DEFAULT_RSA_BITS = 2048;
    /** Key sizes Ursa generates: below 1024 is insecure, above 8192 takes minutes to generate. */
    static final int MIN_RSA_BITS = 1024;
    static final int MAX_RSA_BITS = 8192;
    /** {@code caCert.expiration} when unset: 10 years. */
    static final Duration DEFAULT_EXPIRATION = Duration.ofDays(10 * 365);
    private static final Logger log = LoggerFactory.getLogger(BuiltinCaPlugin.class);

    private final Clock clock;

    /** A plugin whose certificates start now. */
    public BuiltinCaPlugin() {
        this(Clock.systemUTC());
    }

    public BuiltinCaPlugin(Clock clock) {
        this.clock = requireNonNull(clock, "clock");
    }
    public static final String TYPE = "builtin";
    /** Kuma's {@code MaxBackendNameLength}: the longest certificate Secret name. */
    static final int MAX_SECRET_NAME_LENGTH = 255;
    /** Kuma reports the name rule on this literal path (the manager puts {@code mtls.backends[i].conf} before it). */
    private static final Path NAME_FIELD = Path.of("mtls.backends.name");

    @Override
    public String type() {
        return TYPE;
    }

    /** The Secret holding the root certificate (PEM) of {@code backend} in {@code mesh}. */
    public static String certSecretName(String mesh, String backend) {
        return mesh + ".ca-builtin-cert-" + backend;
    }

    /** The Secret holding the root key (PEM, PKCS#1) of {@code backend} in {@code mesh}. */
    public static String keySecretName(String mesh, String backend) {
        return mesh + ".ca-builtin-key-" + backend;
    }

    private static Optional<Duration> expiration(BuiltinCaConfig config) {
        return config.expiration().isEmpty() ? Optional.empty()
                : KumaDuration.parse(config.expiration()).filter(d -> !d.isNegative() && !d.isZero());
    }

    /** The two Secrets the backend keeps its root certificate and key in. */
    @Override
    public Set<String> usedSecrets(CaBackendContext context) {
        return Set.of(certSecretName(context.mesh(), context.backendName()),
                keySecretName(context.mesh(), context.backendName()));
    }

    /** Creates the backend's root certificate and key Secrets unless the certificate exists (it is never rotated). */
    @Override
    public void ensure(CaBackendContext context) {
        String certName = certSecretName(context.mesh(), context.backendName());
        if (context.secrets().read(context.mesh(), certName).isPresent()) {
            return;
        }
        BuiltinCaConfig config;
        try {
            config = BuiltinCaConfig.parse(context.conf());
        } catch (ConfException e) {
            throw new IllegalStateException("invalid conf of builtin CA " + context.backendName() + ": "
                    + e.getMessage(), e);
        }
        int bits = config.rsaBits().map(Long::intValue).orElse(DEFAULT_RSA_BITS);
        Duration validity = expiration(config).orElse(DEFAULT_EXPIRATION);
        BuiltinRootCa ca = BuiltinRootCa.create(context.mesh(), bits, validity, clock.instant());
        // The key first: a certificate is only ever stored with its key already in place.
        context.secrets().createIfAbsent(context.mesh(), keySecretName(context.mesh(), context.backendName()),
                ca.keyPem());
        if (context.secrets().createIfAbsent(context.mesh(), certName, ca.certificatePem())) {
            context.secrets().afterWritten(() -> log.info("created the builtin CA of mesh {} (backend {}, RSA {} "
                    + "bits, valid for {})", context.mesh(), context.backendName(), bits, validity));
        }
    }

    /** The root certificate and key from the backend's two Secrets. */
    @Override
    public CaKeyPair keyPair(CaBackendContext context) throws CaUnavailableException {
        String certName = certSecretName(context.mesh(), context.backendName());
        String keyName = keySecretName(context.mesh(), context.backendName());
        byte[] cert = context.secrets().read(context.mesh(), certName).orElseThrow(() -> missing(context, certName));
        byte[] key = context.secrets().read(context.mesh(), keyName).orElseThrow(() -> missing(context, keyName));
        return new CaKeyPair(cert, key);
    }

    private static CaUnavailableException missing(CaBackendContext context, String secret) {
        return new CaUnavailableException("the builtin CA " + context.backendName() + " of mesh " + context.mesh()
                + " has no Secret " + secret + " (it is created when the mesh is created or updated)");
    }

    @Override
    public void validate(CaBackendContext context, Violations violations) {
        try {
            BuiltinCaConfig config = BuiltinCaConfig.parse(context.conf());
            config.rsaBits().filter(bits -> bits < MIN_RSA_BITS || bits > MAX_RSA_BITS).ifPresent(bits ->
                    violations.add(Path.of("caCert.RSAbits"), "invalid RSAbits: " + bits + " (expected: "
                            + MIN_RSA_BITS + "-" + MAX_RSA_BITS + ")"));
            if (!config.expiration().isEmpty() && expiration(config).isEmpty()) {
                violations.add(Path.of("caCert.expiration"), "invalid expiration: " + GoQuote.quote(
                        config.expiration()) + " (expected: a positive duration such as 10y, 365d or 8760h)");
            }
        } catch (ConfException e) {
            violations.add(Path.root(), "could not convert backend config: " + e.getMessage());
        }
        String secretName = certSecretName(context.mesh(), context.backendName());
        if (secretName.getBytes(StandardCharsets.UTF_8).length > MAX_SECRET_NAME_LENGTH) {
            violations.add(NAME_FIELD, "Backend name is too long. Max length: " + MAX_SECRET_NAME_LENGTH);
        }
        if (!NetworkAddresses.isDnsName(secretName) || !secretName.equals(secretName.toLowerCase(Locale.ROOT))) {
            violations.add(NAME_FIELD, GoQuote.quote(context.backendName()) + " name must be valid dns name");
        }
    }
}
