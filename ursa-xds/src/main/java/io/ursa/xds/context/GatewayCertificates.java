package io.ursa.xds.context;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.ursa.api.spec.DataSource;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The certificate data sources of the mesh's MeshGateway listeners with {@code tls.mode: TERMINATE}, loaded when
 * the mesh context was built (from the mesh's Secrets, the control plane's files, or inline): by {@link #key} of
 * the data source, either its bytes or why they could not be loaded. Whether the bytes are a usable PEM
 * certificate and key is the gateway generator's to decide.
 *
 * @param bySource the content of each data source, by {@link #key}
 */
public record GatewayCertificates(Map<String, Content> bySource) {
    /** The bytes of a data source, or why it could not be loaded (exactly one is set). */
    public record Content(Optional<ByteString> data, String error) {
        public Content {
            requireNonNull(data, "data");
            requireNonNull(error, "error");
            if (data.isPresent() == !error.isEmpty()) {
                throw new IllegalArgumentException("exactly one of data and error must be given");
            }
        }
    }

    private static final GatewayCertificates NONE = new GatewayCertificates(Map.of());

    public GatewayCertificates {
        bySource = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(bySource, "bySource")));
    }

    /** No certificates: a mesh without TERMINATE listeners. */
    public static GatewayCertificates none() {
        return NONE;
    }

    /**
     * The identity of a data source: {@code secret:<name>}, {@code file:<path>}, {@code inline:<base64>} or
     * {@code inlineString:<value>}.
     */
    public static String key(DataSource source) {
        requireNonNull(source, "source");
        if (source.secret() != null) {
            return "secret:" + source.secret();
        }
        if (source.file() != null) {
            return "file:" + source.file();
        }
        if (source.inline() != null) {
            return "inline:" + source.inline().base64();
        }
        return "inlineString:" + (source.inlineString() == null ? "" : source.inlineString());
    }

    /** The content of {@code source}; empty when it was not loaded (it is no TERMINATE listener's). */
    public Optional<Content> of(DataSource source) {
        return Optional.ofNullable(bySource.get(key(source)));
    }
}
