package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.dataplane.DataplaneTemplate;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A proxy definition given to {@code run} ({@code --dataplane}, {@code --dataplane-file}): rendered with the
 * template variables, decoded and validated here, so a bad definition fails before the control plane is
 * contacted. {@code json} is the resource in Universal (REST) form, as the bootstrap request carries it.
 */
record DataplaneDefinition(Resource<?> resource, String json) {
    DataplaneDefinition {
        requireNonNull(resource, "resource");
        requireNonNull(json, "json");
    }

    String mesh() {
        return resource.mesh();
    }

    String name() {
        return resource.name();
    }

    /**
     * Renders, decodes and validates {@code text} read from {@code source} (a file name, or a flag for inline
     * text) as the resource {@code proxyType} needs. Every problem is a {@link DpException}; validation lists all
     * violations, one {@code field: message} per line.
     */
    static DataplaneDefinition load(String text, String source, Map<String, String> variables, ProxyType proxyType,
                                    ResourceCodec codec) {
        ResourceType<?> type = codec.types().byName(proxyType.resourceType()).orElseThrow(() -> new DpException(
                "--proxy-type " + proxyType + " needs a " + proxyType.resourceType()
                        + " definition, and this version of Ursa does not support " + proxyType.resourceType()
                        + " resources yet"));
        try {
            DataplaneTemplate template = DataplaneTemplate.load(text, source, variables, type, codec);
            return new DataplaneDefinition(template.resource(), template.json());
        } catch (DataplaneTemplate.InvalidTemplateException e) {
            throw new DpException(e.getMessage() + (e.getMessage().startsWith("invalid proxy resource type")
                    ? " (--proxy-type is " + proxyType + ")" : ""));
        }
    }

    /** The text of the definition file {@code file} ({@code -} for {@code stdin}); a failure is a {@link DpException}. */
    static String read(String file, InputStream stdin) {
        try {
            if (file.equals("-")) {
                return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
            }
            Path path = Path.of(file);
            if (!Files.exists(path)) {
                throw new DpException("could not read the dataplane file " + file + ": it does not exist");
            }
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DpException("could not read the dataplane file " + file + ": " + e.getMessage());
        }
    }
}
