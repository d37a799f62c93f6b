package io.ursa.core.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ursa.api.resource.ResourceTypes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ZoneTokensTest {
    private static final Instant NOW = TokenFixture.NOW;
    private static final Duration DAY = Duration.ofHours(24);
    private static final List<String> EGRESS = List.of(ZoneTokens.EGRESS_SCOPE);

    private final TokenFixture f = new TokenFixture();
    private ZoneTokenIssuer issuer;
    private ZoneTokenValidator validator;

    @BeforeEach
    void createSigningKey() {
        assertThat(ZoneTokens.ensureSigningKey(f.manager)).isTrue();
        issuer = issuerAt(NOW);
        validator = validatorAt(NOW);
    }

    private ZoneTokenIssuer issuerAt(Instant instant) {
        return new ZoneTokenIssuer(f.manager, Clock.fixed(instant, ZoneOffset.UTC));
    }

    private ZoneTokenValidator validatorAt(Instant instant) {
        return new ZoneTokenValidator(f.manager, Clock.fixed(instant, ZoneOffset.UTC));
    }

    private String reasonOf(String token, String zone) {
        return reasonOf(validator, token, zone, ZoneTokens.EGRESS_SCOPE);
    }

    private static String reasonOf(ZoneTokenValidator validator, String token, String zone, String scope) {
        try {
            validator.validate(token, zone, scope);
            throw new AssertionError("the token was accepted");
        } catch (InvalidZoneTokenException e) {
            return e.getMessage();
        }
    }

    @Test
    void issuedTokenCarriesKumasClaimsAndValidatesForItsZoneAndScope() throws Exception {
        String token = issuer.issue("east", EGRESS, DAY);

        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo("1");
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getStringClaim("Zone")).isEqualTo("east");
        assertThat(claims.getStringListClaim("Scope")).containsExactly("egress");
        assertThat(UUID.fromString(claims.getJWTID())).isNotNull();
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(NOW);
        assertThat(claims.getNotBeforeTime().toInstant()).isEqualTo(NOW.minus(Duration.ofMinutes(5)));
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plus(DAY));

        assertThatCode(() -> validator.validate(token, "east", ZoneTokens.EGRESS_SCOPE)).doesNotThrowAnyException();
    }

    @Test
    void signingKeyIsAGlobalSecretWithKumasNameCreatedOnce() {
        assertThat(f.manager.get(ResourceTypes.GLOBAL_SECRET, "", "zone-token-signing-key-1")).isPresent();
        assertThat(ZoneTokens.signingKeyName(3)).isEqualTo("zone-token-signing-key-3");
        assertThat(ZoneTokens.ensureSigningKey(f.manager)).isFalse();
        assertThatThrownBy(() -> ZoneTokens.signingKeyName(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tokenOfNoZoneIsAcceptedFromAnyZone() {
        String token = issuer.issue("", EGRESS, DAY);

        assertThatCode(() -> validator.validate(token, "", ZoneTokens.EGRESS_SCOPE)).doesNotThrowAnyException();
        assertThatCode(() -> validator.validate(token, "west", ZoneTokens.EGRESS_SCOPE)).doesNotThrowAnyException();
    }

    @Test
    void tokenOfAZoneIsRefusedToAnotherZoneAndToNoZoneAsKuma() {
        String token = issuer.issue("east", EGRESS, DAY);

        assertThat(reasonOf(token, "west")).isEqualTo("zone from requestor: west is different than in token: east");
        assertThat(reasonOf(token, "")).isEqualTo("zone from requestor:  is different than in token: east");
    }

    @Test
    void scopeMustContainTheAskedScope() {
        String ingressOnly = issuer.issue("", List.of(ZoneTokens.INGRESS_SCOPE), DAY);
        String both = issuer.issue("", ZoneTokens.FULL_SCOPE, DAY);

        assertThat(reasonOf(ingressOnly, "")).isEqualTo(
                "token cannot be used to authenticate zone entity (egress is out of token's scope: [ingress])");
        assertThatCode(() -> validator.validate(both, "", ZoneTokens.EGRESS_SCOPE)).doesNotThrowAnyException();
        assertThatCode(() -> validator.validate(ingressOnly, "", ZoneTokens.INGRESS_SCOPE))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> validator.validate(both, "", "sidecar")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid scope: \"sidecar\" (expected one of [ingress, egress])");
    }

    @Test
    void tokenWithoutScopeClaimIsOutOfEveryScope() throws Exception {
        String token = signedWithKey1(new JWTClaimsSet.Builder().jwtID("a").claim("Zone", ""), "1");

        assertThat(reasonOf(token, "")).isEqualTo(
                "token cannot be used to authenticate zone entity (egress is out of token's scope: [])");
    }

    @Test
    void expiredTokenIsRefusedFromItsExpiryOn() {
        String token = issuer.issue("", EGRESS, DAY);

        assertThatCode(() -> validatorAt(NOW.plus(DAY).minusSeconds(1)).validate(token, "", "egress"))
                .doesNotThrowAnyException();
        assertThat(reasonOf(validatorAt(NOW.plus(DAY)), token, "", "egress"))
                .isEqualTo("could not parse token: token is expired (expired at 2024-05-02T12:00:00Z)");
        assertThat(reasonOf(validatorAt(NOW.minus(Duration.ofMinutes(6))), token, "", "egress"))
                .isEqualTo("could not parse token: token is not valid yet (valid from 2024-05-01T11:55:00Z)");
    }

    @Test
    void revokedTokenIsRefusedAndOthersAreNot() throws Exception {
        String revoked = issuer.issue("", EGRESS, DAY);
        String other = issuer.issue("", EGRESS, DAY);
        String id = SignedJWT.parse(revoked).getJWTClaimsSet().getJWTID();

        f.globalSecret("zone-token-revocations", "some-other-id," + id + "\n");

        assertThat(ZoneTokens.REVOCATIONS).isEqualTo("zone-token-revocations");
        assertThat(reasonOf(revoked, "")).isEqualTo("token is revoked");
        assertThatCode(() -> validator.validate(other, "", "egress")).doesNotThrowAnyException();
    }

    @Test
    void tokenSignedWithAnotherKeyIsRefused() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().claim("Scope", EGRESS).jwtID("y")
                .expirationTime(Date.from(NOW.plus(DAY))).build();
        SignedJWT ownKey = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("1").build(), claims);
        ownKey.sign(new RSASSASigner(RsaKeys.parsePrivateKey(TokenFixture.pkcs1PemKey())));

        assertThat(reasonOf(ownKey.serialize(), "")).isEqualTo("could not parse token: the signature is invalid (the"
                + " token was not signed with signing key 1 of zone tokens)");
        assertThat(reasonOf("not-a-token", "")).startsWith("could not parse token: ");
    }

    @Test
    void userAndDataplaneTokensAreNoZoneTokens() {
        UserTokens.ensureSigningKey(f.manager);
        f.mesh("demo");
        String userToken = f.userIssuerAt(NOW).issue(new io.ursa.core.access.User("alice", List.of()), DAY);
        String dataplaneToken = f.issuerAt(NOW).issue(DataplaneIdentity.of("web-1", "demo", Map.of(), ""), DAY);

        assertThat(reasonOf(userToken, "")).startsWith("could not parse token: the signature is invalid");
        assertThat(reasonOf(dataplaneToken, "")).startsWith("could not parse token: the signature is invalid");
    }

    @Test
    void tokenWithoutKeyIdIsRefusedAsKumaHasNoLegacyZoneKey() throws Exception {
        f.globalSecret("zone-token-signing-key", f.manager.get(ResourceTypes.GLOBAL_SECRET, "",
                "zone-token-signing-key-1").orElseThrow().spec().bytes());
        String token = signedWithKey1(new JWTClaimsSet.Builder().jwtID("a").claim("Scope", EGRESS), null);

        assertThat(reasonOf(token, "")).isEqualTo("could not parse token: missing Key ID");
        assertThat(SignedJWT.parse(issuer.issue("", EGRESS, DAY)).getHeader().getKeyID())
                .as("the bare name is no key of serial 0").isEqualTo("1");
    }

    @Test
    void rotationSignsWithTheHighestSerialAndRemovingAKeyRefusesItsTokens() throws Exception {
        String old = issuer.issue("", EGRESS, DAY);
        f.globalSecret("zone-token-signing-key-2", TokenFixture.pkcs1PemKey());

        String rotated = issuer.issue("", EGRESS, DAY);

        assertThat(SignedJWT.parse(rotated).getHeader().getKeyID()).isEqualTo("2");
        assertThatCode(() -> validator.validate(old, "", "egress")).doesNotThrowAnyException();

        f.deleteGlobalSecret("zone-token-signing-key-1");

        assertThat(reasonOf(old, "")).isEqualTo("there is no signing key with serial number 1. GlobalSecret of name"
                + " \"zone-token-signing-key-1\" is not found. If signing key was rotated, regenerate the token");
        assertThatCode(() -> validator.validate(rotated, "", "egress")).doesNotThrowAnyException();
        assertThat(ZoneTokens.ensureSigningKey(f.manager)).as("key 2 is there: no key 1 again").isFalse();
    }

    @Test
    void issuingChecksScopeValidityAndTheSigningKey() {
        assertThatThrownBy(() -> issuer.issue("", List.of(), DAY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid scope: [] (expected: at least one of [ingress, egress])");
        assertThatThrownBy(() -> issuer.issue("", List.of("egres"), DAY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid scope: \"egres\" (expected one of [ingress, egress])");
        assertThatThrownBy(() -> issuer.issue("", EGRESS, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid validFor: PT0S (expected: > 0)");

        f.deleteGlobalSecret("zone-token-signing-key-1");

        assertThatThrownBy(() -> issuer.issue("", EGRESS, DAY)).isInstanceOf(SigningKeyNotFoundException.class)
                .hasMessage("there is no signing key with serial number 1. GlobalSecret of name"
                        + " \"zone-token-signing-key-1\" is not found. If signing key was rotated, regenerate the token");
    }

    private String signedWithKey1(JWTClaimsSet.Builder claims, String kid) throws Exception {
        JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT);
        if (kid != null) {
            header.keyID(kid);
        }
        SignedJWT jwt = new SignedJWT(header.build(), claims.expirationTime(Date.from(NOW.plus(DAY))).build());
        jwt.sign(new RSASSASigner(RsaKeys.parsePrivateKey(
                f.manager.get(ResourceTypes.GLOBAL_SECRET, "", "zone-token-signing-key-1").orElseThrow().spec()
                        .bytes())));
        return jwt.serialize();
    }
}
