package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The API's Jetty connectors: plain HTTP and HTTPS serve the same routes, each with the idle timeout and the
 * header and body deadlines of {@link TimedHttpConnectionFactory}. HTTPS offers HTTP/1.1 only, TLS from the
 * configured minimum version (1.2 or 1.3) with Jetty's default cipher exclusions; the SNI host is not checked
 * against the certificate (clients check the certificate themselves). Built on the owner's thread by
 * {@link ApiServer}; the ports are read after start.
 */
final class Listeners {
    private final ApiServerConfig config;
    private ServerConnector http; // set when Javalin builds the server, before start
    private ServerConnector https;

    Listeners(ApiServerConfig config) {
        this.config = requireNonNull(config, "config");
    }

    ServerConnector httpConnector(Server server, HttpConfiguration httpConfig) {
        ApiServerConfig.Listener listener = config.http().orElseThrow();
        http = new ServerConnector(server, new TimedHttpConnectionFactory(httpConfig, config.timeouts()));
        configure(http, listener.host(), listener.port());
        return http;
    }

    ServerConnector httpsConnector(Server server, HttpConfiguration httpConfig) {
        ApiServerConfig.Https listener = config.https().orElseThrow();
        PemKeyStore keys = PemKeyStore.parse(listener.certificateChainPem(), listener.privateKeyPem());
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(keys.keyStore());
        tls.setKeyStorePassword(keys.password());
        tls.setKeyManagerPassword(keys.password());
        tls.setCertAlias(PemKeyStore.ALIAS);
        tls.setIncludeProtocols(listener.minTlsVersion() == ApiServerConfig.TlsVersion.TLSv1_3
                ? new String[] {"TLSv1.3"} : new String[] {"TLSv1.2", "TLSv1.3"});
        tls.setSniRequired(false);

        HttpConfiguration secure = new HttpConfiguration(httpConfig);
        secure.setSecureScheme("https");
        secure.addCustomizer(new SecureRequestCustomizer(false));
        https = new ServerConnector(server, new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()),
                new TimedHttpConnectionFactory(secure, config.timeouts()));
        configure(https, listener.host(), listener.port());
        return https;
    }

    private void configure(ServerConnector connector, String host, int port) {
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(config.timeouts().idle().toMillis());
    }

    OptionalInt httpPort() {
        return http == null ? OptionalInt.empty() : OptionalInt.of(http.getLocalPort());
    }

    OptionalInt httpsPort() {
        return https == null ? OptionalInt.empty() : OptionalInt.of(https.getLocalPort());
    }

    /** Where the API listens, e.g. {@code http://0.0.0.0:5681}, HTTP first. */
    List<URI> addresses() {
        List<URI> addresses = new ArrayList<>();
        config.http().ifPresent(l -> addresses.add(uri("http", l.host(), httpPort().orElse(l.port()))));
        config.https().ifPresent(l -> addresses.add(uri("https", l.host(), httpsPort().orElse(l.port()))));
        return addresses;
    }

    private static URI uri(String scheme, String host, int port) {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return URI.create(scheme + "://" + h + ":" + port);
    }
}
