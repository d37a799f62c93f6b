package io.ursa.cp;

import io.ursa.apiserver.ApiServerConfig;
import io.ursa.ca.controlplane.ControlPlaneCertificates;
import io.ursa.cp.config.CpConfig;
import io.ursa.xds.server.HttpTimeouts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How the configuration becomes the REST API's settings: {@code apiServer.*} for the listeners, CORS and
 * authentication, {@code general.http.*} for the timeouts, {@code general.tlsMinVersion}, and the HTTPS
 * certificate: {@code apiServer.https.tlsCertFile}/{@code tlsKeyFile} when set, else the control plane's
 * certificate ({@code general.*}, or its own). {@code GET /control-plane/ca.pem} serves the CA of the DP server's
 * certificate, the one proxies and {@code ursactl} must trust.
 */
final class ApiWiring {

    private ApiWiring() {
    }

    /** A certificate chain and its private key, as PEM text. */
    record PemCertificate(String chainPem, String keyPem) {
        @Override
        public String toString() {
            return "PemCertificate[chain of " + chainPem.length() + " chars]"; // never the key
        }
    }

    /**
     * @param certificate   the control plane's certificate ({@code general.tlsCertFile}, or its own)
     * @param dpCertificate the DP server's certificate, whose CA {@code GET /control-plane/ca.pem} serves
     */
    static ApiServerConfig config(CpConfig config, ControlPlaneCertificates.Material certificate,
                                  ControlPlaneCertificates.Material dpCertificate) {
        CpConfig.ApiServer api = config.apiServer();
        Optional<ApiServerConfig.Listener> http = api.http().enabled()
                ? Optional.of(new ApiServerConfig.Listener(api.http().iface(), api.http().port())) : Optional.empty();
        Optional<ApiServerConfig.Https> https = Optional.empty();
        if (api.https().enabled()) {
            PemCertificate pem = httpsCertificate(config).orElseGet(() -> new PemCertificate(
                    certificate.certificateChainPem(), certificate.privateKeyPem()));
            https = Optional.of(new ApiServerConfig.Https(api.https().iface(), api.https().port(), pem.chainPem(),
                    pem.keyPem(), switch (config.general().tlsMinVersion()) {
                        case TLSv1_2 -> ApiServerConfig.TlsVersion.TLSv1_2;
                        case TLSv1_3 -> ApiServerConfig.TlsVersion.TLSv1_3;
                    }));
        }
        if (http.isEmpty() && https.isEmpty()) {
            throw new IllegalArgumentException("the API would not listen anywhere: apiServer.http.enabled and"
                    + " apiServer.https.enabled are both false (expected: at least one of them true)");
        }
        HttpTimeouts timeouts = XdsWiring.httpTimeouts(config.general().http());
        return new ApiServerConfig(http, https, api.readOnly(), api.maxBodyBytes(), api.corsAllowedDomains(),
                api.authn().localhostIsAdmin(), new ApiServerConfig.Timeouts(timeouts.header(), timeouts.body(),
                        timeouts.idle()),
                Optional.of(dpCertificate.caCertificatePem()));
    }

    /** The files {@code apiServer.https.tlsCertFile} and {@code tlsKeyFile}, when set. */
    static Optional<PemCertificate> httpsCertificate(CpConfig config) {
        CpConfig.ApiServer.Https https = config.apiServer().https();
        return pemFiles("apiServer.https.tlsCertFile", https.tlsCertFile(), "apiServer.https.tlsKeyFile",
                https.tlsKeyFile());
    }

    /** Both files read, or neither named; one without the other is an error naming the missing one. */
    static Optional<PemCertificate> pemFiles(String certKey, String certFile, String keyKey, String keyFile) {
        boolean hasCert = certFile != null && !certFile.isBlank();
        boolean hasKey = keyFile != null && !keyFile.isBlank();
        if (!hasCert && !hasKey) {
            return Optional.empty();
        }
        if (hasCert != hasKey) {
            throw new IllegalArgumentException((hasCert ? keyKey : certKey) + " is empty while "
                    + (hasCert ? certKey : keyKey) + " is set (expected: both or neither)");
        }
        return Optional.of(new PemCertificate(read(certKey, certFile.strip()), read(keyKey, keyFile.strip())));
    }

    private static String read(String key, String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read " + key + " " + file + ": " + e, e);
        }
    }
}
