package io.ursa.xds.generator;

import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.resources.ResourceSet;

/**
 * One concern of a proxy's Envoy configuration (inbound, outbound, admin, ...): a stateless function from a
 * proxy's context to a fresh, immutable {@link ResourceSet}. A generator that does not apply to a proxy returns
 * {@link ResourceSet#empty()}; its type comment says when that is. Implementations are thread-safe.
 */
@FunctionalInterface
public interface Generator {
    ResourceSet generate(ProxyContext proxy);

    /** The name used in error messages; the class's simple name unless overridden. */
    default String name() {
        return getClass().getSimpleName();
    }

    /**
     * The origin Kuma marks this generator's resources with ({@link Origins}), which ProxyTemplate modifications
     * select by; empty for a generator Kuma has no counterpart of (only a modification without
     * {@code match.origin} then selects its resources).
     */
    default String origin() {
        return "";
    }
}
