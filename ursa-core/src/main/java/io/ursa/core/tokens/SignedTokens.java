package io.ursa.core.tokens;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * What dataplane, user and zone tokens share: RS256 JWTs signed with the latest key of a {@link SigningKeyScope}, whose
 * serial is the {@code kid} header, with the registered claims {@code jti} (a random UUID), {@code iat} (now),
 * {@code nbf} (now − 5 min, for clock skew) and {@code exp} (now + validity); verification in Kuma's order (parse,
 * algorithm, key by {@code kid} (none: serial 0, or refused where the scope has no legacy key), signature,
 * {@code exp}, {@code nbf}) and the scope's revocation list. Stateless and thread-safe; keys and revocations are read through the manager on every call.
 */
final class SignedTokens {
    /** How far before its issue time a token is already valid. */
    static final Duration NOT_BEFORE_SKEW = Duration.ofMinutes(5);

    private final SigningKeys keys;
    private final Revocations revocations;
    private final Clock clock;

    SignedTokens(SigningKeys keys, Revocations revocations, Clock clock) {
        this.keys = requireNonNull(keys, "keys");
        this.revocations = requireNonNull(revocations, "revocations");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * Signs {@code claims} plus the registered ones with the latest key.
     *
     * @throws SigningKeyNotFoundException when the scope has no signing key
     */
    String sign(JWTClaimsSet.Builder claims, Duration validFor) {
        requireNonNull(claims, "claims");
        checkValidity(validFor);
        SigningKeyScope scope = keys.scope();
        SigningKeys.SigningKey key = keys.latest().orElseThrow(() -> new SigningKeyNotFoundException(scope, 1));
        Instant now = clock.instant();
        claims.jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now.minus(NOT_BEFORE_SKEW)))
                .expirationTime(Date.from(now.plus(validFor)));
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .type(JOSEObjectType.JWT)
                .keyID(Integer.toString(key.serial()))
                .build();
        SignedJWT jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(new RSASSASigner(key.privateKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign a token with signing key " + key.serial() + " of "
                    + scope.owner() + ": " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /** Refuses a validity that is not positive. */
    static void checkValidity(Duration validFor) {
        requireNonNull(validFor, "validFor");
        if (validFor.isNegative() || validFor.isZero()) {
            throw new IllegalArgumentException("invalid validFor: " + validFor + " (expected: > 0)");
        }
    }

    /** The claims of {@code token} once its signature, expiry and start are checked. */
    JWTClaimsSet verify(String token) throws TokenRejection {
        requireNonNull(token, "token");
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token.strip());
        } catch (ParseException e) {
            throw TokenRejection.malformed(e.getMessage(), "not a signed JWT", e);
        }
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!JWSAlgorithm.RS256.equals(alg)) {
            throw TokenRejection.malformed("unsupported signing algorithm " + alg + " (expected: RS256)",
                    "unsupported signing algorithm (expected: RS256)", null);
        }
        SigningKeyScope scope = keys.scope();
        int serial = serialOf(jwt.getHeader().getKeyID(), scope);
        SigningKeys.SigningKey key;
        try {
            key = keys.bySerial(serial).orElseThrow(() -> new SigningKeyNotFoundException(scope, serial));
        } catch (SigningKeyNotFoundException e) {
            throw new TokenRejection(TokenRejection.Reason.UNKNOWN_KEY, e.getMessage(),
                    "unknown signing key serial " + serial, serial, e);
        } catch (IllegalStateException e) {
            throw TokenRejection.malformed(e.getMessage(), "signing key " + serial + " cannot be read", e);
        }
        try {
            if (!jwt.verify(new RSASSAVerifier(RsaKeys.publicKeyOf(key.privateKey())))) {
                throw new TokenRejection(TokenRejection.Reason.BAD_SIGNATURE, "the signature is invalid (the token"
                        + " was not signed with signing key " + serial + " of " + scope.owner() + ")",
                        "bad signature", serial, null);
            }
        } catch (JOSEException e) {
            throw TokenRejection.malformed(e.getMessage(), "the signature cannot be checked", e);
        }
        try {
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Instant now = clock.instant();
            Date exp = claims.getExpirationTime();
            if (exp != null && !now.isBefore(exp.toInstant())) {
                throw new TokenRejection(TokenRejection.Reason.EXPIRED, "token is expired (expired at "
                        + exp.toInstant() + ")", "expired (at " + exp.toInstant() + ")", serial, null);
            }
            Date nbf = claims.getNotBeforeTime();
            if (nbf != null && now.isBefore(nbf.toInstant())) {
                throw new TokenRejection(TokenRejection.Reason.NOT_YET_VALID, "token is not valid yet (valid from "
                        + nbf.toInstant() + ")", "not valid yet (valid from " + nbf.toInstant() + ")", serial, null);
            }
            return claims;
        } catch (ParseException e) {
            throw TokenRejection.malformed(e.getMessage(), "its claims are not a JSON object of valid claims", e);
        }
    }

    /** Whether the token with ID {@code tokenId} is on the scope's revocation list. */
    boolean isRevoked(String tokenId) {
        return revocations.isRevoked(tokenId);
    }

    private static int serialOf(String kid, SigningKeyScope scope) throws TokenRejection {
        if (kid == null) {
            if (scope.keyIdFallback() == SigningKeyScope.KeyIdFallback.NONE) {
                throw TokenRejection.malformed("missing Key ID", "missing Key ID (kid header)", null);
            }
            return 0;
        }
        OptionalInt serial = SigningKeyScope.parseSerial(kid);
        if (serial.isEmpty()) {
            throw TokenRejection.malformed("invalid kid header: \"" + kid
                    + "\" (expected: the decimal serial number of a signing key)",
                    "invalid kid header (expected: the decimal serial number of a signing key)", null);
        }
        return serial.getAsInt();
    }
}
