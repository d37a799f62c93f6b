package io.ursa.xds.generator;

import static java.util.Objects.requireNonNull;

import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.resources.ResourceSet;
import java.util.List;

/**
 * An ordered list of {@link Generator}s whose result is the merge of theirs. Unlike Kuma, where a later resource
 * with the same (type, name) silently replaces an earlier one, a duplicate is an error that names both the
 * generator and the resource. Immutable and thread-safe.
 */
public final class Profile {
    private final List<Generator> generators;

    private Profile(List<Generator> generators) {
        this.generators = List.copyOf(generators);
    }

    public static Profile of(Generator... generators) {
        return new Profile(List.of(generators));
    }

    public static Profile of(List<Generator> generators) {
        return new Profile(requireNonNull(generators, "generators"));
    }

    public List<Generator> generators() {
        return generators;
    }

    /**
     * Runs every generator in order and merges their resources.
     *
     * @throws IllegalStateException when a generator fails or emits a (type, name) that an earlier one emitted
     */
    public ResourceSet generate(ProxyContext proxy) {
        return generate(proxy, NO_ONE);
    }

    /** Told what each generator emitted, in the profile's order. */
    @FunctionalInterface
    public interface Emitted {
        void by(Generator generator, ResourceSet resources);
    }

    private static final Emitted NO_ONE = (generator, resources) -> { };

    /**
     * {@link #generate(ProxyContext)}, telling {@code emitted} what each generator emitted (a ProxyTemplate needs
     * each resource's origin, {@link Generator#origin()}); the common path tells no one and pays nothing.
     */
    public ResourceSet generate(ProxyContext proxy, Emitted emitted) {
        requireNonNull(proxy, "proxy");
        requireNonNull(emitted, "emitted");
        ResourceSet.Builder result = ResourceSet.builder();
        for (Generator generator : generators) {
            ResourceSet generated;
            try {
                generated = requireNonNull(generator.generate(proxy), "resources");
            } catch (RuntimeException e) {
                throw new IllegalStateException("generator " + generator.name() + " failed for Dataplane "
                        + proxy.dataplane().key() + ": " + e.getMessage(), e);
            }
            try {
                result.addAll(generated);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("generator " + generator.name() + " emitted a resource that an "
                        + "earlier generator already emitted for Dataplane " + proxy.dataplane().key() + ": "
                        + e.getMessage() + " (expected: every (type, name) from one generator)", e);
            }
            emitted.by(generator, generated);
        }
        return result.build();
    }
}
