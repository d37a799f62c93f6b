package io.ursa.cp;

import io.ursa.api.spec.ProtoDuration;
import io.ursa.apiserver.ApiServerConfig;
import io.ursa.cp.config.CpConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the configuration becomes the REST API's settings: {@code apiServer.*} for the listeners, CORS and
 * authentication, {@code general.http.*} for the timeouts, and the HTTPS certificate. Two seams are left for the
 * control plane's own certificate (issued by its CA, produced in {@code ursa-ca}): {@link #httpsCertificate} and
 * {@link #caCertificatePem}; until they are wired, HTTPS needs {@code apiServer.https.tlsCertFile}/{@code tlsKeyFile}
 * and {@code GET /control-plane/ca.pem} answers 404.
 */
final class ApiWiring {
    private static final Logger log = LoggerFactory.getLogger(ApiWiring.class);
    /** Until {@code general.tlsMinVersion} is bound, the API accepts TLS 1.2 and 1.3, Kuma's default. */
    private static final ApiServerConfig.TlsVersion TLS_MIN_VERSION = ApiServerConfig.TlsVersion.TLSv1_2;

    private ApiWiring() {
    }

    /** A certificate chain and its private key, as PEM text. */
    record PemCertificate(String chainPem, String keyPem) {
        @Override
        public String toString() {
            return "PemCertificate[chain of " + chainPem.length() + " chars]"; // never the key
        }
    }

    static ApiServerConfig config(CpConfig config) {
        CpConfig.ApiServer api = config.apiServer();
        Optional<ApiServerConfig.Listener> http = api.http().enabled()
                ? Optional.of(new ApiServerConfig.Listener(api.http().iface(), api.http().port())) : Optional.empty();
        Optional<ApiServerConfig.Https> https = Optional.empty();
        if (api.https().enabled()) {
            Optional<PemCertificate> certificate = httpsCertificate(config);
            if (certificate.isEmpty()) {
                log.warn("the HTTPS API is off: apiServer.https.tlsCertFile and tlsKeyFile are empty and this control"
                        + " plane has no certificate of its own yet; set both to serve HTTPS on port {}",
                        api.https().port());
            }
            https = certificate.map(c -> new ApiServerConfig.Https(api.https().iface(), api.https().port(),
                    c.chainPem(), c.keyPem(), TLS_MIN_VERSION));
        }
        if (http.isEmpty() && https.isEmpty()) {
            throw new IllegalArgumentException("the API would not listen anywhere: apiServer.http.enabled is false"
                    + " and HTTPS has no certificate (expected: apiServer.http.enabled true, or"
                    + " apiServer.https.tlsCertFile and tlsKeyFile set)");
        }
        CpConfig.General.Http timeouts = config.general().http();
        return new ApiServerConfig(http, https, api.readOnly(), api.maxBodyBytes(), api.corsAllowedDomains(),
                api.authn().localhostIsAdmin(), new ApiServerConfig.Timeouts(
                        duration("general.http.headerTimeout", timeouts.headerTimeout()),
                        duration("general.http.bodyTimeout", timeouts.bodyTimeout()),
                        duration("general.http.idleTimeout", timeouts.idleTimeout())),
                caCertificatePem(config));
    }

    /**
     * The certificate the HTTPS API presents. SEAM: today the files {@code apiServer.https.tlsCertFile} and
     * {@code tlsKeyFile}; with both empty, this is where the control plane's own certificate (or
     * {@code general.tlsCertFile}/{@code tlsKeyFile}) goes once {@code ursa-ca} provides it.
     */
    static Optional<PemCertificate> httpsCertificate(CpConfig config) {
        CpConfig.ApiServer.Https https = config.apiServer().https();
        return pemFiles("apiServer.https.tlsCertFile", https.tlsCertFile(), "apiServer.https.tlsKeyFile",
                https.tlsKeyFile());
    }

    /**
     * The CA certificate {@code GET /control-plane/ca.pem} serves. SEAM: the control plane's own CA (or the last
     * certificate of a supplied DP-server chain) once {@code ursa-ca} provides it; none until then.
     */
    static Optional<String> caCertificatePem(CpConfig config) {
        return Optional.empty();
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

    /** Go's duration syntax, as Kuma's configuration has it ({@code 10s}, {@code 1m30s}, {@code 0s}). */
    private static Duration duration(String key, String text) {
        try {
            return ProtoDuration.parse(text == null ? "" : text).value();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid " + key + ": \"" + text + "\" (expected: a duration such as"
                    + " 10s or 1m30s, or 0s for no limit)", e);
        }
    }
}
