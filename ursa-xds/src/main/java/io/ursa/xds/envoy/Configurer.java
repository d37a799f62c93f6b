package io.ursa.xds.envoy;

/**
 * One aspect of an Envoy proto (its address, its timeouts, its protocol options, ...), applied to the proto's
 * builder. Builders apply their configurers in the order they were given, so each aspect is set in one place.
 *
 * @param <B> the protobuf builder the aspect is written to
 */
@FunctionalInterface
public interface Configurer<B> {
    void configure(B builder);
}
