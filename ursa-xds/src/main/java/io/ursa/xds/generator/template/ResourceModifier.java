package io.ursa.xds.generator.template;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.ursa.api.policy.ProxyTemplateSpec.Change;
import io.ursa.api.policy.ProxyTemplateSpec.ClusterMatch;
import io.ursa.api.policy.ProxyTemplateSpec.ListenerMatch;
import io.ursa.xds.envoy.ProtoMerge;
import io.ursa.xds.envoy.StrictEnvoyYaml;
import io.ursa.xds.generator.Origins;
import io.ursa.xds.resources.EnvoyType;
import java.util.function.Predicate;

/**
 * The {@code cluster} and {@code listener} modifications (Kuma 2.0's {@code modifications/v3/cluster.go} and
 * {@code listener.go}). The value is parsed strictly into the resource's type whatever the operation.
 * <ul>
 *   <li>{@code add}: the value is a whole resource, added with origin {@code proxy-template-modifications}; it
 *       replaces a resource of the same name;</li>
 *   <li>{@code patch}: the value is merged ({@link ProtoMerge}) into every resource the match selects;</li>
 *   <li>{@code remove}: every resource the match selects is removed.</li>
 * </ul>
 * A match selects by {@code name} and {@code origin} when set, and for listeners by {@code tags} against the
 * listener's {@code io.kuma.tags} metadata; no match selects every resource of the type.
 */
final class ResourceModifier implements Modifier {
    private final EnvoyType type;
    private final Message value;
    private final String operation;
    private final Predicate<TemplateResources.Entry> selects;

    private ResourceModifier(EnvoyType type, Message value, String operation,
                             Predicate<TemplateResources.Entry> selects) {
        this.type = type;
        this.value = value;
        this.operation = operation;
        this.selects = selects;
    }

    static ResourceModifier cluster(Change<ClusterMatch> change) {
        Cluster value = StrictEnvoyYaml.parse(change.value(), Cluster.getDefaultInstance());
        ClusterMatch match = change.match() == null ? new ClusterMatch("", "") : change.match();
        return new ResourceModifier(EnvoyType.CLUSTER, value, change.operation(),
                entry -> selects(match.name(), match.origin(), entry));
    }

    static ResourceModifier listener(Change<ListenerMatch> change) {
        Listener value = StrictEnvoyYaml.parse(change.value(), Listener.getDefaultInstance());
        ListenerMatch match = change.match() == null ? new ListenerMatch("", "", null) : change.match();
        return new ResourceModifier(EnvoyType.LISTENER, value, change.operation(),
                entry -> selects(match.name(), match.origin(), entry)
                        && TagSelectors.matches(match.tags(), (Listener) entry.resource()));
    }

    /** Kuma's name and origin match: each compared only when set. */
    static boolean selects(String name, String origin, TemplateResources.Entry entry) {
        return (name.isEmpty() || name.equals(entry.name())) && (origin.isEmpty() || origin.equals(entry.origin()));
    }

    @Override
    public void apply(TemplateResources resources) {
        switch (operation) {
            case "add" -> resources.put(Origins.PROXY_TEMPLATE_MODIFICATIONS, value);
            case "patch" -> resources.entries(type).stream().filter(selects)
                    .forEach(entry -> resources.replace(entry, ProtoMerge.merge(entry.resource(), value)));
            case "remove" -> resources.entries(type).stream().filter(selects).forEach(resources::remove);
            default -> throw Modifiers.invalidOperation(operation, "add, patch, remove");
        }
    }
}
