package io.ursa.ctl;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLSocket;

/**
 * Explains a request to a control plane that failed below HTTP, in words a user can act on: a certificate that
 * the configured CA does not sign, one that is out of date or does not name the host, or a scheme that does not
 * match the port ({@code https://} to a plain HTTP port, {@code http://} to the HTTPS port). For the scheme it
 * probes the port once more, sending neither the request nor the token: a TLS handshake that accepts any
 * certificate, or a bare {@code GET /} over plain TCP. Empty when none of these applies.
 */
final class TransportFailures {
    static final int DEFAULT_HTTPS_PORT = 5682;
    private static final Duration MAX_PROBE = Duration.ofSeconds(5);

    private TransportFailures() {
    }

    static Optional<String> explain(URI address, ServerTrust trust, Optional<ServerTrust.Refusal> refusal,
                                    IOException failure, Duration timeout) {
        String origin = origin(address);
        if (refusal.isPresent()) {
            return Optional.of(describe(origin, address.getHost(), trust, refusal.get()));
        }
        if (isUnreachable(failure)) {
            return Optional.empty();
        }
        String host = bareHost(address);
        int port = port(address);
        Duration probe = timeout.isZero() || timeout.compareTo(MAX_PROBE) > 0 ? MAX_PROBE : timeout;
        boolean https = address.getScheme().equalsIgnoreCase("https");
        if (https && speaksPlainHttp(host, port, probe)) {
            return Optional.of("the server at " + hostPort(address) + " speaks plain HTTP, not HTTPS: use http://"
                    + hostPort(address) + ", or the control plane's HTTPS port (" + DEFAULT_HTTPS_PORT
                    + " by default)");
        }
        if (!https && speaksTls(host, port, probe)) {
            return Optional.of("the server at " + hostPort(address) + " speaks HTTPS, not plain HTTP: use https://"
                    + hostPort(address) + " (and pass the control plane's CA with --ca-cert-file)");
        }
        return Optional.empty();
    }

    private static String describe(String origin, String host, ServerTrust trust, ServerTrust.Refusal refusal) {
        X509Certificate leaf = refusal.chain().get(0);
        return switch (refusal.failure()) {
            case UNTRUSTED -> "the control plane at " + origin + " presented a certificate that " + trust.source()
                    + " does not sign (issued by " + leaf.getIssuerX500Principal().getName() + "); pass the control"
                    + " plane's CA with --ca-cert-file (it is served at GET /control-plane/ca.pem on the control"
                    + " plane's API)";
            case OUT_OF_DATE -> "the control plane at " + origin + " presented " + outOfDate(refusal.chain())
                    + "; renew it on the control plane, or check this machine's clock";
            case NAME_MISMATCH -> "the certificate of the control plane at " + origin + " does not name "
                    + bareHostName(host) + " (it names " + names(leaf) + "); use an address the certificate names,"
                    + " or add " + bareHostName(host) + " to the control plane's general.tlsSubjectAltNames";
            case REFUSED -> "the control plane at " + origin + " presented a certificate that ursactl refuses: "
                    + refusal.cause().getMessage();
        };
    }

    /** {@code a certificate (CN=x) that expired at <instant>}, for the first certificate of the chain out of date. */
    private static String outOfDate(List<X509Certificate> chain) {
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate certificate = chain.get(i);
            String which = (i == 0 ? "a certificate (" : "a chain whose CA certificate (")
                    + certificate.getSubjectX500Principal().getName() + ")";
            try {
                certificate.checkValidity();
            } catch (CertificateExpiredException e) {
                return which + " that expired at " + certificate.getNotAfter().toInstant();
            } catch (CertificateNotYetValidException e) {
                return which + " that is not valid before " + certificate.getNotBefore().toInstant();
            }
        }
        return "a certificate chain that is out of date";
    }

    /** {@code DNS:cp.example, IP:10.0.0.5}, or a note when the certificate has no such names. */
    static String names(X509Certificate certificate) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    int kind = (Integer) name.get(0);
                    if (kind == 2) {
                        out.add("DNS:" + name.get(1));
                    } else if (kind == 7) {
                        out.add("IP:" + name.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return "names that cannot be read: " + e.getMessage();
        }
        return out.isEmpty() ? "no DNS name or IP address" : String.join(", ", out);
    }

    /** Connection refused or an unknown host: the port is not there at all, nothing to probe. */
    private static boolean isUnreachable(IOException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnresolvedAddressException
                    || t instanceof java.net.UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code host:port} completes a TLS handshake, whatever its certificate. */
    static boolean speaksTls(String host, int port, Duration timeout) {
        ServerTrust.Observation ignored = new ServerTrust.Observation();
        int millis = (int) timeout.toMillis();
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(host, port), millis);
            raw.setSoTimeout(millis);
            try (SSLSocket tls = (SSLSocket) ServerTrust.anyCertificate().sslContext(ignored).getSocketFactory()
                    .createSocket(raw, host, port, true)) {
                tls.startHandshake();
                return true;
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether {@code host:port} answers a bare {@code GET /} with an HTTP status line. */
    static boolean speaksPlainHttp(String host, int port, Duration timeout) {
        int millis = (int) timeout.toMillis();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            OutputStream out = socket.getOutputStream();
            String authority = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
            out.write(("GET / HTTP/1.1\r\nHost: " + authority + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] start = in.readNBytes(5);
            return new String(start, StandardCharsets.US_ASCII).equals("HTTP/");
        } catch (IOException e) {
            return false;
        }
    }

    private static String origin(URI address) {
        return address.getScheme().toLowerCase(Locale.ROOT) + "://" + hostPort(address);
    }

    private static String hostPort(URI address) {
        return address.getHost() + ":" + port(address);
    }

    private static int port(URI address) {
        if (address.getPort() >= 0) {
            return address.getPort();
        }
        return address.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** The host without the brackets {@link URI#getHost()} keeps around an IPv6 address. */
    private static String bareHost(URI address) {
        return bareHostName(address.getHost());
    }

    private static String bareHostName(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
