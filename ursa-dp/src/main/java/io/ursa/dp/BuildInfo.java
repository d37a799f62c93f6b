package io.ursa.dp;

import static java.util.Objects.requireNonNull;

/** What this build of the agent reports about itself, in {@code version} and in the bootstrap request. */
record BuildInfo(String product, String version, String gitTag, String gitCommit, String buildDate) {
    static final String UNKNOWN = "unknown";

    BuildInfo {
        requireNonNull(product, "product");
        requireNonNull(version, "version");
        requireNonNull(gitTag, "gitTag");
        requireNonNull(gitCommit, "gitCommit");
        requireNonNull(buildDate, "buildDate");
    }

    /** From the jar manifest ({@code Implementation-Version}); {@code unknown} where the build did not say. */
    static BuildInfo fromManifest() {
        String version = BuildInfo.class.getPackage().getImplementationVersion();
        return new BuildInfo("Ursa", version == null ? UNKNOWN : version, UNKNOWN, UNKNOWN, UNKNOWN);
    }

    /** The block {@code version --detailed} prints, laid out as kuma-dp lays it out. */
    String detailed() {
        return String.join("\n",
                "Product:    " + product,
                "Version:    " + version,
                "Git Tag:    " + gitTag,
                "Git Commit: " + gitCommit,
                "Build Date: " + buildDate);
    }
}
