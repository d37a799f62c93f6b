package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How the REST API listens and behaves; bound from the {@code apiServer.*} and {@code general.http.*} configuration
 * keys by the composition root. At least one of {@code http} and {@code https} is present.
 *
 * @param http               the plain HTTP listener ({@code apiServer.http.*}); empty: no plain HTTP
 * @param https              the HTTPS listener with its certificate ({@code apiServer.https.*}); empty: no HTTPS
 * @param readOnly           when true, every PUT and DELETE answers 405 (Kuma's {@code apiServer.readOnly})
 * @param maxBodyBytes       largest request body accepted; larger ones get 413
 * @param corsAllowedOrigins origins ({@code scheme://host[:port]}) a web page may call the API from, {@code *} for
 *                           any; empty turns CORS off
 * @param localhostIsAdmin   when true, a request from a loopback address that names a loopback host and comes from
 *                           no other web page is the admin user (see {@code Authentication})
 * @param timeouts           how long a client may take to send a request, and how long an idle connection stays
 * @param caCertificatePem   the certificate authority {@code GET /control-plane/ca.pem} serves (PEM); empty: 404
 */
public record ApiServerConfig(Optional<Listener> http, Optional<Https> https, boolean readOnly, long maxBodyBytes,
                              List<String> corsAllowedOrigins, boolean localhostIsAdmin, Timeouts timeouts,
                              Optional<String> caCertificatePem) {
    /** Kuma's limit for a request body: 1 MiB. */
    public static final long DEFAULT_MAX_BODY_BYTES = 1 << 20;
    public static final int DEFAULT_PORT = 5681;
    public static final int DEFAULT_HTTPS_PORT = 5682;

    public ApiServerConfig {
        requireNonNull(http, "http");
        requireNonNull(https, "https");
        if (http.isEmpty() && https.isEmpty()) {
            throw new IllegalArgumentException("the API has no listener: enable apiServer.http or apiServer.https");
        }
        corsAllowedOrigins = List.copyOf(requireNonNull(corsAllowedOrigins, "corsAllowedOrigins"));
        corsAllowedOrigins.forEach(ApiServerConfig::checkOrigin);
        if (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("invalid maxBodyBytes: " + maxBodyBytes + " (expected: 1-"
                    + (Integer.MAX_VALUE - 1) + ")");
        }
        requireNonNull(timeouts, "timeouts");
        requireNonNull(caCertificatePem, "caCertificatePem");
    }

    /**
     * The defaults of {@code defaults.yaml}: plain HTTP on all interfaces, port 5681, no HTTPS (it needs a
     * certificate), writable, 1 MiB bodies, no CORS, localhost is admin, Kuma's timeouts.
     */
    public static ApiServerConfig defaults() {
        return new ApiServerConfig(Optional.of(new Listener("0.0.0.0", DEFAULT_PORT)), Optional.empty(), false,
                DEFAULT_MAX_BODY_BYTES, List.of(), true, Timeouts.DEFAULTS, Optional.empty());
    }

    /** The same configuration with plain HTTP on {@code newHost:newPort}. */
    public ApiServerConfig withAddress(String newHost, int newPort) {
        return new ApiServerConfig(Optional.of(new Listener(newHost, newPort)), https, readOnly, maxBodyBytes,
                corsAllowedOrigins, localhostIsAdmin, timeouts, caCertificatePem);
    }

    /** The same configuration without plain HTTP. */
    public ApiServerConfig withoutHttp() {
        return new ApiServerConfig(Optional.empty(), https, readOnly, maxBodyBytes, corsAllowedOrigins,
                localhostIsAdmin, timeouts, caCertificatePem);
    }

    /** The same configuration with HTTPS as given. */
    public ApiServerConfig withHttps(Https newHttps) {
        return new ApiServerConfig(http, Optional.of(newHttps), readOnly, maxBodyBytes, corsAllowedOrigins,
                localhostIsAdmin, timeouts, caCertificatePem);
    }

    public ApiServerConfig withReadOnly(boolean newReadOnly) {
        return new ApiServerConfig(http, https, newReadOnly, maxBodyBytes, corsAllowedOrigins, localhostIsAdmin,
                timeouts, caCertificatePem);
    }

    public ApiServerConfig withCorsAllowedOrigins(List<String> origins) {
        return new ApiServerConfig(http, https, readOnly, maxBodyBytes, origins, localhostIsAdmin, timeouts,
                caCertificatePem);
    }

    public ApiServerConfig withLocalhostIsAdmin(boolean newLocalhostIsAdmin) {
        return new ApiServerConfig(http, https, readOnly, maxBodyBytes, corsAllowedOrigins, newLocalhostIsAdmin,
                timeouts, caCertificatePem);
    }

    public ApiServerConfig withTimeouts(Timeouts newTimeouts) {
        return new ApiServerConfig(http, https, readOnly, maxBodyBytes, corsAllowedOrigins, localhostIsAdmin,
                newTimeouts, caCertificatePem);
    }

    public ApiServerConfig withCaCertificatePem(String pem) {
        return new ApiServerConfig(http, https, readOnly, maxBodyBytes, corsAllowedOrigins, localhostIsAdmin,
                timeouts, Optional.of(pem));
    }

    /** An origin is {@code *} or {@code http(s)://host[:port]}, nothing more. */
    private static void checkOrigin(String origin) {
        requireNonNull(origin, "origin");
        if (origin.equals("*")) {
            return;
        }
        String expected = " (expected: \"*\" or an origin such as \"https://gui.example:8443\")";
        try {
            URI uri = new URI(origin);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty();
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || !bare
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException("invalid CORS allowed origin: \"" + origin + "\"" + expected);
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid CORS allowed origin: \"" + origin + "\"" + expected, e);
        }
    }

    /** An address to listen on; port 0 picks a free one. */
    public record Listener(String host, int port) {
        public Listener {
            requireNonNull(host, "host");
            checkPort(port);
        }
    }

    /** TLS versions a listener accepts at least. */
    public enum TlsVersion {
        TLSv1_2("TLSv1.2"),
        TLSv1_3("TLSv1.3");

        private final String protocol;

        TlsVersion(String protocol) {
            this.protocol = protocol;
        }

        /** The JSSE protocol name, e.g. {@code TLSv1.2}. */
        public String protocol() {
            return protocol;
        }
    }

    /**
     * The HTTPS listener and the certificate it presents.
     *
     * @param certificateChainPem PEM {@code CERTIFICATE} blocks, the server's certificate first, then the CAs
     * @param privateKeyPem       the certificate's private key: PEM PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted
     * @param minTlsVersion       the oldest TLS version accepted
     */
    public record Https(String host, int port, String certificateChainPem, String privateKeyPem,
                        TlsVersion minTlsVersion) {
        public Https {
            requireNonNull(host, "host");
            checkPort(port);
            requireNonNull(certificateChainPem, "certificateChainPem");
            requireNonNull(privateKeyPem, "privateKeyPem");
            requireNonNull(minTlsVersion, "minTlsVersion");
            PemKeyStore.parse(certificateChainPem, privateKeyPem); // refuses a bad pair now, not at start
        }

        @Override
        public String toString() {
            return "Https[" + host + ":" + port + ", minTlsVersion=" + minTlsVersion + "]"; // no key material
        }
    }

    /**
     * How long a client may take (Kuma's and Go's {@code http.Server} timeouts); zero turns one off.
     *
     * @param header how long the request line and headers may take to arrive, from the connection's start (first
     *               request) or the request's first byte (later requests on the connection)
     * @param body   how long the whole body may take to arrive after the headers
     * @param idle   how long a connection may stay without any traffic
     */
    public record Timeouts(Duration header, Duration body, Duration idle) {
        public static final Timeouts DEFAULTS =
                new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60));

        public Timeouts {
            checkTimeout("header", header);
            checkTimeout("body", body);
            checkTimeout("idle", idle);
        }

        private static void checkTimeout(String name, Duration value) {
            requireNonNull(value, name);
            if (value.isNegative()) {
                throw new IllegalArgumentException("invalid " + name + " timeout: " + value
                        + " (expected: 0 for none, or a positive duration)");
            }
        }
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("invalid port: " + port + " (expected: 0-65535)");
        }
    }
}
