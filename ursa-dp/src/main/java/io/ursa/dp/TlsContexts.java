package io.ursa.dp;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's TLS pieces that {@link ControlPlaneTrust} is made of: certificates read from PEM, PKIX trust managers over
 * a CA or over the JVM's default trust store, SSL contexts, and certificates written back as PEM.
 */
final class TlsContexts {
    private TlsContexts() {
    }

    /** The certificates in {@code pem}; none, or something that is not PEM, is a {@link DpException}. */
    static List<X509Certificate> certificates(String pem, String source) {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            for (Certificate certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                certificates.add((X509Certificate) certificate);
            }
        } catch (GeneralSecurityException e) {
            throw new DpException("could not read a certificate from " + source + ": " + e.getMessage());
        }
        if (certificates.isEmpty()) {
            throw new DpException("could not read a certificate from " + source + " (expected: PEM)");
        }
        return List.copyOf(certificates);
    }

    /** A PKIX trust manager that trusts exactly {@code cas}. */
    static X509ExtendedTrustManager trusting(List<X509Certificate> cas) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (X509Certificate ca : cas) {
                store.setCertificateEntry("ca-" + i++, ca);
            }
            return trustManager(store);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot hold certificates in a " + KeyStore.getDefaultType()
                    + " key store", e);
        }
    }

    /** The PKIX trust manager over the JVM's default trust store ({@code javax.net.ssl.trustStore} or cacerts). */
    static X509ExtendedTrustManager defaultTrust() {
        return trustManager(null);
    }

    private static X509ExtendedTrustManager trustManager(KeyStore store) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the JVM's " + TrustManagerFactory.getDefaultAlgorithm()
                    + " trust manager factory has no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the trust store", e);
        }
    }

    /** A client TLS context that verifies servers with {@code trust}. */
    static SSLContext sslContext(TrustManager trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
    }

    /** {@code certificate} as a PEM block. */
    static String pem(X509Certificate certificate) {
        try {
            String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode " + certificate.getSubjectX500Principal(), e);
        }
    }
}
