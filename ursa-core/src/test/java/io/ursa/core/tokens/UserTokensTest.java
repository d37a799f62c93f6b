package io.ursa.core.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.access.User;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UserTokensTest {
    private static final Instant NOW = TokenFixture.NOW;
    private static final Duration DAY = Duration.ofHours(24);
    private static final User ALICE = new User("alice", List.of("team-a", "ops"));

    private final TokenFixture f = new TokenFixture();
    private UserTokenIssuer issuer;
    private UserTokenValidator validator;

    @BeforeEach
    void createSigningKey() {
        assertThat(UserTokens.ensureSigningKey(f.manager)).isTrue();
        issuer = f.userIssuerAt(NOW);
        validator = f.userValidatorAt(NOW);
    }

    private String reasonOf(String token) {
        return reasonOf(validator, token);
    }

    private static String reasonOf(UserTokenValidator validator, String token) {
        try {
            User user = validator.validate(token);
            throw new AssertionError("the token was accepted as " + user);
        } catch (InvalidUserTokenException e) {
            if (!token.isEmpty()) {
                assertThat(e.getMessage()).as("never quotes the token").doesNotContain(token);
            }
            return e.getMessage();
        }
    }

    @Test
    void issuedTokenCarriesKumasClaimsAndValidatesAsItsUser() throws Exception {
        String token = issuer.issue(ALICE, DAY);

        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo("1");
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getStringClaim("Name")).isEqualTo("alice");
        assertThat(claims.getStringListClaim("Groups")).containsExactly("team-a", "ops");
        assertThat(UUID.fromString(claims.getJWTID())).isNotNull();
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(NOW);
        assertThat(claims.getNotBeforeTime().toInstant()).isEqualTo(NOW.minus(Duration.ofMinutes(5)));
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plus(DAY));

        assertThat(validator.validate(token)).isEqualTo(ALICE);
    }

    @Test
    void expiredTokenIsRefusedFromItsExpiryOn() throws Exception {
        String token = issuer.issue(ALICE, DAY);

        assertThat(f.userValidatorAt(NOW.plus(DAY).minusSeconds(1)).validate(token)).isEqualTo(ALICE);
        assertThat(reasonOf(f.userValidatorAt(NOW.plus(DAY)), token))
                .isEqualTo("expired (at 2024-05-02T12:00:00Z)");
    }

    @Test
    void tokenIsNotValidMoreThanFiveMinutesBeforeItsIssueTime() {
        String token = issuer.issue(ALICE, DAY);

        assertThat(reasonOf(f.userValidatorAt(NOW.minus(Duration.ofMinutes(6))), token))
                .isEqualTo("not valid yet (valid from 2024-05-01T11:55:00Z)");
    }

    @Test
    void revokedTokenIsRefusedAndOthersAreNot() throws Exception {
        String revoked = issuer.issue(ALICE, DAY);
        String other = issuer.issue(ALICE, DAY);
        String id = SignedJWT.parse(revoked).getJWTClaimsSet().getJWTID();

        f.globalSecret(UserTokens.REVOCATIONS, "some-other-id, " + id + "\n");

        assertThat(reasonOf(revoked)).isEqualTo("revoked");
        assertThat(validator.validate(other)).isEqualTo(ALICE);
    }

    @Test
    void forgedTokensAreRefused() throws Exception {
        String token = issuer.issue(ALICE, DAY);
        String[] parts = token.split("\\.");
        String adminClaims = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"Name\":\"mesh-system:admin\",\"Groups\":[\"mesh-system:admin\"],\"jti\":\"x\","
                        + "\"exp\":" + NOW.plus(DAY).getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8));
        String tampered = parts[0] + "." + adminClaims + "." + parts[2];

        JWTClaimsSet claims = new JWTClaimsSet.Builder().claim("Name", "mallory").jwtID("y")
                .expirationTime(Date.from(NOW.plus(DAY))).build();
        SignedJWT ownKey = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("1").build(), claims);
        ownKey.sign(new RSASSASigner(RsaKeys.parsePrivateKey(TokenFixture.pkcs1PemKey())));
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("1").build(), claims);
        hmac.sign(new MACSigner(new byte[32]));
        String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";

        assertThat(reasonOf(tampered)).isEqualTo("bad signature");
        assertThat(reasonOf(ownKey.serialize())).isEqualTo("bad signature");
        assertThat(reasonOf(hmac.serialize())).isEqualTo("malformed: unsupported signing algorithm (expected: RS256)");
        assertThat(reasonOf(unsigned)).startsWith("malformed: ");
        assertThat(reasonOf("not-a-token")).isEqualTo("malformed: not a signed JWT");
        assertThat(reasonOf("")).isEqualTo("malformed: not a signed JWT");
    }

    @Test
    void aDataplaneTokenIsNoUserToken() {
        f.mesh("demo");
        String dataplaneToken = new DataplaneTokenIssuer(f.manager, Clock.fixed(NOW, ZoneOffset.UTC))
                .issue(DataplaneIdentity.of("web-1", "demo", Map.of(), ""), DAY);

        assertThat(reasonOf(dataplaneToken)).isEqualTo("bad signature");
    }

    @Test
    void claimsMustNameAUserWithGroupsAsStrings() throws Exception {
        assertThat(reasonOf(signedWithKey1(new JWTClaimsSet.Builder().jwtID("a"))))
                .isEqualTo("malformed: the token names no user (claim Name)");
        assertThat(reasonOf(signedWithKey1(new JWTClaimsSet.Builder().jwtID("a").claim("Name", "x")
                .claim("Groups", List.of(1, 2)))))
                .isEqualTo("malformed: claim Name must be a string and Groups a list of strings");
        assertThat(reasonOf(signedWithKey1(new JWTClaimsSet.Builder().claim("Name", "x"))))
                .isEqualTo("malformed: the token has no jti (ID)");
        assertThat(validator.validate(signedWithKey1(new JWTClaimsSet.Builder().jwtID("a").claim("Name", "x"))))
                .as("no groups").isEqualTo(new User("x", List.of()));
    }

    private String signedWithKey1(JWTClaimsSet.Builder claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID("1")
                .build(), claims.expirationTime(Date.from(NOW.plus(DAY))).build());
        jwt.sign(new RSASSASigner(RsaKeys.parsePrivateKey(
                f.manager.get(ResourceTypes.GLOBAL_SECRET, "", "user-token-signing-key-1").orElseThrow().spec()
                        .bytes())));
        return jwt.serialize();
    }

    @Test
    void rotationSignsWithTheHighestSerialAndOldTokensLastAsLongAsTheirKey() throws Exception {
        String old = issuer.issue(ALICE, DAY);
        f.globalSecret("user-token-signing-key-2", TokenFixture.pkcs1PemKey());

        String rotated = issuer.issue(ALICE, DAY);

        assertThat(SignedJWT.parse(rotated).getHeader().getKeyID()).isEqualTo("2");
        assertThat(validator.validate(old)).isEqualTo(ALICE);
        assertThat(validator.validate(rotated)).isEqualTo(ALICE);

        f.deleteGlobalSecret("user-token-signing-key-1");

        assertThat(reasonOf(old)).isEqualTo("unknown signing key serial 1");
        assertThat(validator.validate(rotated)).isEqualTo(ALICE);
        assertThat(UserTokens.ensureSigningKey(f.manager)).as("key 2 is there: no key 1 again").isFalse();
        assertThat(f.manager.get(ResourceTypes.GLOBAL_SECRET, "", "user-token-signing-key-1")).isEmpty();
    }

    @Test
    void issuingWithoutASigningKeyNamesTheMissingGlobalSecret() {
        f.deleteGlobalSecret("user-token-signing-key-1");

        assertThatThrownBy(() -> issuer.issue(ALICE, DAY))
                .isInstanceOf(SigningKeyNotFoundException.class)
                .hasMessage("there is no signing key with serial number 1. GlobalSecret of name"
                        + " \"user-token-signing-key-1\" is not found. If signing key was rotated, regenerate the token");
        assertThatThrownBy(() -> issuer.issue(ALICE, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid validFor: PT0S (expected: > 0)");
    }

    @Test
    void adminTokenIsCreatedOnceForTheAdminUserForTenYears() throws Exception {
        assertThat(UserTokens.ensureAdminToken(f.manager, Clock.fixed(NOW, ZoneOffset.UTC))).isTrue();
        String token = new String(f.manager.get(ResourceTypes.GLOBAL_SECRET, "", "admin-user-token").orElseThrow()
                .spec().bytes(), StandardCharsets.US_ASCII);

        assertThat(validator.validate(token)).isEqualTo(User.ADMIN);
        assertThat(validator.validate(token).groups()).containsExactly("mesh-system:admin");
        assertThat(SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().toInstant())
                .isEqualTo(NOW.plus(Duration.ofDays(3650)));
        assertThat(UserTokens.ensureAdminToken(f.manager, Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC)))
                .as("kept while it exists").isFalse();
        assertThat(f.manager.get(ResourceTypes.GLOBAL_SECRET, "", "admin-user-token").orElseThrow().spec().bytes())
                .asString(StandardCharsets.US_ASCII).isEqualTo(token);
    }
}
