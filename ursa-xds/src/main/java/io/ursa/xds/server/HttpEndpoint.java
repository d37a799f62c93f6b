package io.ursa.xds.server;

/**
 * What the DP server answers on plain HTTP/1.1 (Kuma's {@code /bootstrap}). Called on a worker thread, never on
 * a network thread, so it may read the store. Must not throw for bad input: a client mistake is a 4xx answer.
 */
@FunctionalInterface
public interface HttpEndpoint {
    HttpAnswer handle(HttpCall call);
}
