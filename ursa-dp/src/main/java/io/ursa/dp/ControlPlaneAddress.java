package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * The control plane's DP server as {@code run} and {@code grpc-agent} reach it: its URL ({@code --cp-address}) and,
 * for {@code https}, how it is verified. It also tells the connection failures that no retry fixes from those worth
 * another try: a server certificate the CA does not sign or that names another host, and a scheme that does not match
 * the server (each side answers the other in a way that says so: see the design of the DP server).
 *
 * @param url the DP server's URL, {@code https://host[:port]} or {@code http://host[:port]}
 * @param tls how an {@code https} server is verified; empty exactly for {@code http}
 */
record ControlPlaneAddress(URI url, Optional<ControlPlaneTrust> tls) {
    static final String DEFAULT = "https://localhost:5678";
    static final String CA_HINT = "pass the control plane's CA with --ca-cert-file (it is served at GET"
            + " /control-plane/ca.pem on the control plane's API)";

    ControlPlaneAddress {
        requireNonNull(url, "url");
        requireNonNull(tls, "tls");
        if (isHttps(url) != tls.isPresent()) {
            throw new IllegalArgumentException("invalid TLS settings for " + url + " (expected: trust settings"
                    + " exactly for https)");
        }
    }

    /**
     * An absolute {@code http(s)://host[:port]} URL; anything else is a {@link DpException} that names {@code flag}.
     */
    static URI parse(String text, String flag) {
        String expected = " (expected: the URL of the control plane's DP server, e.g. " + DEFAULT + ", or"
                + " http://host:port for a plaintext one)";
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new DpException("invalid " + flag + " \"" + text + "\": " + e.getReason() + expected);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new DpException("invalid " + flag + " \"" + text + "\"" + expected);
        }
        return uri;
    }

    boolean isTls() {
        return tls.isPresent();
    }

    /** The host as a socket address takes it: an IPv6 address without brackets. */
    String host() {
        String host = url.getHost();
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** The port of the URL, or {@code defaultPort} when it has none. */
    int port(int defaultPort) {
        return url.getPort() > 0 ? url.getPort() : defaultPort;
    }

    /** {@code https://host:port}, without a path. */
    String origin() {
        return origin(url.getScheme().toLowerCase(Locale.ROOT));
    }

    /** For logs: {@code https://cp:5678 (verified against the CA in --ca-cert-file /x/ca.pem)}. */
    String describe() {
        return url + tls.map(trust -> " (verified against " + trust.source() + ")").orElse(" (plaintext)");
    }

    /** A plaintext URL where the server speaks TLS: the way to connect is https. */
    DpException speaksTls() {
        return new DpException("the control plane at " + origin() + " speaks TLS: use " + origin("https"));
    }

    /** A TLS URL where the server speaks plaintext (or something else that is not TLS). */
    DpException doesNotSpeakTls() {
        return new DpException("the control plane at " + origin() + " does not speak TLS on this port: use "
                + origin("http") + " if it runs with dpServer.plaintext, or check the port");
    }

    /**
     * The failure that no retry fixes in {@code error} (anywhere in its causes), as the message to end with; empty
     * when another try may work (a refused connection, a timeout, a restarting server).
     */
    Optional<DpException> refusal(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (tls.isEmpty()) {
                if (requiresTls(message)) {
                    return Optional.of(speaksTls());
                }
                continue;
            }
            if (t instanceof CertificateException || t instanceof CertPathValidatorException
                    || t instanceof CertPathBuilderException) {
                return Optional.of(certificateRefused(t));
            }
            if ((t instanceof SSLException && message.contains("Unsupported or unrecognized SSL message"))
                    || t.getClass().getSimpleName().equals("NotSslRecordException")
                    || message.contains("not an SSL/TLS record")) {
                return Optional.of(doesNotSpeakTls());
            }
        }
        return Optional.empty();
    }

    /** Whether a server's answer says that it wants TLS (the DP server's own words, or a common proxy's). */
    static boolean requiresTls(String answer) {
        String text = answer.toLowerCase(Locale.ROOT);
        return text.contains("requires tls") || text.contains("plain http request was sent to https port");
    }

    private DpException certificateRefused(Throwable certificateError) {
        String detail = rootMessage(certificateError);
        if (detail.startsWith("No subject alternative") || detail.startsWith("No name matching")) {
            return new DpException("the control plane at " + origin() + " presented a certificate that is not valid"
                    + " for " + url.getHost() + ": " + detail + "; use a --cp-address whose host the certificate"
                    + " names, or add " + url.getHost() + " to the control plane's general.tlsSubjectAltNames");
        }
        return new DpException("the control plane at " + origin() + " presented a certificate that "
                + tls.orElseThrow().source() + " does not sign: " + detail + "; " + CA_HINT);
    }

    private String origin(String scheme) {
        return scheme + "://" + url.getRawAuthority();
    }

    /** The message of the deepest cause that has one: the JDK's own words, without its wrappers' prefixes. */
    private static String rootMessage(Throwable error) {
        String message = error.getClass().getSimpleName();
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        return message;
    }

    private static boolean isHttps(URI url) {
        return "https".equalsIgnoreCase(url.getScheme());
    }
}
