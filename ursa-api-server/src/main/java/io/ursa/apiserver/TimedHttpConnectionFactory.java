package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP/1.1 connections that cut slow clients (the {@code general.http} timeouts, what Go's {@code ReadHeaderTimeout}
 * does for Kuma, which Jetty 11 has no setting for):
 * <ul>
 *   <li>the request line and headers must arrive within the header timeout, counted from the connection's start
 *       for its first request (so it covers a TLS handshake and a client that sends nothing) and from the first
 *       byte of each later request (an idle keep-alive connection is the idle timeout's business);</li>
 *   <li>the body must arrive within the body timeout once the headers are in.</li>
 * </ul>
 * A client that misses either has its connection closed; a handler blocked reading the body fails with an I/O
 * error, and nothing more is written. The parser reports every state change ({@link HttpParser#setState} is the
 * one place Jetty 11 changes it), so the deadlines follow the request exactly, without polling.
 */
final class TimedHttpConnectionFactory extends HttpConnectionFactory {
    private static final Logger log = LoggerFactory.getLogger(TimedHttpConnectionFactory.class);

    private final ApiServerConfig.Timeouts timeouts;

    TimedHttpConnectionFactory(HttpConfiguration config, ApiServerConfig.Timeouts timeouts) {
        super(config);
        this.timeouts = requireNonNull(timeouts, "timeouts");
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        TimedHttpConnection connection = new TimedHttpConnection(getHttpConfiguration(), connector, endPoint,
                isRecordHttpComplianceViolations(), timeouts);
        connection.setUseInputDirectByteBuffers(isUseInputDirectByteBuffers());
        connection.setUseOutputDirectByteBuffers(isUseOutputDirectByteBuffers());
        return configure(connection, connector, endPoint);
    }

    /**
     * One connection and its two deadlines. Parsing runs on one thread at a time (Jetty's), the deadlines expire on
     * the connector's scheduler; {@link Deadline} is what they share.
     */
    private static final class TimedHttpConnection extends HttpConnection {
        private final Deadline headers;
        private final Deadline body;

        TimedHttpConnection(HttpConfiguration config, Connector connector, EndPoint endPoint,
                            boolean recordComplianceViolations, ApiServerConfig.Timeouts timeouts) {
            super(config, connector, endPoint, recordComplianceViolations);
            this.headers = new Deadline(connector.getScheduler(), timeouts.header(),
                    () -> cut("request headers", timeouts.header()));
            this.body = new Deadline(connector.getScheduler(), timeouts.body(),
                    () -> cut("request body", timeouts.body()));
        }

        @Override
        protected HttpParser newHttpParser(HttpCompliance compliance) {
            // called by HttpConnection's constructor: the deadlines are not set yet, StateReportingParser checks
            HttpParser parser = new StateReportingParser(newRequestHandler(),
                    getHttpConfiguration().getRequestHeaderSize(), compliance, this);
            parser.setHeaderCacheSize(getHttpConfiguration().getHeaderCacheSize());
            parser.setHeaderCacheCaseSensitive(getHttpConfiguration().isHeaderCacheCaseSensitive());
            return parser;
        }

        @Override
        public void onOpen() {
            super.onOpen();
            headers.arm();
        }

        @Override
        public void onClose(Throwable cause) {
            headers.disarm();
            body.disarm();
            super.onClose(cause);
        }

        void onParserState(HttpParser.State state) {
            if (headers == null) {
                return; // still in the constructor
            }
            if (state == HttpParser.State.START) {
                body.disarm(); // between requests: the first byte of the next one arms the header deadline
            } else if (state.ordinal() < HttpParser.State.CONTENT.ordinal()) {
                headers.arm();
            } else if (state.ordinal() < HttpParser.State.END.ordinal()) {
                headers.disarm();
                body.arm();
            } else {
                headers.disarm();
                body.disarm();
            }
        }

        private void cut(String what, java.time.Duration timeout) {
            log.debug("closing the connection from {}: the {} did not arrive within {}",
                    getEndPoint().getRemoteAddress(), what, timeout);
            getEndPoint().close();
        }
    }

    /** A request parser that tells its connection each state it enters. */
    private static final class StateReportingParser extends HttpParser {
        private final TimedHttpConnection connection;

        StateReportingParser(RequestHandler handler, int maxHeaderBytes, HttpCompliance compliance,
                             TimedHttpConnection connection) {
            super(handler, maxHeaderBytes, compliance);
            this.connection = connection;
        }

        @Override
        protected void setState(State state) {
            super.setState(state);
            if (connection != null) {
                connection.onParserState(state);
            }
        }
    }
}
