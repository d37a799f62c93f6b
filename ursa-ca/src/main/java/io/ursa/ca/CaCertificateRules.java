package io.ursa.ca;

import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What X509-SVID asks of a signing certificate, checked on every certificate of a provided CA's chain
 * ({@code cert[k]}), as Kuma's {@code validateCaCert} does: CA basic constraint, {@code keyCertSign}, and no
 * {@code keyAgreement}. A certificate that does not parse stops the checks.
 */
final class CaCertificateRules {
    private static final int KEY_AGREEMENT = 4;
    private static final int KEY_CERT_SIGN = 5;

    private CaCertificateRules() {
    }

    static void check(List<byte[]> chain, Violations violations) {
        for (int k = 0; k < chain.size(); k++) {
            Path path = Path.of("cert").index(k);
            X509Certificate cert;
            try {
                cert = TlsKeyPair.parseCertificate(chain.get(k));
            } catch (CertificateException | RuntimeException e) {
                violations.add(path, "not a valid x509 certificate: " + TlsKeyPair.firstLine(e.getMessage()));
                return;
            }
            if (cert.getBasicConstraints() < 0) {
                violations.add(path,
                        "basic constraint 'CA' must be set to 'true' (see X509-SVID: 4.1. Basic Constraints)");
            }
            boolean[] usage = cert.getKeyUsage();
            if (usage == null || !usage[KEY_CERT_SIGN]) {
                violations.add(path, "key usage extension 'keyCertSign' must be set (see X509-SVID: 4.3. Key Usage)");
            }
            if (usage != null && usage[KEY_AGREEMENT]) {
                violations.add(path, "key usage extension 'keyAgreement' must NOT be set "
                        + "(see X509-SVID: Appendix A. X.509 Field Reference)");
            }
        }
    }
}
