package io.ursa.api.policy;

import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Lists;
import io.ursa.api.spec.ProtoFields;
import io.ursa.api.spec.Selector;
import io.ursa.api.spec.TagMaps;
import java.util.List;
import java.util.Map;

/**
 * Spec of a ProxyTemplate ({@code proxy_template.proto}): which generator profiles build the selected proxies'
 * Envoy configuration, plus raw Envoy resources and modifications (YAML strings) applied on top.
 */
public record ProxyTemplateSpec(List<Selector> selectors, Conf conf) implements Spec {
    /**
     * Generator profiles Kuma 2.0 registers, the names {@code conf.imports} may use. Ursa generates
     * {@code default-proxy} and {@code gateway-proxy} for a Dataplane; importing another fails the proxy's
     * generation (docs/proxy-template.md).
     */
    public static final List<String> PROFILES = List.of("default-proxy", "egress-proxy", "gateway-proxy",
            "ingress-proxy");

    public ProxyTemplateSpec {
        selectors = Lists.copyOf(selectors);
    }

    public record Conf(List<String> imports, List<RawResource> resources, List<Modification> modifications) {
        public Conf {
            imports = Lists.copyOf(imports);
            resources = Lists.copyOf(resources);
            modifications = Lists.copyOf(modifications);
        }
    }

    /** A complete Envoy resource in YAML, with its {@code '@type'} ({@code ProxyTemplateRawResource}). */
    public record RawResource(String name, String version, String resource) {
        public RawResource {
            name = ProtoFields.text(name);
            version = ProtoFields.text(version);
            resource = ProtoFields.text(resource);
        }
    }

    /** A {@code oneof}: exactly one kind of modification is meant to be set. */
    public record Modification(
            Change<ClusterMatch> cluster,
            Change<ListenerMatch> listener,
            Change<FilterMatch> networkFilter,
            Change<FilterMatch> httpFilter,
            Change<VirtualHostMatch> virtualHost) {
        public Modification {
            ProtoFields.atMostOne("cluster, listener, networkFilter, httpFilter, virtualHost",
                    cluster, listener, networkFilter, httpFilter, virtualHost);
        }
    }

    /**
     * One modification of a kind: {@code operation} ({@code add}, {@code patch}, {@code remove}, and for filters
     * {@code addFirst}, {@code addLast}, {@code addBefore}, {@code addAfter}) on the resources {@code match}
     * selects, with {@code value} as Envoy YAML.
     */
    public record Change<M>(M match, String operation, String value) {
        public Change {
            operation = ProtoFields.text(operation);
            value = ProtoFields.text(value);
        }
    }

    public record ClusterMatch(String origin, String name) {
        public ClusterMatch {
            origin = ProtoFields.text(origin);
            name = ProtoFields.text(name);
        }
    }

    public record ListenerMatch(String origin, String name, Map<String, String> tags) {
        public ListenerMatch {
            origin = ProtoFields.text(origin);
            name = ProtoFields.text(name);
            tags = TagMaps.copyOf(tags);
        }
    }

    /** Selects network filters or HTTP filters (the proto has one message for each, with the same fields). */
    public record FilterMatch(String origin, String name, String listenerName, Map<String, String> listenerTags) {
        public FilterMatch {
            origin = ProtoFields.text(origin);
            name = ProtoFields.text(name);
            listenerName = ProtoFields.text(listenerName);
            listenerTags = TagMaps.copyOf(listenerTags);
        }
    }

    public record VirtualHostMatch(String origin, String name, String routeConfigurationName) {
        public VirtualHostMatch {
            origin = ProtoFields.text(origin);
            name = ProtoFields.text(name);
            routeConfigurationName = ProtoFields.text(routeConfigurationName);
        }
    }
}
