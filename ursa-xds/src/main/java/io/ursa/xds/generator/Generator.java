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
}
