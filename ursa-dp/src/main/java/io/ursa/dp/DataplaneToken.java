package io.ursa.dp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The dataplane token the agent presents: {@code --dataplane-token} (which wins, as in kuma-dp) or the content
 * of {@code --dataplane-token-file}. Both are checked up front: the file must exist and not be empty, and the
 * token must look like a JWT. Surrounding whitespace (a trailing newline from {@code echo}) is dropped.
 */
record DataplaneToken(Optional<String> value, Optional<Path> file) {
    static final String FILE_NAME = "dataplane-token";
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    static DataplaneToken none() {
        return new DataplaneToken(Optional.empty(), Optional.empty());
    }

    /**
     * Reads and checks the token from the flags; {@code inline} and {@code file} may each be absent. A given file
     * is always checked, even when the inline token wins over it.
     */
    static DataplaneToken resolve(Optional<String> inline, Optional<Path> file) {
        Optional<String> fromFile = file.map(DataplaneToken::read);
        if (inline.isPresent()) {
            return new DataplaneToken(Optional.of(checked(inline.get().strip(), "--dataplane-token")),
                    Optional.empty());
        }
        return new DataplaneToken(fromFile, file);
    }

    private static String read(Path file) {
        if (!Files.exists(file)) {
            throw new DpException("could not read the dataplane token file " + file + ": it does not exist");
        }
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new DpException("could not read the dataplane token file " + file + ": " + e.getMessage());
        }
        if (content.isEmpty()) {
            throw new DpException("the dataplane token file " + file + " is empty");
        }
        return checked(content, "the dataplane token file " + file);
    }

    private static String checked(String token, String source) {
        if (!JWT.matcher(token).matches()) {
            throw new DpException(source + " does not hold a valid token (expected: a JWT, three base64url parts "
                    + "separated by dots, as `ursactl generate dataplane-token` or `ursactl generate zone-token`"
                    + " prints it)");
        }
        return token;
    }

    /**
     * The file the control plane may tell Envoy to read the token from: the given file, or for an inline token a
     * file written into {@code configDir} (readable by the owner only), as kuma-dp does.
     */
    Optional<Path> pathFor(Path configDir) throws IOException {
        if (value.isEmpty() || file.isPresent()) {
            return file.map(Path::toAbsolutePath);
        }
        Path written = configDir.resolve(FILE_NAME);
        PrivateFiles.write(written, value.get());
        return Optional.of(written.toAbsolutePath());
    }
}
