package io.ursa.grpcxds.tls;

import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.xds.XdsCredentialsProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The {@code tls} channel credentials of an xDS bootstrap's {@code xds_servers[].channel_creds} as gRFC A65 defines
 * them, for grpc-java, whose own {@code tls} provider (1.85) ignores the config and trusts the JVM's default roots
 * only. Registered for {@link java.util.ServiceLoader} under the same name with a higher priority ({@value #PRIORITY}
 * against grpc's 5), so grpc-xds's registry, which keeps the provider of highest priority per name, picks this one.
 *
 * <p>The config: {@code ca_certificate_file} (PEM; the xDS server must be signed by these certificates and nothing
 * else), {@code certificate_file} and {@code private_key_file} (PEM chain and PKCS#8 key, together: the client's
 * identity, for mTLS). Without {@code ca_certificate_file} the JVM's default trust store verifies the server. The host
 * name is verified as on every grpc TLS channel. The files are read when grpc-xds reads its bootstrap (at the first
 * xDS channel or server of the process); {@code refresh_interval} is not acted on: a new CA or identity needs a
 * restart. A file that is missing, unreadable or not what it should be is an {@link IllegalArgumentException} that
 * names the field and the file; grpc-xds then fails the channel's calls with it.
 *
 * <p>Threads: stateless; grpc-xds may call it from any thread.
 */
public final class TlsXdsCredentialsProvider extends XdsCredentialsProvider {
    /** The channel creds type, as the bootstrap names it. */
    public static final String NAME = "tls";
    /** Above grpc-java's own {@code tls} provider (5). */
    public static final int PRIORITY = 6;

    /** For {@link java.util.ServiceLoader}. */
    public TlsXdsCredentialsProvider() {
    }

    @Override
    protected ChannelCredentials newChannelCredentials(Map<String, ?> config) {
        Map<String, ?> settings = config == null ? Map.of() : config;
        Optional<Path> caFile = path(settings, "ca_certificate_file");
        Optional<Path> certificateFile = path(settings, "certificate_file");
        Optional<Path> keyFile = path(settings, "private_key_file");
        if (certificateFile.isPresent() != keyFile.isPresent()) {
            throw new IllegalArgumentException("invalid tls channel_creds: " + (certificateFile.isPresent()
                    ? "certificate_file without private_key_file" : "private_key_file without certificate_file")
                    + " (expected: both, for mTLS, or neither)");
        }
        TlsChannelCredentials.Builder credentials = TlsChannelCredentials.newBuilder();
        caFile.ifPresent(file -> credentials.trustManager(trustManagers(file)));
        if (certificateFile.isPresent()) {
            credentials.keyManager(keyManagers(certificateFile.get(), keyFile.get()));
        }
        return credentials.build();
    }

    @Override
    protected String getName() {
        return NAME;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    private static Optional<Path> path(Map<String, ?> config, String field) {
        Object value = config.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text) || text.isEmpty()) {
            throw new IllegalArgumentException("invalid tls channel_creds " + field + ": " + value
                    + " (expected: the path of a PEM file)");
        }
        return Optional.of(Path.of(text));
    }

    private static javax.net.ssl.TrustManager[] trustManagers(Path caFile) {
        try {
            KeyStore store = emptyStore();
            int i = 0;
            for (Certificate certificate : certificates(caFile, "ca_certificate_file")) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot trust the certificates of tls channel_creds ca_certificate_file "
                    + caFile + ": " + e.getMessage(), e);
        }
    }

    private static javax.net.ssl.KeyManager[] keyManagers(Path certificateFile, Path keyFile) {
        List<Certificate> chain = certificates(certificateFile, "certificate_file");
        PrivateKey key = privateKey(keyFile);
        try {
            char[] password = new char[0];
            KeyStore store = emptyStore();
            store.setKeyEntry("identity", key, password, chain.toArray(Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            return factory.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use tls channel_creds certificate_file " + certificateFile
                    + " with private_key_file " + keyFile + ": " + e.getMessage(), e);
        }
    }

    private static List<Certificate> certificates(Path file, String field) {
        String pem = read(file, field);
        Collection<? extends Certificate> certificates;
        try {
            certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("invalid tls channel_creds " + field + " " + file + ": "
                    + e.getMessage() + " (expected: PEM certificates)", e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("invalid tls channel_creds " + field + " " + file
                    + ": no certificate in it (expected: PEM certificates)");
        }
        return List.copyOf(certificates);
    }

    /** A PKCS#8 PEM key ({@code BEGIN PRIVATE KEY}), EC or RSA, as grpc's file_watcher takes it. */
    private static PrivateKey privateKey(Path file) {
        String pem = read(file, "private_key_file");
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("invalid tls channel_creds private_key_file " + file
                    + ": no PKCS#8 key in it (expected: PEM, BEGIN PRIVATE KEY)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid tls channel_creds private_key_file " + file + ": "
                    + e.getMessage() + " (expected: PEM, BEGIN PRIVATE KEY)", e);
        }
        for (String algorithm : List.of("EC", "RSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("invalid tls channel_creds private_key_file " + file
                + ": neither an EC nor an RSA key (expected: PEM, BEGIN PRIVATE KEY)");
    }

    private static String read(Path file, String field) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cannot read tls channel_creds " + field + " " + file
                    + ": it does not exist", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read tls channel_creds " + field + " " + file + ": "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            return store;
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot create an empty key store", e);
        }
    }
}
