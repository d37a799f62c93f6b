package io.ursa.ca;

import io.ursa.api.mesh.ConfException;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import io.ursa.core.ca.CaBackendContext;
import io.ursa.core.ca.CaKeyPair;
import io.ursa.core.ca.CaPlugin;
import io.ursa.core.ca.CaUnavailableException;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@code provided} CA: the user supplies the root certificate (chain) and key through data sources, which
 * are loaded on every use; nothing is stored. Validation follows Kuma 2.0 ({@code pkg/plugins/ca/provided}):
 * the conf must convert, {@code cert} and {@code key} must each choose a non-empty source, both must load, form a
 * TLS key pair, and every certificate must be a proper X509-SVID signing certificate.
 */
public final class ProvidedCaPlugin implements CaPlugin {
    public static final String TYPE = "provided";

    @Override
    public String type() {
        return TYPE;
    }

    /** The Secrets {@code cert} and {@code key} name; none when the conf does not convert. */
    @Override
    public Set<String> usedSecrets(CaBackendContext context) {
        ProvidedCaConfig config;
        try {
            config = ProvidedCaConfig.parse(context.conf());
        } catch (ConfException e) {
            return Set.of();
        }
        return Stream.of(config.cert(), config.key()).flatMap(Optional::stream)
                .filter(source -> source.kind() == CaDataSource.Kind.SECRET && !source.value().isEmpty())
                .map(CaDataSource::value)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Loads {@code cert} and {@code key} from their data sources (on every call, as Kuma does). */
    @Override
    public CaKeyPair keyPair(CaBackendContext context) throws CaUnavailableException {
        String backend = "the provided CA " + context.backendName() + " of mesh " + context.mesh();
        ProvidedCaConfig config;
        try {
            config = ProvidedCaConfig.parse(context.conf());
        } catch (ConfException e) {
            throw new CaUnavailableException(backend + " has an invalid conf: " + e.getMessage(), e);
        }
        if (config.cert().isEmpty() || config.key().isEmpty()) {
            throw new CaUnavailableException(backend + " needs both cert and key");
        }
        try {
            byte[] cert = DataSourceLoader.load(context.mesh(), config.cert().get(), context.secrets());
            byte[] key = DataSourceLoader.load(context.mesh(), config.key().get(), context.secrets());
            TlsKeyPair.parse(cert, key);
            return new CaKeyPair(cert, key);
        } catch (DataSourceLoader.LoadException | TlsKeyPair.KeyPairException e) {
            throw new CaUnavailableException(backend + " cannot be used: " + e.getMessage(), e);
        }
    }

    @Override
    public void validate(CaBackendContext context, Violations violations) {
        ProvidedCaConfig config;
        try {
            config = ProvidedCaConfig.parse(context.conf());
        } catch (ConfException e) {
            violations.add(Path.root(), "could not convert backend config: " + e.getMessage());
            return;
        }
        Violations own = new Violations();
        checkSource(config.cert(), Path.of("cert"), own);
        checkSource(config.key(), Path.of("key"), own);
        if (own.isEmpty()) {
            checkKeyPair(context, config.cert().orElseThrow(), config.key().orElseThrow(), own);
        }
        violations.addAll(Path.root(), own);
    }

    /** Kuma's {@code datasource.Validate}; an empty {@code inlineString} is not checked here (2.0 does not). */
    private static void checkSource(Optional<CaDataSource> source, Path path, Violations violations) {
        if (source.isEmpty()) {
            violations.add(path, "has to be defined");
            return;
        }
        CaDataSource s = source.get();
        switch (s.kind()) {
            case UNSET -> violations.add(path, "data source has to be chosen. Available sources: secret, file, inline");
            case SECRET, FILE -> {
                if (s.value().isEmpty()) {
                    violations.add(path.field(s.kind() == CaDataSource.Kind.SECRET ? "secret" : "file"),
                            "cannot be empty");
                }
            }
            case INLINE -> {
                if (s.inline().length == 0) {
                    violations.add(path.field("inline"), "cannot be empty");
                }
            }
            case INLINE_STRING -> {
            }
        }
    }

    /** Loads the key, then the certificate (Kuma's order); a load error is reported on both fields. */
    private static void checkKeyPair(CaBackendContext context, CaDataSource certSource, CaDataSource keySource,
                                     Violations violations) {
        byte[] key;
        byte[] cert;
        try {
            key = DataSourceLoader.load(context.mesh(), keySource, context.secrets());
            cert = DataSourceLoader.load(context.mesh(), certSource, context.secrets());
        } catch (DataSourceLoader.LoadException e) {
            violations.add(Path.of("cert"), e.getMessage());
            violations.add(Path.of("key"), e.getMessage());
            return;
        }
        TlsKeyPair pair;
        try {
            pair = TlsKeyPair.parse(cert, key);
        } catch (TlsKeyPair.KeyPairException e) {
            violations.add(Path.of("cert"), "not a valid TLS key pair: " + e.getMessage());
            return;
        }
        CaCertificateRules.check(pair.chain(), violations);
    }
}
