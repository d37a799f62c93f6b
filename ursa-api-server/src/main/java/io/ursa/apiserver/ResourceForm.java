package io.ursa.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.validation.Violation;
import java.util.Locale;

/**
 * How a single resource is answered, chosen by two optional query parameters Kuma 2.0 does not have (it ignores
 * them, so Kuma's clients see no change): {@code form=universal} (default, Kuma's JSON) or {@code form=kubernetes}
 * ({@code apiVersion: kuma.io/v1alpha1}, {@code kind}, {@code metadata}), and {@code format=json} (default) or
 * {@code format=yaml}, the text {@code ursactl get -o yaml} prints. The GUI shows and copies resources this way, and
 * {@code curl '.../meshes/default?format=yaml&form=kubernetes'} shows the same. Any other value is a 400 naming
 * the parameter.
 */
record ResourceForm(boolean kubernetes, boolean yaml) {
    static final String YAML = "application/yaml";

    static ResourceForm of(Context ctx) {
        boolean kubernetes = switch (lower(ctx.queryParam("form"), "universal")) {
            case "universal" -> false;
            case "kubernetes", "k8s" -> true;
            default -> throw ApiException.badRequest("Invalid form",
                    new Violation("form", "must be one of: universal, kubernetes"));
        };
        boolean yaml = switch (lower(ctx.queryParam("format"), "json")) {
            case "json" -> false;
            case "yaml" -> true;
            default -> throw ApiException.badRequest("Invalid format",
                    new Violation("format", "must be one of: json, yaml"));
        };
        return new ResourceForm(kubernetes, yaml);
    }

    void write(Context ctx, ResourceCodec codec, Resource<?> resource) {
        ObjectNode document = kubernetes ? codec.toKubernetes(resource) : codec.toUniversal(resource);
        if (yaml) {
            ctx.status(200).contentType(YAML).result(codec.writeYaml(document));
        } else {
            Responses.json(ctx, 200, document);
        }
    }

    private static String lower(String value, String otherwise) {
        return value == null || value.isEmpty() ? otherwise : value.toLowerCase(Locale.ROOT);
    }
}
