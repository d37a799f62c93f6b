package io.ursa.store.jdbc;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One schema migration: its version (1, 2, ...), a description, the SQL script and the script's checksum (SHA-256
 * of the text with line endings normalized, so a checkout with CRLF does not count as a change).
 */
record Migration(int version, String description, String script, String checksum) {
    private static final Pattern FILE_NAME = Pattern.compile("V([1-9][0-9]*)__([A-Za-z0-9_]+)\\.sql");

    Migration {
        requireNonNull(description, "description");
        requireNonNull(script, "script");
        requireNonNull(checksum, "checksum");
        if (version < 1) {
            throw new IllegalArgumentException("invalid migration version: " + version + " (expected: >= 1)");
        }
    }

    static Migration of(int version, String description, String script) {
        return new Migration(version, description, script, checksum(script));
    }

    /** A migration from a file named like {@code V2__add_labels.sql}. */
    static Migration fromFile(String fileName, String script) {
        Matcher m = FILE_NAME.matcher(fileName);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid migration file name: " + fileName
                    + " (expected: V<version>__<description>.sql, e.g. V2__add_labels.sql)");
        }
        return of(Integer.parseInt(m.group(1)), m.group(2).replace('_', ' '), script);
    }

    static String checksum(String script) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(script.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    @Override
    public String toString() {
        return "V" + version + " (" + description + ")";
    }
}
