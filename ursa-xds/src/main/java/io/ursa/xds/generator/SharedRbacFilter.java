package io.ursa.xds.generator;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Any;
import com.google.protobuf.UnsafeByteOperations;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.ursa.xds.envoy.Protos;
import io.ursa.xds.envoy.listeners.NetworkFilters;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The network RBAC filter of one set of rules as the inbound listeners of a mesh context share it: the rules
 * (from the TrafficPermission that matches an inbound's tags) are the same for every proxy of a workload, but the
 * filter's {@code stat_prefix} names the listener, whose name holds the proxy's own address.
 *
 * <p>The filter's config ({@code envoy.extensions.filters.network.rbac.v3.RBAC}) holds only {@code rules} (field 1)
 * and {@code stat_prefix} (field 3), and protobuf writes fields in the order of their numbers, so its packed bytes
 * are those of the rules field followed by those of the stat prefix field. This keeps the first run of bytes,
 * packed once (deterministically), and appends each listener's prefix: byte for byte what
 * {@link NetworkFilters#rbac} packs ({@code SharedInboundTest} checks it), without serializing the rules again for
 * every listener. Immutable.
 */
final class SharedRbacFilter {
    private static final int STAT_PREFIX =
            io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.STAT_PREFIX_FIELD_NUMBER;

    private final String typeUrl;
    private final byte[] rulesField;

    private SharedRbacFilter(String typeUrl, byte[] rulesField) {
        this.typeUrl = typeUrl;
        this.rulesField = rulesField;
    }

    /** The filter enforcing {@code rules}, ready to be given each listener's stat prefix. */
    static SharedRbacFilter of(RBAC rules) {
        io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC config =
                io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.newBuilder()
                        .setRules(requireNonNull(rules, "rules"))
                        .build();
        return new SharedRbacFilter(Protos.typeUrl(config), Protos.deterministicBytes(config));
    }

    /** The filter with stats under {@code statPrefix}: what {@code NetworkFilters.rbac(statPrefix, rules)} gives. */
    Filter withStatPrefix(String statPrefix) {
        byte[] prefix = requireNonNull(statPrefix, "statPrefix").getBytes(StandardCharsets.UTF_8);
        byte[] config = rulesField;
        if (prefix.length != 0) { // proto3: an empty string is not written
            byte[] field = ProtoFields.lengthDelimited(STAT_PREFIX, prefix);
            config = Arrays.copyOf(rulesField, rulesField.length + field.length);
            System.arraycopy(field, 0, config, rulesField.length, field.length);
        }
        return Filter.newBuilder()
                .setName(NetworkFilters.RBAC)
                .setTypedConfig(Any.newBuilder().setTypeUrl(typeUrl).setValue(UnsafeByteOperations.unsafeWrap(config)))
                .build();
    }
}
