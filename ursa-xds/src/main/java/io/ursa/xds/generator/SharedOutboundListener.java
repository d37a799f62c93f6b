package io.ursa.xds.generator;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Any;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.ursa.xds.context.SharedResources;
import io.ursa.xds.envoy.Protos;
import io.ursa.xds.envoy.listeners.HttpConfigurers;
import io.ursa.xds.snapshot.SnapshotAssembler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The outbound listener of one destination as the proxies of a mesh context share it: built once for every caller
 * whose inputs for that outbound are equal, then given each caller's {@code x-kuma-tags} request header, the one
 * part of an outbound HTTP listener that differs between workloads whose policies select alike.
 *
 * <p>The header is the only entry of the inline route configuration's {@code request_headers_to_add} (field 6) in
 * the HTTP connection manager's {@code route_config} (field 4). Protobuf writes a message's fields in the order of
 * their numbers, so the connection manager's bytes with a header are those of the fields before 4, field 4 (tag,
 * length, the route configuration's fields before 6, the header's entry, its fields after 6), then its fields
 * after 4. The shared listener keeps those four runs of bytes, cut out of the connection manager it packed once
 * (deterministically) without the header, and a caller's listener is them around its header: byte for byte what
 * packing the connection manager built with the header gives ({@code SharedAcrossWorkloadsTest} checks it), for one
 * array copy instead of building and serializing the connection manager and its routes again.
 */
abstract sealed class SharedOutboundListener {
    private SharedOutboundListener() {
    }

    /**
     * The listener of a caller whose {@code x-kuma-tags} header is {@code header}, in the mesh context whose shared
     * resources are {@code shared} (told that the caller's filter refers to what the shared one does).
     */
    abstract Listener forCaller(KumaTagsHeader header, SharedResources shared);

    /** A listener that holds nothing of its caller (no route, TCP): every caller gets this instance. */
    static SharedOutboundListener complete(Listener listener) {
        return new Complete(listener);
    }

    /**
     * An HTTP listener whose one filter chain's one filter is the connection manager {@code hcm}, built without the
     * {@code x-kuma-tags} header; {@code listener} holds it packed as Envoy gets it when the header is empty.
     */
    static SharedOutboundListener withCallerTags(Listener listener, HttpConnectionManager hcm) {
        return new WithCallerTags(listener, hcm);
    }

    /**
     * The {@code x-kuma-tags} request header of one caller as the entry of {@code request_headers_to_add} is
     * serialized (tag, length, value); no bytes when the caller has no tags, as then it has no header.
     */
    record KumaTagsHeader(byte[] entry) {
        private static final KumaTagsHeader NONE = new KumaTagsHeader(new byte[0]);

        KumaTagsHeader {
            requireNonNull(entry, "entry");
        }

        /** The header with {@code serializedTags} (Kuma's {@code tags.Serialize}); none when that is empty. */
        static KumaTagsHeader of(String serializedTags) {
            if (serializedTags.isEmpty()) {
                return NONE;
            }
            return new KumaTagsHeader(ProtoFields.lengthDelimited(RouteConfiguration.REQUEST_HEADERS_TO_ADD_FIELD_NUMBER,
                    Protos.deterministicBytes(header(serializedTags))));
        }

        /** The header as the route configuration holds it. */
        static HeaderValueOption header(String serializedTags) {
            return HeaderValueOption.newBuilder()
                    .setHeader(HeaderValue.newBuilder().setKey(HttpConfigurers.KUMA_TAGS_HEADER)
                            .setValue(serializedTags))
                    .build();
        }
    }

    private static final class Complete extends SharedOutboundListener {
        private final Listener listener;

        Complete(Listener listener) {
            this.listener = requireNonNull(listener, "listener");
        }

        @Override
        Listener forCaller(KumaTagsHeader header, SharedResources shared) {
            return listener;
        }
    }

    private static final class WithCallerTags extends SharedOutboundListener {
        private static final int ROUTE_CONFIG = HttpConnectionManager.ROUTE_CONFIG_FIELD_NUMBER;
        private static final int HEADERS_TO_ADD = RouteConfiguration.REQUEST_HEADERS_TO_ADD_FIELD_NUMBER;

        private final Listener listener;
        private final String typeUrl;
        private final byte[] hcmBefore;
        private final byte[] routesBefore;
        private final byte[] routesAfter;
        private final byte[] hcmAfter;

        WithCallerTags(Listener listener, HttpConnectionManager hcm) {
            this.listener = requireNonNull(listener, "listener");
            if (!hcm.hasRouteConfig() || hcm.getRouteConfig().getRequestHeadersToAddCount() != 0) {
                throw new IllegalArgumentException("connection manager " + hcm.getStatPrefix()
                        + " (expected: inline routes without request headers to add)");
            }
            Any packed = listener.getFilterChains(0).getFilters(0).getTypedConfig();
            this.typeUrl = packed.getTypeUrl();
            byte[] bytes = packed.getValue().toByteArray();
            try {
                Field routes = field(bytes, 0, bytes.length, ROUTE_CONFIG);
                int split = firstAfter(bytes, routes.valueStart(), routes.end(), HEADERS_TO_ADD);
                this.hcmBefore = Arrays.copyOfRange(bytes, 0, routes.start());
                this.routesBefore = Arrays.copyOfRange(bytes, routes.valueStart(), split);
                this.routesAfter = Arrays.copyOfRange(bytes, split, routes.end());
                this.hcmAfter = Arrays.copyOfRange(bytes, routes.end(), bytes.length);
            } catch (IOException e) {
                throw new IllegalArgumentException("connection manager " + hcm.getStatPrefix()
                        + " does not parse back", e);
            }
        }

        /** Where a length-delimited field is in a serialized message: its tag, its value, its end. */
        private record Field(int start, int valueStart, int end) {
        }

        /** The length-delimited field numbered {@code number} among the fields serialized in {@code bytes[from, to)}. */
        private static Field field(byte[] bytes, int from, int to, int number) throws IOException {
            int start = firstFrom(bytes, from, to, number);
            CodedInputStream in = CodedInputStream.newInstance(bytes, start, to - start);
            if (start == to || WireFormat.getTagFieldNumber(in.readTag()) != number) {
                throw new IOException("no field " + number);
            }
            int length = in.readRawVarint32();
            int valueStart = start + in.getTotalBytesRead();
            return new Field(start, valueStart, valueStart + length);
        }

        /**
         * Where a field numbered {@code number} goes among the fields serialized in {@code bytes[from, to)}, which
         * hold none: before the first field with a greater number, or at the end.
         */
        private static int firstAfter(byte[] bytes, int from, int to, int number) throws IOException {
            int start = firstFrom(bytes, from, to, number);
            if (start != to && WireFormat.getTagFieldNumber(
                    CodedInputStream.newInstance(bytes, start, to - start).readTag()) == number) {
                throw new IOException("field " + number + " is present");
            }
            return start;
        }

        /** The start of the first field numbered {@code number} or more in {@code bytes[from, to)}, or {@code to}. */
        private static int firstFrom(byte[] bytes, int from, int to, int number) throws IOException {
            CodedInputStream in = CodedInputStream.newInstance(bytes, from, to - from);
            while (!in.isAtEnd()) {
                int start = from + in.getTotalBytesRead();
                int tag = in.readTag();
                if (WireFormat.getTagFieldNumber(tag) >= number) {
                    return start;
                }
                in.skipField(tag);
            }
            return to;
        }

        @Override
        Listener forCaller(KumaTagsHeader header, SharedResources shared) {
            if (header.entry().length == 0) {
                return listener;
            }
            int routesSize = routesBefore.length + header.entry().length + routesAfter.length;
            byte[] hcm = new byte[hcmBefore.length + CodedOutputStream.computeTagSize(ROUTE_CONFIG)
                    + CodedOutputStream.computeUInt32SizeNoTag(routesSize) + routesSize + hcmAfter.length];
            CodedOutputStream out = CodedOutputStream.newInstance(hcm);
            try {
                out.writeRawBytes(hcmBefore);
                out.writeTag(ROUTE_CONFIG, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(routesSize);
                out.writeRawBytes(routesBefore);
                out.writeRawBytes(header.entry());
                out.writeRawBytes(routesAfter);
                out.writeRawBytes(hcmAfter);
                out.checkNoSpaceLeft();
            } catch (IOException e) {
                throw new UncheckedIOException(e); // an array of the exact size cannot overflow
            }
            Any config = Any.newBuilder().setTypeUrl(typeUrl).setValue(UnsafeByteOperations.unsafeWrap(hcm)).build();
            FilterChain chain = listener.getFilterChains(0);
            Filter filter = chain.getFilters(0).toBuilder().setTypedConfig(config).build();
            // a request header refers to nothing: the caller's routes name the clusters the shared ones name
            SnapshotAssembler.sameReferences(shared, filter, chain.getFilters(0));
            return listener.toBuilder().setFilterChains(0, chain.toBuilder().setFilters(0, filter)).build();
        }
    }
}
