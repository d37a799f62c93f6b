package io.ursa.xds.server;

import io.grpc.Status;

/**
 * A proxy cannot be served: unknown mesh, invalid Dataplane, bad token. The stream is closed with {@link #status()}
 * and the message, which is also logged.
 */
final class ProxyRefusedException extends Exception {
    private final Status.Code code;

    ProxyRefusedException(Status.Code code, String message) {
        super(message);
        this.code = code;
    }

    Status status() {
        return Status.fromCode(code).withDescription(getMessage());
    }
}
