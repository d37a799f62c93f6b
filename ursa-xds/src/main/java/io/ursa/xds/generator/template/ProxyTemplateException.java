package io.ursa.xds.generator.template;

import static java.util.Objects.requireNonNull;

/**
 * A ProxyTemplate that cannot be applied to a proxy: an import Ursa does not generate, a raw resource or a
 * modification value that does not parse into its Envoy type, a modification that cannot be applied, or a
 * configuration that is inconsistent once the template is applied. The reconciler treats it as any generation
 * error (the proxy keeps its last configuration, the insight shows {@code generationError}), and logs it at WARN
 * without a stack trace, since the template, not Ursa, is what needs fixing.
 */
public final class ProxyTemplateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String template;

    public ProxyTemplateException(String template, String reason, Throwable cause) {
        super("ProxyTemplate \"" + requireNonNull(template, "template") + "\" cannot be applied: "
                + requireNonNull(reason, "reason"), cause);
        this.template = template;
    }

    /** The name of the ProxyTemplate. */
    public String template() {
        return template;
    }
}
