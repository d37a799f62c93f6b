package io.ursa.api.spec;

import java.util.Map;

/** A tag selector of a legacy policy: {@code {match: {kuma.io/service: backend}}}. */
public record Selector(Map<String, String> match) {
    public Selector {
        match = TagMaps.copyOf(match);
    }

    public static Selector of(Map<String, String> match) {
        return new Selector(match);
    }

    /** The {@code kuma.io/service: '*'} selector that Kuma's default policies use. */
    public static Selector anyService() {
        return new Selector(Map.of(Tags.SERVICE, "*"));
    }
}
