package io.ursa.cp;

import picocli.CommandLine;

/** The version printed by {@code --version} and served by {@code GET /}. */
public final class Version implements CommandLine.IVersionProvider {
    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"ursa-cp " + current()};
    }
}
