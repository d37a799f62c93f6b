package io.ursa.core.tokens;

import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.api.secret.SecretSpec;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.MemoryResourceStore;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;

/** A manager over a memory store with meshes and secrets written as users write them, and clocks to issue at. */
final class TokenFixture {
    static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    final ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
    final ResourceManager manager = ResourceManager.create(new MemoryResourceStore(), Clock.systemUTC(), List.of());

    /** Creates a mesh (which gets its signing key {@code -1}) without default policies. */
    void mesh(String name) {
        apply("type: Mesh\nname: " + name + "\nskipCreatingInitialPolicies: ['*']\n");
    }

    void apply(String yaml) {
        upsert(codec.decode(codec.parseYamlDocuments(yaml).get(0)));
    }

    private <S extends Spec> void upsert(Resource<S> r) {
        manager.upsert(r.type(), r.mesh(), r.name(), r.spec(), OptionalLong.empty());
    }

    void secret(String mesh, String name, byte[] data) {
        manager.upsert(ResourceTypes.SECRET, mesh, name, SecretSpec.of(data), OptionalLong.empty());
    }

    void secret(String mesh, String name, String data) {
        secret(mesh, name, data.getBytes(StandardCharsets.UTF_8));
    }

    void globalSecret(String name, byte[] data) {
        manager.upsert(ResourceTypes.GLOBAL_SECRET, "", name, SecretSpec.of(data), OptionalLong.empty());
    }

    void globalSecret(String name, String data) {
        globalSecret(name, data.getBytes(StandardCharsets.UTF_8));
    }

    void deleteGlobalSecret(String name) {
        manager.delete(ResourceTypes.GLOBAL_SECRET, "", name);
    }

    UserTokenIssuer userIssuerAt(Instant instant) {
        return new UserTokenIssuer(manager, Clock.fixed(instant, ZoneOffset.UTC));
    }

    UserTokenValidator userValidatorAt(Instant instant) {
        return new UserTokenValidator(manager, Clock.fixed(instant, ZoneOffset.UTC));
    }

    byte[] secretBytes(String mesh, String name) {
        return manager.get(ResourceTypes.SECRET, mesh, name).orElseThrow().spec().bytes();
    }

    void deleteSecret(String mesh, String name) {
        manager.delete(ResourceTypes.SECRET, mesh, name);
    }

    DataplaneTokenIssuer issuerAt(Instant instant) {
        return new DataplaneTokenIssuer(manager, Clock.fixed(instant, ZoneOffset.UTC));
    }

    DataplaneTokenValidator validatorAt(Instant instant) {
        return new DataplaneTokenValidator(manager, Clock.fixed(instant, ZoneOffset.UTC));
    }

    DataplaneSpec dataplaneSpec(String yaml) {
        return codec.decode(codec.parseYamlDocuments(yaml).get(0)).as(ResourceTypes.DATAPLANE).spec();
    }

    /** A new RSA 2048 key as PEM {@code RSA PRIVATE KEY} (PKCS#1), the form Kuma writes. */
    static byte[] pkcs1PemKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
            // PrivateKeyInfo of a 2048-bit key: 26 header bytes, then the PKCS#1 RSAPrivateKey as an OCTET STRING
            if (pkcs8[22] != 0x04) {
                throw new IllegalStateException("unexpected PKCS#8 layout");
            }
            byte[] pkcs1 = java.util.Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
            String pem = "-----BEGIN RSA PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs1)
                    + "\n-----END RSA PRIVATE KEY-----\n";
            return pem.getBytes(StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
