package io.ursa.cp;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.envoyproxy.controlplane.server.exception.RequestException;
import org.slf4j.Marker;

/**
 * Drops java-control-plane's ERROR with a stack trace ({@code [n] stream closed with error}) for a stream the DP
 * server refused on purpose: a proxy with a bad token, of an unknown mesh or with an invalid Dataplane. The
 * refusal is an expected outcome, already logged as one WARN line naming the proxy and the reason
 * ({@code refused proxy …}); a stack trace must mean a bug. Every other error of that logger still shows.
 * Installed by {@code logback.xml}.
 */
public final class RefusedProxyLogFilter extends TurboFilter {
    /** The logger java-control-plane reports closed streams with. */
    static final String DISCOVERY_SERVER_LOGGER = "io.envoyproxy.controlplane.server.DiscoveryServer";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (level != Level.ERROR || !DISCOVERY_SERVER_LOGGER.equals(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        // slf4j passes a trailing throwable among the parameters until the event is built
        Throwable thrown = t;
        if (thrown == null && params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last) {
            thrown = last;
        }
        return thrown instanceof RequestException ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
