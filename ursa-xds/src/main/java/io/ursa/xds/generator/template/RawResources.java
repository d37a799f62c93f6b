package io.ursa.xds.generator.template;

import com.google.protobuf.Message;
import io.ursa.api.policy.ProxyTemplateSpec.RawResource;
import io.ursa.xds.envoy.StrictEnvoyYaml;
import io.ursa.xds.generator.Origins;
import io.ursa.xds.resources.EnvoyType;
import java.util.List;

/**
 * A ProxyTemplate's {@code conf.resources} (Kuma 2.0's {@code ProxyTemplateRawSource}): each {@code resource} is
 * parsed strictly ({@link StrictEnvoyYaml#parseTyped}) into the type its {@code '@type'} names and added with origin
 * {@code proxy-template-raw}, replacing a generated resource of the same type and name.
 *
 * <p>Differences from Kuma, each refused with an error: an unknown field (Kuma ignores it); a type Ursa does not
 * serve (Kuma would add, e.g., a {@code ScopedRouteConfiguration} no proxy asks for); a {@code name} that is not
 * the resource's own (Kuma keys the set by {@code name} but Envoy sees the resource's name, so the two could
 * disagree). {@code version} is ignored, as in Kuma. Envoy's field constraints (PGV), which Kuma checks on raw
 * resources, are not checked; the snapshot's consistency check and Envoy's own validation (a NACK) remain.
 */
final class RawResources {
    private RawResources() {
    }

    static void add(List<RawResource> raw, TemplateResources resources) {
        for (int i = 0; i < raw.size(); i++) {
            RawResource resource = raw.get(i);
            String where = "resources[" + i + "]{name=\"" + resource.name() + "\"}";
            Message parsed;
            try {
                parsed = StrictEnvoyYaml.parseTyped(resource.resource());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ".resource: " + e.getMessage(), e);
            }
            EnvoyType type = EnvoyType.of(parsed).orElseThrow(() -> new IllegalArgumentException(where
                    + ".resource: not a resource type Ursa serves: " + parsed.getDescriptorForType().getFullName()
                    + " (expected one of: " + List.of(EnvoyType.values()) + ")"));
            String name = type.nameOf(parsed);
            if (!name.equals(resource.name())) {
                throw new IllegalArgumentException(where + ": the resource is named \"" + name
                        + "\" (expected: the same as name)");
            }
            resources.put(Origins.PROXY_TEMPLATE_RAW, parsed);
        }
    }
}
