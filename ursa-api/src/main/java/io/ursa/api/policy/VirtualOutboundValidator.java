package io.ursa.api.policy;

import io.ursa.api.policy.VirtualOutboundSpec.Conf;
import io.ursa.api.policy.VirtualOutboundSpec.TemplateParameter;
import io.ursa.api.spec.SelectorValidation;
import io.ursa.api.spec.Tags;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Shape validation of VirtualOutbound, as Kuma 2.0's {@code virtual_outbound_validator.go}: the parameters, and
 * both templates evaluated once with placeholder tag values ({@code dummy} for the host, {@code 1} for the port).
 */
public final class VirtualOutboundValidator {
    private static final Pattern TEMPLATE_KEY = Pattern.compile("^[a-zA-Z0-9]+$");

    private VirtualOutboundValidator() {
    }

    public static void validate(VirtualOutboundSpec spec, Violations violations) {
        PolicySelectors.validateSelectors(spec.selectors(), PolicySelectors.ANY_TAGS, violations);
        Path path = Path.of("conf");
        Conf conf = spec.conf();
        if (!PolicyRules.isDefined(path, conf, violations)) {
            return;
        }
        validateParameters(path.field("parameters"), conf, violations);
        validateTemplate(path.field("host"), conf.host(), placeholders(conf, "dummy"), conf::evalHost, violations);
        validateTemplate(path.field("port"), conf.port(), placeholders(conf, "1"), conf::evalPort, violations);
    }

    private static void validateParameters(Path path, Conf conf, Violations violations) {
        boolean hasService = false;
        Set<String> names = new HashSet<>();
        for (int i = 0; i < conf.parameters().size(); i++) {
            TemplateParameter parameter = conf.parameters().get(i);
            Path at = path.index(i);
            if (!names.add(parameter.name())) {
                violations.add(at.field("name"), "name is already used");
            }
            if (!parameter.tagKey().isEmpty()) {
                hasService |= parameter.tagKey().equals(Tags.SERVICE);
                if (!SelectorValidation.isValidTagName(parameter.tagKey())) {
                    violations.add(at.field("tagKey"), "must be a valid tag name");
                }
            } else if (!SelectorValidation.isValidTagName(parameter.name())) {
                violations.add(at.field("name"), "must be a valid tag name if you are not setting tagKey");
            }
            if (!TEMPLATE_KEY.matcher(parameter.name()).matches()) {
                violations.add(at.field("name"),
                        "must consist of alphanumeric characters to be used as a gotemplate key");
            }
        }
        if (!hasService) {
            violations.add(path, "must contain a parameter with " + Tags.SERVICE + " as a tagKey");
        }
    }

    private static void validateTemplate(Path path, String template, Map<String, String> tags,
                                         Consumer<Map<String, String>> evaluation, Violations violations) {
        if (template.isEmpty()) {
            violations.add(path, PolicyRules.HAS_TO_BE_DEFINED);
            return;
        }
        try {
            evaluation.accept(tags);
        } catch (IllegalArgumentException e) {
            violations.add(path, "template pre evaluation failed with error='" + e.getMessage() + "'");
        }
    }

    private static Map<String, String> placeholders(Conf conf, String value) {
        Map<String, String> tags = new HashMap<>();
        conf.parameters().forEach(p -> tags.put(p.tagKeyOrName(), value));
        return tags;
    }
}
