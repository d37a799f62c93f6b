package io.ursa.xds.generator.template;

import static java.util.Objects.requireNonNull;

import io.ursa.api.policy.ProxyTemplateSpec;
import io.ursa.api.policy.ProxyTemplateSpec.Conf;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.ProxyKind;
import io.ursa.xds.generator.Profile;
import io.ursa.xds.generator.Profiles;
import io.ursa.xds.generator.policies.ConnectionPolicies;
import io.ursa.xds.generator.policies.PolicyMatch;
import io.ursa.xds.resources.ResourceSet;
import java.util.List;
import java.util.Optional;

/**
 * What a ProxyTemplate does to an Envoy sidecar, as Kuma 2.0 does it ({@code pkg/xds/template},
 * {@code pkg/xds/generator/proxy_template.go}, {@code pkg/xds/server/v3/reconcile.go}):
 * <ol>
 *   <li><b>Selection</b>: the ProxyTemplate whose most specific {@code selectors} entry matches one of the
 *       proxy's tag sets wins (more tags, then more exact values; then the one created later, then the first
 *       name: {@link ConnectionPolicies#matchDataplane}, Kuma's {@code SelectDataplanePolicy}). Without one, the
 *       proxy gets the {@code default-proxy} profile, exactly as without this feature, at no extra cost.</li>
 *   <li><b>imports</b>: each profile in order; {@code default-proxy} is {@link Profiles#envoy()}. As in Kuma, a
 *       template with no imports generates no profile at all: the proxy gets only the template's resources.
 *       Ursa generates no {@code egress-proxy}, {@code ingress-proxy} or {@code gateway-proxy} for a Dataplane;
 *       importing one is an error (Kuma would run a zone proxy's or gateway's generators on it).</li>
 *   <li><b>resources</b>: {@link RawResources}, replacing generated resources of the same type and name.</li>
 *   <li><b>modifications</b>: {@link Modifiers}, in order, on everything above; each resource carries the
 *       {@link io.ursa.xds.generator.Generator#origin() origin} of the generator that made it.</li>
 * </ol>
 * Anything that cannot be applied fails the generation with a {@link ProxyTemplateException} naming the template
 * and the reason; the proxy keeps its last configuration. Proxyless gRPC applications get no ProxyTemplate: their
 * resources are grpc-xds's, not Envoy's, and the modifications address Envoy listeners and filters. Stateless.
 */
public final class ProxyTemplates {
    /** The one profile Ursa generates for a Dataplane. */
    static final String DEFAULT_PROXY = "default-proxy";
    /** Kuma's profile of a builtin gateway. */
    static final String GATEWAY_PROXY = "gateway-proxy";

    private ProxyTemplates() {
    }

    /**
     * The ProxyTemplate applied to {@code proxy}: for an Envoy sidecar the best-matching one; empty for proxyless
     * gRPC, and when none matches.
     */
    public static Optional<Resource<ProxyTemplateSpec>> select(ProxyContext proxy) {
        requireNonNull(proxy, "proxy");
        if (proxy.metadata().kind() != ProxyKind.ENVOY
                || proxy.mesh().policies(ResourceTypes.PROXY_TEMPLATE).isEmpty()) {
            return Optional.empty();
        }
        return ConnectionPolicies.matchDataplane(ConnectionPolicies.PROXY_TEMPLATE, proxy).map(PolicyMatch::policy);
    }

    /**
     * The configuration of {@code proxy}: its kind's profile, or what its ProxyTemplate makes.
     *
     * @throws ProxyTemplateException when its ProxyTemplate cannot be applied
     */
    public static ResourceSet generate(ProxyContext proxy) {
        return generate(proxy, select(proxy));
    }

    /**
     * The configuration of {@code proxy} with {@code template}, the result of {@link #select}: its kind's profile
     * when empty.
     *
     * @throws ProxyTemplateException when the template cannot be applied
     */
    public static ResourceSet generate(ProxyContext proxy, Optional<Resource<ProxyTemplateSpec>> template) {
        requireNonNull(template, "template");
        return template.isPresent() ? apply(template.get(), proxy)
                : Profiles.forProxy(proxy).generate(proxy);
    }

    /** The configuration {@code template} makes for {@code proxy}. */
    static ResourceSet apply(Resource<ProxyTemplateSpec> template, ProxyContext proxy) {
        requireNonNull(template, "template");
        requireNonNull(proxy, "proxy");
        Conf conf = template.spec().conf() == null ? new Conf(null, null, null) : template.spec().conf();
        TemplateResources resources = new TemplateResources();
        try {
            List<String> imports = conf.imports();
            for (int i = 0; i < imports.size(); i++) {
                profile(i, imports.get(i)).generate(proxy,
                        (generator, generated) -> resources.putAll(generator.origin(), generated));
            }
            RawResources.add(conf.resources(), resources);
            Modifiers.apply(conf.modifications(), resources);
        } catch (IllegalArgumentException e) {
            throw new ProxyTemplateException(template.name(), e.getMessage(), e);
        }
        return resources.build();
    }

    private static Profile profile(int index, String name) {
        if (name.equals(DEFAULT_PROXY)) {
            return Profiles.envoy();
        }
        if (name.equals(GATEWAY_PROXY)) {
            return Profiles.gateway();
        }
        throw new IllegalArgumentException("imports[" + index + "]: Ursa does not generate profile \"" + name
                + "\" for a Dataplane (expected: " + DEFAULT_PROXY + " or " + GATEWAY_PROXY + ")");
    }
}
