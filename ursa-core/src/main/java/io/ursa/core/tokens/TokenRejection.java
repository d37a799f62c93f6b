package io.ursa.core.tokens;

import static java.util.Objects.requireNonNull;

/**
 * Why {@link SignedTokens} refused a token, before any claim of its kind was looked at. Each token kind words the
 * reason its own way: dataplane tokens with Kuma's messages ({@link #getMessage()}, which may quote parts of the
 * token's header), user tokens with {@link #reason()} and {@link #safeDetail()}, which never quote the token.
 */
final class TokenRejection extends Exception {
    enum Reason {
        MALFORMED,
        UNKNOWN_KEY,
        BAD_SIGNATURE,
        EXPIRED,
        NOT_YET_VALID
    }

    private final Reason reason;
    private final String safeDetail;
    private final int serial;

    TokenRejection(Reason reason, String message, String safeDetail, int serial, Throwable cause) {
        super(message, cause);
        this.reason = requireNonNull(reason, "reason");
        this.safeDetail = requireNonNull(safeDetail, "safeDetail");
        this.serial = serial;
    }

    static TokenRejection malformed(String message, String safeDetail, Throwable cause) {
        return new TokenRejection(Reason.MALFORMED, message, safeDetail, -1, cause);
    }

    Reason reason() {
        return reason;
    }

    /** What is wrong, in words that quote nothing from the token. */
    String safeDetail() {
        return safeDetail;
    }

    /** The serial of the signing key the token names ({@code kid}); -1 when it could not be read. */
    int serial() {
        return serial;
    }
}
