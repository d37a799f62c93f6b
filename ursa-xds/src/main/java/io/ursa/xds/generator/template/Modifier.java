package io.ursa.xds.generator.template;

/** One ProxyTemplate modification, ready to apply to a proxy's resources. */
@FunctionalInterface
interface Modifier {
    /**
     * Applies the modification to {@code resources}.
     *
     * @throws IllegalArgumentException saying why it cannot be applied
     */
    void apply(TemplateResources resources);
}
