package io.ursa.apiserver;

import io.javalin.http.Context;

/**
 * With {@code readOnly}, writes answer 405 with a plain-text explanation, as Kuma's read-only modes do (spec §8.1).
 * Kuma 2.0 answers its Kubernetes message in this mode; ours says what is actually going on.
 */
final class ReadOnlyMode {
    static final String MESSAGE = "The control plane's API is read-only (apiServer.readOnly is true): you cannot"
            + " change resources with 'ursactl apply' or via the HTTP API."
            + " You can still use 'ursactl' or the HTTP API to make read-only operations.\n";

    private ReadOnlyMode() {
    }

    static void refuse(Context ctx) {
        ctx.status(405).contentType("text/plain; charset=utf-8").result(MESSAGE);
    }
}
