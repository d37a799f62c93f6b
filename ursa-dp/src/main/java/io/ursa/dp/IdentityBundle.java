package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one Secret response gives a proxyless application, checked before it replaces the files the application
 * reads: its certificate chain and private key (the identity Secret), the CA certificates it trusts (the mesh CA
 * Secret), and the roots of the other meshes whose cross-mesh gateways its mesh reaches (the cross-mesh CA Secret;
 * empty when it reaches none or the response has no such Secret), all PEM. The key must be PKCS#8
 * ({@code BEGIN PRIVATE KEY}), the only form grpc's {@code file_watcher} reads, and must belong to the first
 * certificate of the chain.
 */
record IdentityBundle(String certificateChainPem, String privateKeyPem, String caPem, String crossMeshCaPem) {
    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final Pattern OTHER_KEY = Pattern.compile("-----BEGIN ([A-Z ]*PRIVATE KEY)-----");

    IdentityBundle {
        requireNonNull(certificateChainPem, "certificateChainPem");
        requireNonNull(privateKeyPem, "privateKeyPem");
        requireNonNull(caPem, "caPem");
        requireNonNull(crossMeshCaPem, "crossMeshCaPem");
    }

    /** A bundle without cross-mesh roots. */
    IdentityBundle(String certificateChainPem, String privateKeyPem, String caPem) {
        this(certificateChainPem, privateKeyPem, caPem, "");
    }

    /** The response cannot be used; the message says why, for the NACK's {@code error_detail} and the log. */
    static final class InvalidBundleException extends Exception {
        InvalidBundleException(String message) {
            super(message);
        }
    }

    /**
     * The bundle in {@code response}, from the Secrets named {@code identityName} and {@code caName}.
     *
     * @throws InvalidBundleException when a Secret is missing or unusable
     */
    static IdentityBundle from(DiscoveryResponse response, String identityName, String caName)
            throws InvalidBundleException {
        return from(response, identityName, caName, Optional.empty());
    }

    /**
     * The bundle in {@code response}, from the Secrets named {@code identityName} and {@code caName}, and the
     * cross-mesh roots from the Secret named {@code crossMeshCaName} when the response has it.
     *
     * @throws InvalidBundleException when a Secret is missing or unusable
     */
    static IdentityBundle from(DiscoveryResponse response, String identityName, String caName,
                               Optional<String> crossMeshCaName) throws InvalidBundleException {
        Map<String, Secret> secrets = new LinkedHashMap<>();
        for (Any resource : response.getResourcesList()) {
            if (!resource.is(Secret.class)) {
                throw new InvalidBundleException("a resource of type " + resource.getTypeUrl()
                        + " in a Secret response (expected: " + CertificateAgent.SECRET_TYPE_URL + ")");
            }
            try {
                Secret secret = resource.unpack(Secret.class);
                secrets.put(secret.getName(), secret);
            } catch (InvalidProtocolBufferException e) {
                throw new InvalidBundleException("a Secret that does not decode: " + e.getMessage());
            }
        }
        Secret identity = secret(secrets, identityName);
        Secret ca = secret(secrets, caName);
        if (!identity.hasTlsCertificate()) {
            throw new InvalidBundleException("Secret " + identityName + " has no tls_certificate");
        }
        if (!ca.hasValidationContext() || !ca.getValidationContext().hasTrustedCa()) {
            throw new InvalidBundleException("Secret " + caName + " has no validation_context.trusted_ca");
        }
        String crossMeshCa = "";
        Secret crossMesh = crossMeshCaName.map(secrets::get).orElse(null);
        if (crossMesh != null) {
            crossMeshCa = crossMesh.getValidationContext().getTrustedCa().getInlineBytes().toStringUtf8();
            if (!crossMeshCa.isBlank()) {
                certificates(crossMeshCa, crossMeshCaName.get() + " trusted_ca");
            }
        }
        IdentityBundle bundle = new IdentityBundle(
                pem(identity.getTlsCertificate().getCertificateChain(), identityName + " certificate_chain"),
                pem(identity.getTlsCertificate().getPrivateKey(), identityName + " private_key"),
                pem(ca.getValidationContext().getTrustedCa(), caName + " trusted_ca"), crossMeshCa);
        bundle.check(identityName, caName);
        return bundle;
    }

    /** The proxy's own certificate, the first of the chain. */
    X509Certificate certificate() {
        try {
            return certificates(certificateChainPem, "").get(0);
        } catch (InvalidBundleException e) {
            throw new IllegalStateException("a checked bundle no longer parses", e);
        }
    }

    /** For the log: serial, expiry and SANs of the certificate; never anything about the key. */
    String describe() {
        X509Certificate certificate = certificate();
        List<String> sans = new ArrayList<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                names.forEach(name -> sans.add(String.valueOf(name.get(1))));
            }
        } catch (CertificateParsingException e) {
            sans.add("(unreadable: " + e.getMessage() + ")");
        }
        return "serial " + certificate.getSerialNumber().toString(16) + ", valid until "
                + certificate.getNotAfter().toInstant() + ", SANs " + String.join(", ", sans);
    }

    private void check(String identityName, String caName) throws InvalidBundleException {
        List<X509Certificate> chain = certificates(certificateChainPem, identityName + " certificate_chain");
        certificates(caPem, caName + " trusted_ca");
        X509Certificate leaf = chain.get(0);
        PrivateKey key = privateKey(leaf.getPublicKey().getAlgorithm(), identityName + " private_key");
        if (!belongsTo(key, leaf)) {
            throw new InvalidBundleException("the private_key of " + identityName
                    + " does not belong to its certificate");
        }
    }

    private PrivateKey privateKey(String algorithm, String what) throws InvalidBundleException {
        Matcher pkcs8 = PKCS8.matcher(privateKeyPem);
        if (!pkcs8.find()) {
            Matcher other = OTHER_KEY.matcher(privateKeyPem);
            throw new InvalidBundleException(what + " is " + (other.find() ? "a PEM " + other.group(1) : "not PEM")
                    + " (expected: PKCS#8, BEGIN PRIVATE KEY, the only form grpc's file_watcher reads)");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(pkcs8.group(1));
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new InvalidBundleException(what + " is not a readable " + algorithm + " key: " + e.getMessage());
        }
    }

    /** Whether a signature made with {@code key} verifies with the certificate's public key. */
    private static boolean belongsTo(PrivateKey key, X509Certificate certificate) {
        Optional<String> algorithm = switch (key.getAlgorithm()) {
            case "EC" -> Optional.of("SHA256withECDSA");
            case "RSA" -> Optional.of("SHA256withRSA");
            case "Ed25519", "EdDSA" -> Optional.of("Ed25519");
            default -> Optional.empty();
        };
        if (algorithm.isEmpty()) {
            return true; // nothing to check it with; grpc will tell
        }
        try {
            byte[] probe = "ursa-dp grpc-agent key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm.get());
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm.get());
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static List<X509Certificate> certificates(String pem, String what) throws InvalidBundleException {
        try {
            List<X509Certificate> certificates = new ArrayList<>();
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new InvalidBundleException(what + " holds no certificate");
            }
            return certificates;
        } catch (CertificateException e) {
            throw new InvalidBundleException(what + " is not a PEM certificate: " + e.getMessage());
        }
    }

    private static Secret secret(Map<String, Secret> secrets, String name) throws InvalidBundleException {
        Secret secret = secrets.get(name);
        if (secret == null) {
            throw new InvalidBundleException("the response has no Secret " + name + " (it has: "
                    + (secrets.isEmpty() ? "none" : String.join(", ", secrets.keySet())) + ")");
        }
        return secret;
    }

    private static String pem(DataSource source, String what) throws InvalidBundleException {
        String text = switch (source.getSpecifierCase()) {
            case INLINE_BYTES -> source.getInlineBytes().toStringUtf8();
            case INLINE_STRING -> source.getInlineString();
            case FILENAME -> throw new InvalidBundleException(what + " names a file (" + source.getFilename()
                    + "), which is on the control plane's machine (expected: inline_bytes)");
            default -> "";
        };
        if (text.isBlank()) {
            throw new InvalidBundleException(what + " is empty");
        }
        return text;
    }
}
