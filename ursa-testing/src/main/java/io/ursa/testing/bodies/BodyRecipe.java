package io.ursa.testing.bodies;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.ResourceCodec;
import java.util.List;
import java.util.Optional;

/**
 * How to turn a valid document into a generated body: edits to its fields, the form and syntax it is written in,
 * damage to the written text, and the media type it is sent as. One recipe applies to a document of any type, so
 * one generated recipe exercises every endpoint.
 */
public record BodyRecipe(List<Edit> edits, Form form, Damage damage, int damageAt, String noise,
                         Media media) {
    /** Universal or Kubernetes form, written as JSON or YAML. */
    public enum Form { UNIVERSAL_JSON, UNIVERSAL_YAML, KUBERNETES_JSON, KUBERNETES_YAML;

        boolean yaml() {
            return this == UNIVERSAL_YAML || this == KUBERNETES_YAML;
        }

        boolean kubernetes() {
            return this == KUBERNETES_JSON || this == KUBERNETES_YAML;
        }
    }

    /** What happens to the written text: nothing, cut short, replaced or prefixed by noise, or emptied. */
    public enum Damage { NONE, TRUNCATE, NOISE, PREFIX_NOISE, EMPTY }

    /** The Content-Type sent: the one matching the syntax, a fixed one, or none. */
    public enum Media { MATCHING, JSON, YAML, TEXT, NONE }

    /** The edited document, before it is written. */
    public ObjectNode document(ObjectNode universal) {
        ObjectNode doc = form.kubernetes() ? kubernetes(universal) : universal.deepCopy();
        for (Edit edit : edits) {
            edit.applyTo(doc);
        }
        return doc;
    }

    /** The body for {@code universal}, a valid Universal-form document. */
    public Body render(ObjectNode universal, ResourceCodec codec) {
        ObjectNode doc = document(universal);
        String text = form.yaml() ? codec.writeYaml(doc) : codec.writeJson(doc);
        return new Body(damage(text), contentType());
    }

    /** The text of {@code universal} as a YAML document (for apply, which reads YAML only). */
    public String yaml(ObjectNode universal, ResourceCodec codec) {
        ObjectNode doc = document(universal);
        return damage(form.yaml() ? codec.writeYaml(doc) : codec.writeJson(doc));
    }

    private String damage(String text) {
        return switch (damage) {
            case NONE -> text;
            case TRUNCATE -> text.substring(0, Math.floorMod(damageAt, text.length() + 1));
            case NOISE -> noise;
            case PREFIX_NOISE -> noise + text;
            case EMPTY -> "";
        };
    }

    private Optional<String> contentType() {
        return switch (media) {
            case MATCHING -> Optional.of(form.yaml() ? "application/yaml" : "application/json");
            case JSON -> Optional.of("application/json");
            case YAML -> Optional.of("application/yaml");
            case TEXT -> Optional.of("text/plain; charset=utf-8");
            case NONE -> Optional.empty();
        };
    }

    /** The Kubernetes form of a Universal document: kind, metadata.name, top-level mesh, the rest as spec. */
    static ObjectNode kubernetes(ObjectNode universal) {
        ObjectNode out = universal.objectNode();
        out.put("apiVersion", ResourceCodec.K8S_API_VERSION);
        out.set("kind", universal.get("type"));
        if (universal.has("mesh")) {
            out.set("mesh", universal.get("mesh"));
        }
        out.putObject("metadata").set("name", universal.get("name"));
        ObjectNode spec = universal.deepCopy();
        spec.remove(List.of("type", "mesh", "name"));
        out.set("spec", spec);
        return out;
    }

    @Override
    public String toString() {
        return form + " " + edits + (damage == Damage.NONE ? "" : " " + damage + "@" + damageAt) + " " + media;
    }
}
