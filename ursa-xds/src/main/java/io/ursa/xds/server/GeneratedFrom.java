package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import io.ursa.xds.context.ProxyMetadata;

/**
 * What a stream's configuration was last generated from: the content hash of its mesh's context (for a zone
 * proxy, of its own inputs), what the proxy reported about itself, and the version of its identity certificate
 * ({@code ""} without mTLS). The reconciler generates a proxy again only when one of them changed.
 *
 * @param context   the mesh context's content hash, or a zone proxy's inputs
 * @param metadata  the proxy's metadata; null for a zone proxy, whose inputs include it
 * @param identity  the identity certificate's version, or {@code ""}
 */
record GeneratedFrom(String context, ProxyMetadata metadata, String identity) {
    GeneratedFrom {
        requireNonNull(context, "context");
        requireNonNull(identity, "identity");
    }

    /** For a zone proxy: everything it is generated from, as one text. */
    static GeneratedFrom zoneProxy(String inputs) {
        return new GeneratedFrom(inputs, null, "");
    }

    /** The same inputs in the context whose hash is {@code context} (a change that leaves this proxy as it was). */
    GeneratedFrom in(String context) {
        return new GeneratedFrom(context, metadata, identity);
    }
}
