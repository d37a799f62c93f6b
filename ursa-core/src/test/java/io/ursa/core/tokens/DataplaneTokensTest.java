package io.ursa.core.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import io.ursa.core.manager.MeshNotFoundException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DataplaneTokensTest {
    private static final Instant NOW = TokenFixture.NOW;
    private static final Duration DAY = Duration.ofHours(24);
    private static final Map<String, Set<String>> WEB_TAGS =
            Map.of("kuma.io/service", Set.of("web"), "version", Set.of("v1"));

    private final TokenFixture f = new TokenFixture();
    private DataplaneTokenIssuer issuer;
    private DataplaneTokenValidator validator;

    @BeforeEach
    void createMesh() {
        f.mesh("demo");
        issuer = f.issuerAt(NOW);
        validator = f.validatorAt(NOW);
    }

    private String token(String name, Map<String, Set<String>> tags) {
        return issuer.issue(DataplaneIdentity.of(name, "demo", tags, "dataplane"), DAY);
    }

    private static String reasonOf(ThrowingValidation validation) {
        try {
            validation.run();
        } catch (InvalidDataplaneTokenException e) {
            return e.getMessage();
        }
        throw new AssertionError("the token was accepted");
    }

    @FunctionalInterface
    private interface ThrowingValidation {
        void run() throws InvalidDataplaneTokenException;
    }

    @Test
    void issuedTokenCarriesKumasHeaderAndClaimsAndValidates() throws Exception {
        String token = issuer.issue(DataplaneIdentity.of("web-1", "demo",
                Map.of("kuma.io/service", Set.of("web", "api")), "dataplane"), DAY);

        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo("1");
        var claims = jwt.getJWTClaimsSet();
        assertThat(claims.getStringClaim("Name")).isEqualTo("web-1");
        assertThat(claims.getStringClaim("Mesh")).isEqualTo("demo");
        assertThat(claims.getStringClaim("Type")).isEqualTo("dataplane");
        assertThat(claims.getJSONObjectClaim("Tags")).isEqualTo(Map.of("kuma.io/service", List.of("api", "web")));
        assertThat(UUID.fromString(claims.getJWTID())).isNotNull();
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(NOW);
        assertThat(claims.getNotBeforeTime().toInstant()).isEqualTo(NOW.minus(Duration.ofMinutes(5)));
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plus(DAY));

        assertThatCode(() -> validator.validate(token, "demo", "web-1",
                Map.of("kuma.io/service", Set.of("web", "api")))).doesNotThrowAnyException();
    }

    @Test
    void everyTokenHasItsOwnId() throws Exception {
        String first = token("web-1", Map.of());
        String second = token("web-1", Map.of());

        assertThat(SignedJWT.parse(first).getJWTClaimsSet().getJWTID())
                .isNotEqualTo(SignedJWT.parse(second).getJWTClaimsSet().getJWTID());
    }

    @Test
    void emptyClaimsBindNothingButTheMeshKey() {
        String token = issuer.issue(DataplaneIdentity.of("", "demo", Map.of(), ""), DAY);

        assertThatCode(() -> validator.validate(token, "demo", "anything", WEB_TAGS)).doesNotThrowAnyException();
        assertThatCode(() -> validator.validate(token, "demo", "other", Map.of())).doesNotThrowAnyException();
    }

    @Test
    void validatesAgainstTheTagsOfADataplaneResource() {
        String token = token("", Map.of("kuma.io/service", Set.of("web", "edge")));
        var dataplane = f.dataplaneSpec("""
                type: Dataplane
                mesh: demo
                name: web-1
                networking:
                  address: 10.0.0.1
                  inbound:
                  - port: 8080
                    tags:
                      kuma.io/service: web
                  - port: 8081
                    tags:
                      kuma.io/service: admin
                """);

        assertThat(DataplaneTokenValidator.tagsOf(dataplane)).isEqualTo(Map.of("kuma.io/service",
                Set.of("admin", "web")));
        assertThat(reasonOf(() -> validator.validate(token, "demo", "web-1", dataplane))).isEqualTo(
                "dataplane contains tag \"kuma.io/service\" with value \"admin\" which is not allowed with this"
                + " token. Allowed values in token are [\"edge\" \"web\"]");
    }

    @Test
    void tokenOfAnotherMeshFailsOnTheSignature() {
        f.mesh("other");
        String token = token("web-1", Map.of());

        assertThat(reasonOf(() -> validator.validate(token, "other", "web-1", Map.of()))).isEqualTo(
                "could not parse token: the signature is invalid (the token was not signed with signing key 1 of"
                + " mesh \"other\")");
    }

    @Test
    void meshClaimIsCheckedWhenAnotherMeshSharesTheKey() {
        f.mesh("other");
        f.secret("other", "dataplane-token-signing-key-other-1",
                f.secretBytes("demo", "dataplane-token-signing-key-demo-1"));
        String token = token("web-1", Map.of());

        assertThat(reasonOf(() -> validator.validate(token, "other", "web-1", Map.of())))
                .isEqualTo("proxy mesh from requestor: other is different than in token: demo");
    }

    @Test
    void unknownKeySerialIsRefusedWithKumasMessage() throws Exception {
        String token = token("web-1", Map.of());
        f.secret("demo", "dataplane-token-signing-key-demo-2", TokenFixture.pkcs1PemKey());
        f.deleteSecret("demo", "dataplane-token-signing-key-demo-1");

        assertThat(reasonOf(() -> validator.validate(token, "demo", "web-1", Map.of()))).isEqualTo(
                "there is no signing key with serial number 1. Secret of name \"dataplane-token-signing-key-demo-1\""
                + " in mesh \"demo\" is not found. If signing key was rotated, regenerate the token");
    }

    @Test
    void rotatedKeySignsNewTokensWhileOldOnesLastAsLongAsTheirKey() throws Exception {
        String old = token("web-1", Map.of());
        f.secret("demo", "dataplane-token-signing-key-demo-2", TokenFixture.pkcs1PemKey());

        String rotated = token("web-1", Map.of());

        assertThat(SignedJWT.parse(rotated).getHeader().getKeyID()).isEqualTo("2");
        assertThatCode(() -> validator.validate(rotated, "demo", "web-1", Map.of())).doesNotThrowAnyException();
        assertThatCode(() -> validator.validate(old, "demo", "web-1", Map.of())).doesNotThrowAnyException();

        f.deleteSecret("demo", "dataplane-token-signing-key-demo-1");

        assertThat(reasonOf(() -> validator.validate(old, "demo", "web-1", Map.of())))
                .startsWith("there is no signing key with serial number 1.");
        assertThatCode(() -> validator.validate(rotated, "demo", "web-1", Map.of())).doesNotThrowAnyException();
    }

    @Test
    void latestKeyIsTheHighestSerialNotTheNewestOrLongestName() throws Exception {
        f.secret("demo", "dataplane-token-signing-key-demo-10", TokenFixture.pkcs1PemKey());
        f.secret("demo", "dataplane-token-signing-key-demo-9", TokenFixture.pkcs1PemKey());
        f.secret("demo", "dataplane-token-signing-key-demo-extra", "not a key");

        assertThat(SignedJWT.parse(token("web-1", Map.of())).getHeader().getKeyID()).isEqualTo("10");
    }

    @Test
    void legacyKeyWithoutSerialIsSerialZero() throws Exception {
        f.mesh("legacy");
        f.secret("legacy", "dataplane-token-signing-key-legacy", TokenFixture.pkcs1PemKey());
        f.deleteSecret("legacy", "dataplane-token-signing-key-legacy-1");

        String token = issuer.issue(DataplaneIdentity.of("", "legacy", Map.of(), ""), DAY);

        assertThat(SignedJWT.parse(token).getHeader().getKeyID()).isEqualTo("0");
        assertThatCode(() -> validator.validate(token, "legacy", "web-1", Map.of())).doesNotThrowAnyException();
    }

    @Test
    void expiredTokenIsRefusedFromItsExpiryOn() {
        String token = token("web-1", Map.of());
        Instant expiry = NOW.plus(DAY);

        assertThatCode(() -> f.validatorAt(expiry.minusSeconds(1)).validate(token, "demo", "web-1", Map.of()))
                .doesNotThrowAnyException();
        assertThat(reasonOf(() -> f.validatorAt(expiry).validate(token, "demo", "web-1", Map.of())))
                .isEqualTo("could not parse token: token is expired (expired at 2024-05-02T12:00:00Z)");
    }

    @Test
    void tokenIsValidFiveMinutesBeforeItsIssueTimeAndNotEarlier() {
        String token = token("web-1", Map.of());

        assertThatCode(() -> f.validatorAt(NOW.minus(Duration.ofMinutes(5))).validate(token, "demo", "web-1",
                Map.of())).doesNotThrowAnyException();
        assertThat(reasonOf(() -> f.validatorAt(NOW.minus(Duration.ofMinutes(5)).minusSeconds(1))
                .validate(token, "demo", "web-1", Map.of())))
                .isEqualTo("could not parse token: token is not valid yet (valid from 2024-05-01T11:55:00Z)");
    }

    @Test
    void revokedTokenIsRefusedEvenWithATrailingNewlineInTheList() throws Exception {
        String token = token("web-1", Map.of());
        String other = token("web-1", Map.of());
        String id = SignedJWT.parse(token).getJWTClaimsSet().getJWTID();

        f.secret("demo", "dataplane-token-revocations-demo", "e1f2a3b4-0000-4000-8000-000000000000," + id + "\n");

        assertThat(reasonOf(() -> validator.validate(token, "demo", "web-1", Map.of())))
                .isEqualTo("token is revoked");
        assertThatCode(() -> validator.validate(other, "demo", "web-1", Map.of())).doesNotThrowAnyException();
    }

    @Test
    void revocationListOfAnotherMeshDoesNotCount() throws Exception {
        f.mesh("other");
        String token = token("web-1", Map.of());
        String id = SignedJWT.parse(token).getJWTClaimsSet().getJWTID();

        f.secret("other", "dataplane-token-revocations-other", id);

        assertThatCode(() -> validator.validate(token, "demo", "web-1", Map.of())).doesNotThrowAnyException();
    }

    @Test
    void nameClaimMustBeTheProxyName() {
        String token = token("web-1", Map.of());

        assertThat(reasonOf(() -> validator.validate(token, "demo", "web-2", Map.of())))
                .isEqualTo("proxy name from requestor: web-2 is different than in token: web-1");
    }

    @Test
    void proxyMustHaveEveryTagOfTheToken() {
        String token = token("", Map.of("kuma.io/service", Set.of("web"), "version", Set.of("v1")));

        assertThat(reasonOf(() -> validator.validate(token, "demo", "web-1",
                Map.of("kuma.io/service", Set.of("web")))))
                .isEqualTo("dataplane has no tag \"version\" required by the token");
    }

    @Test
    void everyValueOfATokenTagMustBeAllowed() {
        String token = token("", Map.of("kuma.io/service", Set.of("web", "web-api")));

        assertThatCode(() -> validator.validate(token, "demo", "web-1",
                Map.of("kuma.io/service", Set.of("web", "web-api"), "version", Set.of("v1"))))
                .doesNotThrowAnyException();
        assertThat(reasonOf(() -> validator.validate(token, "demo", "web-1",
                Map.of("kuma.io/service", Set.of("web", "backend")))))
                .isEqualTo("dataplane contains tag \"kuma.io/service\" with value \"backend\" which is not allowed"
                        + " with this token. Allowed values in token are [\"web\" \"web-api\"]");
    }

    @Test
    void malformedAndUnsignedTokensAreRefused() {
        assertThat(reasonOf(() -> validator.validate("not-a-jwt", "demo", "web-1", Map.of())))
                .startsWith("could not parse token: ");
        String unsigned = "eyJhbGciOiJub25lIn0.eyJOYW1lIjoid2ViLTEifQ.";
        assertThat(reasonOf(() -> validator.validate(unsigned, "demo", "web-1", Map.of())))
                .startsWith("could not parse token: ");
    }

    @Test
    void tamperedClaimsFailTheSignature() throws Exception {
        String token = token("web-1", Map.of());
        String[] parts = token.split("\\.");
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                SignedJWT.parse(token).getJWTClaimsSet().toString().replace("web-1", "web-2").getBytes());

        assertThat(reasonOf(() -> validator.validate(parts[0] + "." + forged + "." + parts[2], "demo", "web-2",
                Map.of()))).startsWith("could not parse token: the signature is invalid");
    }

    @Test
    void issuingNeedsAnExistingMeshWithASigningKey() {
        f.mesh("keyless");
        f.deleteSecret("keyless", "dataplane-token-signing-key-keyless-1");

        assertThatThrownBy(() -> issuer.issue(DataplaneIdentity.of("", "keyless", Map.of(), ""), DAY))
                .isInstanceOf(SigningKeyNotFoundException.class)
                .hasMessage("there is no signing key with serial number 1. Secret of name"
                        + " \"dataplane-token-signing-key-keyless-1\" in mesh \"keyless\" is not found. If signing"
                        + " key was rotated, regenerate the token");
        assertThatThrownBy(() -> issuer.issue(DataplaneIdentity.of("", "nowhere", Map.of(), ""), DAY))
                .isInstanceOf(MeshNotFoundException.class)
                .hasMessage("mesh of name nowhere is not found");
    }

    @Test
    void identityRefusesAnUnknownProxyTypeAndDropsTagsWithoutValues() {
        assertThatThrownBy(() -> DataplaneIdentity.of("", "demo", Map.of(), "sidecar"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid proxy type: sidecar (expected: one of [dataplane, ingress, egress] or empty)");
        assertThat(DataplaneIdentity.of("", "demo", Map.of("a", Set.of(), "b", Set.of("x")), "").tags())
                .containsOnlyKeys("b");
    }
}
