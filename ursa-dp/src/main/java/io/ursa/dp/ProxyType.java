package io.ursa.dp;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --proxy-type}: what the agent runs Envoy as, and which resource type a definition must have. A gateway,
 * delegated or builtin, is a {@link #DATAPLANE}: its Dataplane's {@code networking.gateway} says so, and the control
 * plane builds its bootstrap from that (as kuma-dp, which has no gateway proxy type either).
 */
enum ProxyType {
    DATAPLANE("Dataplane"),
    INGRESS("ZoneIngress"),
    EGRESS("ZoneEgress");

    private final String resourceType;

    ProxyType(String resourceType) {
        this.resourceType = resourceType;
    }

    /** The name sent to the control plane and accepted on the command line. */
    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Kuma's type name of the resource a definition for this proxy type must have. */
    String resourceType() {
        return resourceType;
    }

    /** Whether the proxy belongs to a mesh (zone ingress and egress proxies do not). */
    boolean needsMesh() {
        return this == DATAPLANE;
    }

    /**
     * Whether the agent runs the parts that serve a sidecar's application next to Envoy: the DNS server of
     * transparent proxying (and the DNS ports in the bootstrap request) and the metrics hijacker. A zone ingress or
     * egress serves no application and belongs to no mesh, so it gets neither (kuma-dp skips the DNS server for
     * them too).
     */
    boolean isSidecar() {
        return this == DATAPLANE;
    }

    @Override
    public String toString() {
        return wireName();
    }

    /** picocli converter: the lower-case names only, with Kuma's error message. */
    static final class Converter implements ITypeConverter<ProxyType> {
        @Override
        public ProxyType convert(String value) {
            for (ProxyType type : values()) {
                if (type.wireName().equals(value)) {
                    return type;
                }
            }
            throw new TypeConversionException("invalid proxy type \"" + value + "\" (expected: "
                    + Arrays.stream(values()).map(ProxyType::wireName).collect(Collectors.joining(", ")) + ")");
        }
    }
}
