package io.ursa.ca;

import io.ursa.api.mesh.ConfException;
import io.ursa.api.mesh.GoQuote;
import io.ursa.api.spec.NetworkAddresses;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import io.ursa.core.ca.CaBackendContext;
import io.ursa.core.ca.CaPlugin;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code builtin} CA: Ursa generates the mesh's root certificate and key and keeps them in two Secrets of the
 * mesh. Validation follows Kuma 2.0 ({@code pkg/plugins/ca/builtin/manager.go}): the conf must convert, and the
 * certificate Secret's name must be at most 255 characters and a lowercase DNS name in govalidator's sense
 * (which allows {@code _}). Creating the CA ({@link #ensure}) is not implemented yet.
 */
public final class BuiltinCaPlugin implements CaPlugin {
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

    /** The two Secrets the backend keeps its root certificate and key in. */
    @Override
    public Set<String> usedSecrets(CaBackendContext context) {
        return Set.of(certSecretName(context.mesh(), context.backendName()),
                keySecretName(context.mesh(), context.backendName()));
    }

    @Override
    public void validate(CaBackendContext context, Violations violations) {
        try {
            BuiltinCaConfig.parse(context.conf());
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
