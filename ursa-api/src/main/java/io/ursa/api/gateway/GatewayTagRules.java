package io.ursa.api.gateway;

import io.ursa.api.spec.TagRule;
import io.ursa.api.spec.Tags;
import java.util.List;
import java.util.regex.Pattern;

/** Tag and hostname rules shared by MeshGateway and MeshGatewayRoute validation (Kuma's names and messages). */
final class GatewayTagRules {
    private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern DOMAIN = Pattern.compile("^" + DNS_LABEL + "(\\." + DNS_LABEL + ")*$");
    private static final List<String> RESERVED = List.of(Tags.EXTERNAL_SERVICE, Tags.PROTOCOL, Tags.SERVICE,
            Tags.ZONE);

    private GatewayTagRules() {
    }

    /**
     * Gateway and listener tags must not name the well-known properties of a Dataplane (Kuma's
     * {@code SelectorKeyNotInSet}).
     */
    static final TagRule NO_RESERVED_KEYS = (path, tags, violations) -> tags.keySet().stream().sorted()
            .filter(RESERVED::contains)
            .forEach(key -> violations.add(path.key(key), "tag name must not be \"" + key + "\""));

    /**
     * Kuma's {@code ValidateHostname}: {@code *}, {@code *.domain.name} or {@code domain.name}, lower case.
     *
     * @return the message when {@code hostname} is not one of those, else null
     */
    static String hostnameProblem(String hostname) {
        if (hostname.equals(MeshGatewaySpec.WILDCARD_HOSTNAME)) {
            return null;
        }
        if (hostname.startsWith("*.")) {
            return DOMAIN.matcher(hostname.substring(2)).matches() ? null : "invalid wildcard domain";
        }
        return DOMAIN.matcher(hostname).matches() ? null : "invalid hostname";
    }
}
