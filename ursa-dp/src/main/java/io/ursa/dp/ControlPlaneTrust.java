package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How ursa-dp verifies the control plane's DP server over TLS (kuma-dp's {@code --ca-cert-file}, spec §10.1): against
 * the CA it was given ({@code --ca-cert-file} or {@code URSA_CONTROL_PLANE_CA_CERT}) and nothing else, or, without one,
 * against the JVM's default trust store. The JDK checks the chain and the host name (HTTPS endpoint identification,
 * which both the JDK's HTTP client and grpc's TLS turn on). The trust manager also records the CA that validated the
 * server's chain: {@code run} sends it as {@code caCert}, so that Envoy's {@code ads_cluster} trusts the same CA.
 *
 * <p>Threads: the trust manager runs on the TLS clients' threads; {@link #verifiedCaPem()} is read by the agent's main
 * thread after a handshake ({@code verifiedCa} is volatile).
 */
final class ControlPlaneTrust {
    static final String DEFAULT_TRUST_STORE = "the JVM's default trust store";

    private final Optional<String> caPem;
    private final String source;
    private final RecordingTrustManager trustManager;
    private volatile X509Certificate verifiedCa;

    private ControlPlaneTrust(Optional<String> caPem, String source, X509ExtendedTrustManager delegate) {
        this.caPem = caPem;
        this.source = source;
        this.trustManager = new RecordingTrustManager(delegate);
    }

    /**
     * Trusts the certificates in {@code pem} only; {@code source} says where they came from ({@code --ca-cert-file
     * /etc/ursa/ca.pem}). A PEM without a certificate is a {@link DpException}.
     */
    static ControlPlaneTrust ca(String pem, String source) {
        requireNonNull(pem, "pem");
        requireNonNull(source, "source");
        return new ControlPlaneTrust(Optional.of(pem), "the CA in " + source,
                TlsContexts.trusting(TlsContexts.certificates(pem, source)));
    }

    /** Trusts what the JVM trusts by default ({@code javax.net.ssl.trustStore}, else the JDK's cacerts). */
    static ControlPlaneTrust defaultTrustStore() {
        return new ControlPlaneTrust(Optional.empty(), DEFAULT_TRUST_STORE, TlsContexts.defaultTrust());
    }

    /** What the server is verified against, for messages: {@code the CA in --ca-cert-file /x/ca.pem}. */
    String source() {
        return source;
    }

    /** The CA given, as PEM; empty with the default trust store. */
    Optional<String> caPem() {
        return caPem;
    }

    X509ExtendedTrustManager trustManager() {
        return trustManager;
    }

    SSLContext sslContext() {
        return TlsContexts.sslContext(trustManager);
    }

    /**
     * The CA that verifies the server, as PEM: the CA given, or the certificate of the default trust store that
     * validated the last server chain (empty until a handshake succeeded).
     */
    Optional<String> verifiedCaPem() {
        if (caPem.isPresent()) {
            return caPem;
        }
        X509Certificate ca = verifiedCa;
        return ca == null ? Optional.empty() : Optional.of(TlsContexts.pem(ca));
    }

    /**
     * The trusted certificate nearest to the leaf of {@code chain}: one the chain contains, or the issuer of one of
     * its certificates (same subject, and its key verifies the signature).
     */
    static Optional<X509Certificate> anchorOf(X509Certificate[] chain, X509Certificate[] trusted) {
        List<X509Certificate> anchors = Arrays.asList(trusted);
        for (X509Certificate certificate : chain) {
            if (anchors.contains(certificate)) {
                return Optional.of(certificate);
            }
            for (X509Certificate anchor : trusted) {
                if (anchor.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())
                        && signs(anchor, certificate)) {
                    return Optional.of(anchor);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean signs(X509Certificate issuer, X509Certificate certificate) {
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Verifies servers with the delegate and, when it accepts a chain, records the CA that validated it. */
    private final class RecordingTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;

        RecordingTrustManager(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType, engine);
            record(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType, socket);
            record(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
            record(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }

        private void record(X509Certificate[] chain) {
            if (caPem.isEmpty()) {
                anchorOf(chain, delegate.getAcceptedIssuers()).ifPresent(ca -> verifiedCa = ca);
            }
        }
    }
}
