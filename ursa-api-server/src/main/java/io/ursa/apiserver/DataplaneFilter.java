package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.ursa.api.validation.Violation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The filters of {@code dataplanes+insights} (spec §8.2): {@code tag=key:value}, repeatable and all required, where
 * a value of {@code *} accepts any value; {@code gateway=true|false}, for delegated and builtin gateways alike (Kuma
 * 2.0 refuses any other value; {@code builtin} and {@code delegated} came in 2.1). A dataplane matches when one of
 * its inbounds, or its gateway, carries all the tags. A tag entry is split at its first colon, so values may contain
 * colons (Kuma 2.0 ignored such entries); entries without a colon are ignored, as in Kuma.
 */
record DataplaneFilter(Map<String, String> tags, Gateway gateway) {
    static final String MATCH_ALL = "*";

    enum Gateway { ANY, ONLY, EXCLUDED }

    DataplaneFilter {
        tags = Map.copyOf(tags);
        requireNonNull(gateway, "gateway");
    }

    static DataplaneFilter of(Context ctx) {
        return of(ctx.queryParams("tag"), ctx.queryParam("gateway"));
    }

    static DataplaneFilter of(List<String> tagParams, String gatewayParam) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String entry : tagParams) {
            int colon = entry.indexOf(':');
            if (colon > 0) {
                tags.put(entry.substring(0, colon), entry.substring(colon + 1));
            }
        }
        return new DataplaneFilter(tags, gateway(gatewayParam));
    }

    private static Gateway gateway(String raw) {
        String value = raw == null ? "" : raw.toLowerCase(Locale.ROOT);
        return switch (value) {
            case "" -> Gateway.ANY;
            case "true" -> Gateway.ONLY;
            case "false" -> Gateway.EXCLUDED;
            default -> throw ApiException.badRequest(ErrorMapper.NOT_VALID, new Violation("gateway",
                    "invalid value \"" + raw + "\" (expected: true or false)"));
        };
    }

    /** True when every dataplane matches, so the store can page without a scan. */
    boolean acceptsAll() {
        return tags.isEmpty() && gateway == Gateway.ANY;
    }

    boolean matches(DataplaneView dataplane) {
        if ((gateway == Gateway.ONLY && !dataplane.isGateway())
                || (gateway == Gateway.EXCLUDED && dataplane.isGateway())) {
            return false;
        }
        return tags.isEmpty() || dataplane.tagSets().stream().anyMatch(this::matchesTags);
    }

    private boolean matchesTags(Map<String, String> actual) {
        for (Map.Entry<String, String> wanted : tags.entrySet()) {
            String value = actual.get(wanted.getKey());
            boolean accepted = wanted.getValue().equals(MATCH_ALL) || wanted.getValue().equals(value);
            if (value == null || !accepted) {
                return false;
            }
        }
        return true;
    }
}
