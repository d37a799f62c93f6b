package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code envoy --version} reported: the whole build string ({@code <commit>/1.24.2/Clean/RELEASE/BoringSSL}),
 * the version inside it, and whether that is the Envoy line this agent is built for (Kuma 2.0.8 ships 1.24.x).
 */
record EnvoyVersion(String build, String version, boolean compatible) {
    /** The Envoy minor line the agent and control plane are built and tested against. */
    static final String SUPPORTED_LINE = "1.24";
    private static final Pattern BUILD = Pattern.compile("version:\\s*(\\S+)");

    EnvoyVersion {
        requireNonNull(build, "build");
        requireNonNull(version, "version");
    }

    /** Parses the output of {@code envoy --version}; empty when it has no {@code version:} with five parts. */
    static Optional<EnvoyVersion> parse(String output) {
        Matcher m = BUILD.matcher(output);
        if (!m.find()) {
            return Optional.empty();
        }
        String build = m.group(1);
        String[] parts = build.split("/");
        if (parts.length != 5) { // revision/build_version_number/revision_status/build_type/ssl_version
            return Optional.empty();
        }
        String version = parts[1];
        return Optional.of(new EnvoyVersion(build, version, isSupported(version)));
    }

    /** {@code ~1.24} in semver terms: 1.24.0 up to, not including, 1.25.0. */
    static boolean isSupported(String version) {
        return version.equals(SUPPORTED_LINE) || version.startsWith(SUPPORTED_LINE + ".");
    }
}
