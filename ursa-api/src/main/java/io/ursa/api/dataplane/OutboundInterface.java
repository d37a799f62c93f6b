package io.ursa.api.dataplane;

/** An outbound listener of a proxy without transparent proxying. */
public record OutboundInterface(String dataplaneIp, int dataplanePort) {
    /** Where an outbound listens unless its {@code address} is set. */
    public static final String DEFAULT_ADDRESS = "127.0.0.1";
}
