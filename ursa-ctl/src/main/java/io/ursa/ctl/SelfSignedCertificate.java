package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed certificate and its key in PEM, shaped like kumactl 2.0's ({@code pkg/tls/cert.go},
 * {@code NewSelfSignedCert}): a new RSA 2048 or ECDSA P-256 key, {@code CN} the first hostname, every hostname a
 * subject alternative name (an IP address as an IP entry, anything else as a DNS name), valid for ten years from
 * now, marked as a CA (it signs itself) with key usages digital signature, key encipherment and certificate signing,
 * and the one extended key usage of its type (server or client authentication). The key is written as Go writes
 * it: {@code RSA PRIVATE KEY} (PKCS#1) or {@code EC PRIVATE KEY} (SEC 1).
 *
 * <p>The only class of ursactl that touches BouncyCastle for certificates; it is loaded when the command runs, never
 * at start. Stateless.
 */
final class SelfSignedCertificate {
    /** kumactl's {@code DefaultValidityPeriod}. */
    static final Duration VALIDITY = Duration.ofDays(10 * 365);

    /** A certificate and its private key, each a PEM block ending with a newline. */
    record Pem(String certificate, String privateKey) {
        Pem {
            requireNonNull(certificate, "certificate");
            requireNonNull(privateKey, "privateKey");
        }
    }

    private SelfSignedCertificate() {
    }

    static Pem create(GenerateTlsCertificateCommand.CertType type, GenerateTlsCertificateCommand.KeyType keyType,
                      List<String> hostnames, Instant now) {
        try {
            KeyPair keys = newKeys(keyType);
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, hostnames.get(0)).build();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(128, new SecureRandom()), Date.from(now), Date.from(now.plus(VALIDITY)), subject,
                    keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
                    | KeyUsage.keyEncipherment | KeyUsage.keyCertSign));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    type == GenerateTlsCertificateCommand.CertType.SERVER
                            ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                    hostnames.stream().map(SelfSignedCertificate::generalName).toArray(GeneralName[]::new)));
            String algorithm = keyType == GenerateTlsCertificateCommand.KeyType.RSA
                    ? "SHA256withRSA" : "SHA256withECDSA";
            X509CertificateHolder certificate = builder.build(
                    new JcaContentSignerBuilder(algorithm).build(keys.getPrivate()));
            return new Pem(PemEncoding.pem(certificate), PemEncoding.privateKey(keys));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new CtlException("could not generate certificate: " + e.getMessage(), e);
        }
    }

    private static KeyPair newKeys(GenerateTlsCertificateCommand.KeyType keyType) throws GeneralSecurityException {
        if (keyType == GenerateTlsCertificateCommand.KeyType.RSA) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** Go's rule: what {@code net.ParseIP} reads is an IP entry, anything else a DNS name. */
    private static GeneralName generalName(String host) {
        return new GeneralName(GenerateTlsCertificateCommand.isIpAddress(host) ? GeneralName.iPAddress
                : GeneralName.dNSName, host);
    }
}
