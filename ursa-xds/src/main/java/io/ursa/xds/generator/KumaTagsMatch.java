package io.ursa.xds.generator;

import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.ursa.api.spec.Selector;
import io.ursa.xds.envoy.listeners.HttpConfigurers;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How an inbound tells callers apart by their tags without mTLS: the caller's outbound adds {@code x-kuma-tags}
 * ({@code &key=v1,v2&} per tag, keys sorted), and the inbound matches it against a regular expression per source
 * selector, as Kuma's {@code tags/match.go}: {@code .*}, then per key in sorted order {@code &key=} and
 * {@code [^&]*value[,&]} (dots escaped; nothing for {@code *}) and {@code .*}; several selectors OR-ed as
 * {@code (re1|re2)}.
 */
final class KumaTagsMatch {
    private KumaTagsMatch() {
    }

    /** The regular expression a request's {@code x-kuma-tags} must match to come from one of {@code sources}. */
    static String regex(List<Selector> sources) {
        List<String> each = sources.stream().map(s -> regex(s.match())).distinct().toList();
        return each.size() == 1 ? each.get(0) : each.stream().collect(Collectors.joining("|", "(", ")"));
    }

    private static String regex(Map<String, String> tags) {
        StringBuilder regex = new StringBuilder(".*");
        new TreeMap<>(tags).forEach((key, value) -> {
            regex.append('&').append(key).append('=');
            if (!value.equals("*")) {
                regex.append("[^&]*").append(value.replace(".", "\\.")).append("[,&]");
            }
            regex.append(".*");
        });
        return regex.toString();
    }

    /** The header matcher on {@code x-kuma-tags} for {@code sources}. */
    static HeaderMatcher header(List<Selector> sources) {
        return HeaderMatcher.newBuilder()
                .setName(HttpConfigurers.KUMA_TAGS_HEADER)
                .setSafeRegexMatch(RegexMatcher.newBuilder()
                        .setGoogleRe2(RegexMatcher.GoogleRE2.getDefaultInstance())
                        .setRegex(regex(sources)))
                .build();
    }
}
