package io.ursa.xds.generator;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of an access log line as Envoy receives it (mesh-spec §7.3, Kuma's {@code pkg/envoy/accesslog}): the
 * backend's {@code format}, or Kuma's default TCP or HTTP format, with
 * <ul>
 *   <li>the header names of {@code %REQ(...)%}, {@code %RESP(...)%} and {@code %TRAILER(...)%} lower-cased, as
 *       Kuma's parse-and-render does ({@code %REQ(X-REQUEST-ID)%} becomes {@code %REQ(x-request-id)%});</li>
 *   <li>Kuma's placeholders replaced by the control plane: {@code %KUMA_MESH%}, {@code %KUMA_SOURCE_SERVICE%},
 *       {@code %KUMA_DESTINATION_SERVICE%}, {@code %KUMA_SOURCE_ADDRESS%} ({@code <ip>:0}),
 *       {@code %KUMA_SOURCE_ADDRESS_WITHOUT_PORT%} and {@code %KUMA_TRAFFIC_DIRECTION%};</li>
 *   <li>a newline appended.</li>
 * </ul>
 * Formats are validated with the Mesh, so the text is not parsed again here.
 */
final class AccessLogFormat {
    /** Kuma's default format of TCP (and Kafka) connections. */
    static final String DEFAULT_TCP = "[%START_TIME%] %RESPONSE_FLAGS% %KUMA_MESH% "
            + "%KUMA_SOURCE_ADDRESS_WITHOUT_PORT%(%KUMA_SOURCE_SERVICE%)->%UPSTREAM_HOST%(%KUMA_DESTINATION_SERVICE%) "
            + "took %DURATION%ms, sent %BYTES_SENT% bytes, received: %BYTES_RECEIVED% bytes";
    /** Kuma's default format of HTTP requests. */
    static final String DEFAULT_HTTP = "[%START_TIME%] %KUMA_MESH% \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% "
            + "%PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% "
            + "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" "
            + "\"%REQ(X-B3-TRACEID?X-DATADOG-TRACEID)%\" \"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" "
            + "\"%KUMA_SOURCE_SERVICE%\" \"%KUMA_DESTINATION_SERVICE%\" \"%KUMA_SOURCE_ADDRESS_WITHOUT_PORT%\" "
            + "\"%UPSTREAM_HOST%\"";

    /** A command operator: {@code %NAME%}, {@code %NAME(args)%} or {@code %NAME(args):N%}. */
    private static final Pattern OPERATOR = Pattern.compile("%([A-Z_0-9]+)(?:\\(([^)]*)\\))?(:[0-9]+)?%");
    /** The operators whose arguments are header names. */
    private static final Set<String> HEADER_OPERATORS = Set.of("REQ", "RESP", "TRAILER");

    /** Which default applies when the backend has no format. */
    enum Kind {
        TCP,
        HTTP
    }

    /**
     * The values of Kuma's placeholders for one listener.
     *
     * @param sourceIp  the proxy's IP (its advertised address, else its address)
     * @param direction Envoy's traffic direction of the listener ({@code OUTBOUND}, or {@code UNSPECIFIED})
     */
    record Placeholders(String mesh, String sourceService, String destinationService, String sourceIp,
                        String direction) {
        Placeholders {
            requireNonNull(mesh, "mesh");
            requireNonNull(sourceService, "sourceService");
            requireNonNull(destinationService, "destinationService");
            requireNonNull(sourceIp, "sourceIp");
            requireNonNull(direction, "direction");
        }

        Map<String, String> byName() {
            Map<String, String> values = new TreeMap<>();
            values.put("%KUMA_MESH%", mesh);
            values.put("%KUMA_SOURCE_SERVICE%", sourceService);
            values.put("%KUMA_DESTINATION_SERVICE%", destinationService);
            values.put("%KUMA_SOURCE_ADDRESS%", (sourceIp.indexOf(':') >= 0 ? "[" + sourceIp + "]" : sourceIp) + ":0");
            values.put("%KUMA_SOURCE_ADDRESS_WITHOUT_PORT%", sourceIp);
            values.put("%KUMA_TRAFFIC_DIRECTION%", direction);
            return values;
        }
    }

    private AccessLogFormat() {
    }

    /** The line format Envoy gets for a backend whose {@code format} is {@code backendFormat} (empty: the default). */
    static String render(String backendFormat, Kind kind, Placeholders placeholders) {
        requireNonNull(backendFormat, "backendFormat");
        requireNonNull(kind, "kind");
        String format = !backendFormat.isEmpty() ? backendFormat : kind == Kind.HTTP ? DEFAULT_HTTP : DEFAULT_TCP;
        Map<String, String> values = placeholders.byName();
        StringBuilder text = new StringBuilder();
        Matcher operator = OPERATOR.matcher(format);
        int pos = 0;
        while (pos < format.length()) {
            int percent = format.indexOf('%', pos);
            if (percent < 0) {
                text.append(format, pos, format.length());
                break;
            }
            text.append(format, pos, percent);
            if (!operator.region(percent, format.length()).lookingAt()) {
                text.append('%'); // not an operator; the Mesh's validation keeps this from happening
                pos = percent + 1;
                continue;
            }
            String token = operator.group();
            if (values.containsKey(token)) {
                text.append(values.get(token));
            } else if (HEADER_OPERATORS.contains(operator.group(1)) && operator.group(2) != null) {
                text.append('%').append(operator.group(1)).append('(')
                        .append(operator.group(2).toLowerCase(Locale.ROOT)).append(')')
                        .append(operator.group(3) == null ? "" : operator.group(3)).append('%');
            } else {
                text.append(token);
            }
            pos = operator.end();
        }
        return text + "\n";
    }
}
