package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How ursactl checks the certificate of a control plane's HTTPS API, from its stored coordinates: against the CA
 * in {@code caCertFile} only, not at all ({@code skipVerify}), or else against the JVM's default trust store. The
 * host name is always checked against the certificate's names, except with {@code skipVerify}. (kumactl 2.0 skips
 * verification whenever it has no CA file; ursactl does not, see the README's "Security" section.)
 *
 * <p>The trust manager of {@link #sslContext(Observation)} reports what it saw to an {@link Observation}, so that
 * a failed handshake can be explained: the chain that was not signed by the CA, or the names of a certificate
 * that does not name the host.
 */
final class ServerTrust {
    enum Mode {
        DEFAULT_TRUST_STORE,
        CA_FILE,
        SKIP_VERIFY
    }

    /** Why a certificate check failed; see {@link Observation}. */
    enum Failure {
        /** The chain does not lead to a trusted CA. */
        UNTRUSTED,
        /** A certificate of the chain is expired or not yet valid. */
        OUT_OF_DATE,
        /** The chain is trusted, but the leaf does not name the host that was dialled. */
        NAME_MISMATCH,
        /** The chain is trusted, but refused for another reason (key usage, algorithm constraints). */
        REFUSED
    }

    /** One failed check: why, the chain the server presented, and the JDK's own exception. */
    record Refusal(Failure failure, List<X509Certificate> chain, CertificateException cause) {
        Refusal {
            requireNonNull(failure, "failure");
            chain = List.copyOf(chain);
            requireNonNull(cause, "cause");
        }
    }

    /**
     * The last refusal of one client's trust manager. The trust manager writes it during the handshake; the
     * command's thread reads it after the request has failed, and clears it before each request.
     */
    static final class Observation {
        private final AtomicReference<Refusal> refusal = new AtomicReference<>();

        Optional<Refusal> refusal() {
            return Optional.ofNullable(refusal.get());
        }

        void clear() {
            refusal.set(null);
        }

        void refused(Refusal value) {
            refusal.set(value);
        }
    }

    private final Mode mode;
    private final Optional<Path> caFile;

    private ServerTrust(Mode mode, Optional<Path> caFile) {
        this.mode = mode;
        this.caFile = caFile;
    }

    /** The trust of a control plane's stored coordinates. */
    static ServerTrust of(CtlConfig.ApiServer settings) {
        if (settings.skipVerify()) {
            return anyCertificate();
        }
        if (!settings.caCertFile().isEmpty()) {
            return new ServerTrust(Mode.CA_FILE, Optional.of(Path.of(settings.caCertFile())));
        }
        return new ServerTrust(Mode.DEFAULT_TRUST_STORE, Optional.empty());
    }

    /** Trust in any certificate and any name: {@code skipVerify}, and the probes of {@link TransportFailures}. */
    static ServerTrust anyCertificate() {
        return new ServerTrust(Mode.SKIP_VERIFY, Optional.empty());
    }

    Mode mode() {
        return mode;
    }

    /** What signs a trusted certificate, for messages: {@code the CA in /etc/ursa/ca.pem}. */
    String source() {
        return switch (mode) {
            case CA_FILE -> "the CA in " + caFile.orElseThrow();
            case DEFAULT_TRUST_STORE -> "the JVM's default trust store";
            case SKIP_VERIFY -> "nothing (--skip-verify)";
        };
    }

    /** A TLS context that checks the server as configured and reports each refusal to {@code observation}. */
    SSLContext sslContext(Observation observation) {
        X509ExtendedTrustManager delegate = switch (mode) {
            case SKIP_VERIFY -> null;
            case CA_FILE -> trustManager(keyStoreOf(readCaFile(caFile.orElseThrow())));
            case DEFAULT_TRUST_STORE -> trustManager(null);
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new ObservingTrustManager(delegate, observation)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM offers no TLS context", e);
        }
    }

    /**
     * The certificates of a PEM file, at least one; a missing or unreadable file, or one without a certificate,
     * is a {@link CtlException} naming the file.
     */
    static List<X509Certificate> readCaFile(Path file) {
        List<X509Certificate> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                if (certificate instanceof X509Certificate x509) {
                    out.add(x509);
                }
            }
        } catch (NoSuchFileException e) {
            throw new CtlException("could not read the CA file " + file + ": no such file");
        } catch (IOException e) {
            throw new CtlException("could not read the CA file " + file + ": " + e.getMessage(), e);
        } catch (CertificateException e) {
            throw new CtlException("the CA file " + file + " is not a PEM certificate: " + e.getMessage()
                    + " (expected: one or more -----BEGIN CERTIFICATE----- blocks, e.g. the control plane's"
                    + " GET /control-plane/ca.pem)", e);
        }
        if (out.isEmpty()) {
            throw new CtlException("the CA file " + file + " holds no certificate (expected: one or more"
                    + " -----BEGIN CERTIFICATE----- blocks, e.g. the control plane's GET /control-plane/ca.pem)");
        }
        return out;
    }

    private static KeyStore keyStoreOf(List<X509Certificate> certificates) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not build an in-memory trust store", e);
        }
    }

    /** The JDK's PKIX trust manager over {@code store} (null: the JVM's default trust store). */
    private static X509ExtendedTrustManager trustManager(KeyStore store) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    return x509;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not load a trust manager", e);
        }
        throw new IllegalStateException("the JVM offers no X.509 trust manager");
    }

    /**
     * Checks a server chain in two steps, to tell why it fails: first the chain alone (signed by a trusted CA, in
     * date), then with the connection (the host name, which the HTTP client asks for, and algorithm constraints).
     * With no delegate ({@code skipVerify}) it accepts everything, host name included: an
     * {@link X509ExtendedTrustManager} is not wrapped by the JDK in another host-name check.
     */
    private static final class ObservingTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        private final Observation observation;

        ObservingTrustManager(X509ExtendedTrustManager delegate, Observation observation) {
            this.delegate = delegate;
            this.observation = observation;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            if (delegate != null) {
                checkChain(chain, authType);
                try {
                    delegate.checkServerTrusted(chain, authType, engine);
                } catch (CertificateException e) {
                    throw refused(connectionFailure(e), chain, e);
                }
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            if (delegate != null) {
                checkChain(chain, authType);
                try {
                    delegate.checkServerTrusted(chain, authType, socket);
                } catch (CertificateException e) {
                    throw refused(connectionFailure(e), chain, e);
                }
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (delegate != null) {
                checkChain(chain, authType);
            }
        }

        private void checkChain(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                throw refused(outOfDate(e) ? Failure.OUT_OF_DATE : Failure.UNTRUSTED, chain, e);
            }
        }

        private CertificateException refused(Failure failure, X509Certificate[] chain, CertificateException e) {
            observation.refused(new Refusal(failure, List.of(chain), e));
            return e;
        }

        /** The JDK's host-name check says {@code No subject alternative names ...} or {@code No name matching}. */
        private static Failure connectionFailure(CertificateException e) {
            String message = String.valueOf(e.getMessage());
            return message.startsWith("No subject alternative") || message.startsWith("No name matching")
                    ? Failure.NAME_MISMATCH : Failure.REFUSED;
        }

        private static boolean outOfDate(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("ursactl does not accept TLS clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("ursactl does not accept TLS clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("ursactl does not accept TLS clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate == null ? new X509Certificate[0] : delegate.getAcceptedIssuers();
        }
    }
}
