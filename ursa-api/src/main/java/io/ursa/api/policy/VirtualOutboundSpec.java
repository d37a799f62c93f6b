package io.ursa.api.policy;

import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Lists;
import io.ursa.api.spec.NetworkAddresses;
import io.ursa.api.spec.ProtoFields;
import io.ursa.api.spec.Selector;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Spec of a VirtualOutbound ({@code virtual_outbound.proto}): extra hostnames and ports for the services its
 * selectors match, built from their tags with Go templates.
 */
public record VirtualOutboundSpec(List<Selector> selectors, Conf conf) implements Spec {
    public VirtualOutboundSpec {
        selectors = Lists.copyOf(selectors);
    }

    /** {@code host} and {@code port} are Go templates over the {@code parameters}. */
    public record Conf(String host, String port, List<TemplateParameter> parameters) {
        public Conf {
            host = ProtoFields.text(host);
            port = ProtoFields.text(port);
            parameters = Lists.copyOf(parameters);
        }

        /**
         * The hostname for a service with these tags.
         *
         * @throws IllegalArgumentException with Kuma's message when the template fails or yields no DNS name
         */
        public String evalHost(Map<String, String> tags) {
            String host = eval(this.host, tags);
            if (!NetworkAddresses.isDnsName(host)) {
                throw new IllegalArgumentException(
                        "evaluation of template with parameters didn't return a valid dns name result='" + host + "'");
            }
            return host;
        }

        /**
         * The port for a service with these tags.
         *
         * @throws IllegalArgumentException with Kuma's message when the template fails or yields no port
         */
        public int evalPort(Map<String, String> tags) {
            String text = eval(this.port, tags);
            long port;
            try {
                port = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("evaluation of template with parameters didn't evaluate to a "
                        + "parsable number result='" + text + "'", e);
            }
            if (port <= 0 || port > 65535) {
                throw new IllegalArgumentException(
                        "evaluation of template returned a port outside of the range [1..65535] result='" + port + "'");
            }
            return (int) port;
        }

        /** The tags the parameters read, taken from {@code tags}. */
        public Map<String, String> filterTags(Map<String, String> tags) {
            return pick(tags, TemplateParameter::tagKeyOrName);
        }

        /** The values {@code tags} has for the parameters, keyed by {@code key}. */
        private Map<String, String> pick(Map<String, String> tags, Function<TemplateParameter, String> key) {
            Map<String, String> out = new TreeMap<>();
            for (TemplateParameter p : parameters) {
                String value = tags.get(p.tagKeyOrName());
                if (value != null) {
                    out.put(key.apply(p), value);
                }
            }
            return out;
        }

        private String eval(String template, Map<String, String> tags) {
            GoTemplate parsed;
            try {
                parsed = GoTemplate.parse(template);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("failed compiling gotemplate error='" + e.getMessage() + "'", e);
            }
            return parsed.execute(pick(tags, TemplateParameter::name));
        }
    }

    /** A template parameter {@code name}, read from the tag {@code tagKey} (or the tag named {@code name}). */
    public record TemplateParameter(String name, String tagKey) {
        public TemplateParameter {
            name = ProtoFields.text(name);
            tagKey = ProtoFields.text(tagKey);
        }

        /** The tag this parameter reads. */
        public String tagKeyOrName() {
            return tagKey.isEmpty() ? name : tagKey;
        }
    }
}
