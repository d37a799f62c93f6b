package io.ursa.cp;

import io.ursa.ca.controlplane.ControlPlaneCertificates;
import io.ursa.core.manager.ResourceManager;
import io.ursa.cp.config.CpConfig;
import io.ursa.xds.server.DpTransport;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which TLS material the control plane's servers use: {@code general.tlsCertFile}/{@code tlsKeyFile} when set,
 * otherwise the control plane's own CA and certificate ({@link ControlPlaneCertificates}); the DP server may have
 * files of its own ({@code dpServer.tlsCertFile}/{@code tlsKeyFile}), and speaks plaintext only when
 * {@code dpServer.plaintext} says so.
 */
final class TlsWiring {
    private static final Logger log = LoggerFactory.getLogger(TlsWiring.class);

    private TlsWiring() {
    }

    /**
     * The control plane's certificate ({@code general.*}): the supplied files, or its own, created or reused from
     * the store, for the names its servers are reached by.
     */
    static ControlPlaneCertificates.Material general(CpConfig config, ResourceManager manager, Clock clock) {
        CpConfig.General general = config.general();
        Optional<ControlPlaneCertificates.Material> supplied = supplied("general", general.tlsCertFile(),
                general.tlsKeyFile());
        ControlPlaneCertificates.Material material = supplied.orElseGet(() -> new ControlPlaneCertificates(manager,
                clock, new SecureRandom()).own(ControlPlaneCertificates.wantedSubjectAltNames(
                        listenAddresses(config), general.tlsSubjectAltNames())));
        log.info("control-plane TLS certificate: {}{}; CA fingerprint (SHA-256) {}; names {}; valid until {}",
                material.source().description(), supplied.isPresent() ? " (general.tlsCertFile "
                        + general.tlsCertFile().strip() + ")" : "", material.caFingerprint(),
                material.subjectAltNames(), material.notAfter());
        return material;
    }

    /** The DP server's certificate: {@code dpServer.tlsCertFile}/{@code tlsKeyFile} when set, else {@code general}. */
    static ControlPlaneCertificates.Material dpServer(CpConfig config, ControlPlaneCertificates.Material general) {
        CpConfig.DpServer dp = config.dpServer();
        Optional<ControlPlaneCertificates.Material> own = supplied("dpServer", dp.tlsCertFile(), dp.tlsKeyFile());
        own.ifPresent(material -> log.info("DP server TLS certificate: dpServer.tlsCertFile {}; CA fingerprint"
                + " (SHA-256) {}; names {}; valid until {}", dp.tlsCertFile().strip(), material.caFingerprint(),
                material.subjectAltNames(), material.notAfter()));
        return own.orElse(general);
    }

    /** TLS with {@code certificate}, or plaintext when {@code dpServer.plaintext} is true (warned). */
    static DpTransport dpTransport(CpConfig config, ControlPlaneCertificates.Material certificate) {
        if (config.dpServer().plaintext()) {
            log.warn("dpServer.plaintext is true: the DP server does not use TLS, so dataplane tokens and the"
                    + " private keys of proxies' certificates cross the network in clear; use it on trusted networks"
                    + " only (unset URSA_DP_SERVER_PLAINTEXT for TLS)");
            return DpTransport.plaintext();
        }
        return DpTransport.tls(certificate, switch (config.general().tlsMinVersion()) {
            case TLSv1_2 -> DpTransport.MinVersion.TLS_1_2;
            case TLSv1_3 -> DpTransport.MinVersion.TLS_1_3;
        });
    }

    /** The addresses the control plane's TLS servers (DP server, HTTPS API) listen on, which its certificate names. */
    static List<String> listenAddresses(CpConfig config) {
        CpConfig.ApiServer.Https https = config.apiServer().https();
        return https.enabled() ? List.of(config.dpServer().iface(), https.iface()) : List.of(config.dpServer().iface());
    }

    /** The files {@code <section>.tlsCertFile} and {@code tlsKeyFile}: both or neither. */
    private static Optional<ControlPlaneCertificates.Material> supplied(String section, String certFile,
                                                                       String keyFile) {
        boolean cert = certFile != null && !certFile.isBlank();
        boolean key = keyFile != null && !keyFile.isBlank();
        if (cert != key) {
            String env = section.equals("general") ? "URSA_GENERAL_TLS_" : "URSA_DP_SERVER_TLS_";
            String set = cert ? "CertFile" : "KeyFile";
            String missing = cert ? "KeyFile" : "CertFile";
            throw new IllegalArgumentException(section + ".tls" + set + " is set but " + section + ".tls" + missing
                    + " (" + env + missing.replace("File", "_FILE").toUpperCase(java.util.Locale.ROOT)
                    + ") is not (expected: both, for a supplied certificate, or neither)");
        }
        return cert ? Optional.of(ControlPlaneCertificates.supplied(Path.of(certFile.strip()),
                Path.of(keyFile.strip()))) : Optional.empty();
    }
}
