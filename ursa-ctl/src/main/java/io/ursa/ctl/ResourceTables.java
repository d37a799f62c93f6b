package io.ursa.ctl;

import static io.ursa.ctl.JsonFields.bool;
import static io.ursa.ctl.JsonFields.elements;
import static io.ursa.ctl.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursa.api.resource.ResourceMeta;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code get} tables of kumactl 2.0 (spec §9.2), from the Universal JSON of each resource. Mesh, Dataplane
 * and ExternalService have their own columns; every other type gets {@code MESH NAME AGE} or {@code NAME AGE}
 * by scope. AGE counts from {@code modificationTime}. Secrets and GlobalSecrets never show their data in a table
 * (only {@code -o yaml|json} print what the API returns). Ursa adds one table of its own: AccessRoleBinding shows
 * its {@code SUBJECTS} and {@code ROLES}, who is given what being the point of a binding.
 */
final class ResourceTables {
    /** Columns and how to fill one row from one resource. */
    record Layout(List<String> headers, Row row) {
        Layout {
            headers = List.copyOf(headers);
        }
    }

    @FunctionalInterface
    interface Row {
        List<String> cells(JsonNode item, Instant now);
    }

    private static final Layout MESHES = new Layout(
            List.of("NAME", "mTLS", "METRICS", "LOGGING", "TRACING", "LOCALITY", "ZONEEGRESS", "AGE"),
            (item, now) -> List.of(
                    text(item, "name"),
                    enabledBackend(item.path("mtls")),
                    enabledBackend(item.path("metrics")),
                    allBackends(item.path("logging")),
                    allBackends(item.path("tracing")),
                    onOff(bool(item, "routing", "localityAwareLoadBalancing")),
                    onOff(bool(item, "routing", "zoneEgress")),
                    age(item, now)));

    private static final Layout DATAPLANES = new Layout(
            List.of("MESH", "NAME", "TAGS", "ADDRESS", "AGE"),
            (item, now) -> {
                String address = text(item, "networking", "advertisedAddress");
                return List.of(text(item, "mesh"), text(item, "name"), TagSets.ofDataplane(item),
                        address.isEmpty() ? text(item, "networking", "address") : address, age(item, now));
            });

    private static final Layout EXTERNAL_SERVICES = new Layout(
            List.of("MESH", "NAME", "TAGS", "ADDRESS", "AGE"),
            (item, now) -> List.of(text(item, "mesh"), text(item, "name"), TagSets.of(item.path("tags")),
                    text(item, "networking", "address"), age(item, now)));

    private static final Layout ACCESS_ROLE_BINDINGS = new Layout(
            List.of("NAME", "SUBJECTS", "ROLES", "AGE"),
            (item, now) -> List.of(text(item, "name"),
                    joined(elements(item, "subjects").stream().map(s -> text(s, "type") + "/" + text(s, "name"))),
                    joined(elements(item, "roles").stream().map(JsonNode::asText)),
                    age(item, now)));

    private static final Layout MESH_SCOPED = new Layout(
            List.of("MESH", "NAME", "AGE"),
            (item, now) -> List.of(text(item, "mesh"), text(item, "name"), age(item, now)));

    private static final Layout GLOBAL = new Layout(
            List.of("NAME", "AGE"),
            (item, now) -> List.of(text(item, "name"), age(item, now)));

    private static final Map<ResourceType<?>, Layout> CUSTOM = Map.of(
            ResourceTypes.MESH, MESHES,
            ResourceTypes.DATAPLANE, DATAPLANES,
            ResourceTypes.EXTERNAL_SERVICE, EXTERNAL_SERVICES,
            ResourceTypes.ACCESS_ROLE_BINDING, ACCESS_ROLE_BINDINGS);

    private ResourceTables() {
    }

    static Layout layout(ResourceType<?> type) {
        Layout custom = CUSTOM.get(type);
        if (custom != null) {
            return custom;
        }
        return type.isMeshScoped() ? MESH_SCOPED : GLOBAL;
    }

    static String render(ResourceType<?> type, List<JsonNode> items, Instant now, String footer) {
        Layout layout = layout(type);
        Table table = new Table(layout.headers()).footer(footer);
        items.forEach(item -> table.row(layout.row().cells(item, now)));
        return table.render();
    }

    /** kumactl's paging footer, when the list has a next page. */
    static String pagingFooter(JsonNode list) {
        return Paging.nextOffset(list)
                .map(offset -> "Rerun command with --offset=" + offset + " argument to retrieve more resources")
                .orElse("");
    }

    private static String age(JsonNode item, Instant now) {
        return Age.since(JsonFields.instant(item, "modificationTime").orElse(ResourceMeta.ZERO_TIME), now);
    }

    /** {@code <type>/<name>} of the enabled backend of an mtls or metrics section, or {@code off}. */
    private static String enabledBackend(JsonNode section) {
        String enabled = text(section, "enabledBackend");
        if (enabled.isEmpty()) {
            return "off";
        }
        return elements(section, "backends").stream()
                .filter(b -> text(b, "name").equals(enabled))
                .findFirst()
                .map(ResourceTables::typeAndName)
                .orElse("unknown/" + enabled);
    }

    /** {@code <type>/<name>} of every backend of a logging or tracing section, comma-separated, or {@code off}. */
    private static String allBackends(JsonNode section) {
        String joined = elements(section, "backends").stream()
                .map(ResourceTables::typeAndName)
                .collect(Collectors.joining(", "));
        return joined.isEmpty() ? "off" : joined;
    }

    private static String typeAndName(JsonNode backend) {
        return text(backend, "type") + "/" + text(backend, "name");
    }

    /** {@code a, b}, or {@code -} when empty. */
    private static String joined(java.util.stream.Stream<String> values) {
        return Texts.orDash(values.collect(Collectors.joining(", ")));
    }

    private static String onOff(boolean on) {
        return on ? "on" : "off";
    }
}
