package io.ursa.api.spec;

import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.util.List;
import java.util.Map;

/**
 * A whole-map rule added to {@link SelectorValidation} (Kuma's {@code TagsValidatorFunc}), e.g. what
 * {@code kuma.io/protocol} may be. Runs before the per-key checks. Stateless.
 */
@FunctionalInterface
public interface TagRule {
    void check(Path path, Map<String, String> tags, Violations violations);

    /**
     * {@code kuma.io/protocol}, when present, must be a protocol Kuma knows (Dataplane inbounds,
     * ExternalService tags).
     */
    static TagRule protocolIsSupported() {
        return (path, tags, violations) -> {
            String value = tags.get(Tags.PROTOCOL);
            if (value != null && Protocols.parse(value).isEmpty()) {
                violations.add(path.key(Tags.PROTOCOL), "tag \"" + Tags.PROTOCOL + "\" has an invalid value \""
                        + value + "\". Allowed values: " + String.join(", ", Protocols.SUPPORTED));
            }
        };
    }

    /** {@code kuma.io/protocol} must be present and be one of {@code protocols} (Kuma's ProtocolValidator). */
    static TagRule protocolIsOneOf(String... protocols) {
        List<String> allowed = List.of(protocols);
        return (path, tags, violations) -> {
            String value = tags.get(Tags.PROTOCOL);
            if (value == null) {
                violations.add(path, "protocol must be specified");
            } else if (!allowed.contains(value)) {
                violations.add(path.key(Tags.PROTOCOL), "must be one of the [" + String.join(", ", allowed) + "]");
            }
        };
    }
}
