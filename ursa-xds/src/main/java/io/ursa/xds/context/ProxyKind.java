package io.ursa.xds.context;

/** The kind of data plane behind an xDS stream; it selects the generator profile. */
public enum ProxyKind {
    /** An Envoy sidecar run by {@code ursa-dp}: listeners bound to ports, clusters, EDS. */
    ENVOY,
    /** A proxyless gRPC application using {@code io.grpc:grpc-xds}: API listeners named after services. */
    GRPC
}
