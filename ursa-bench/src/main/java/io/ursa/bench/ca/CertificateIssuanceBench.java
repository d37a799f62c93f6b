package io.ursa.bench.ca;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ursa.ca.BuiltinCaPlugin;
import io.ursa.ca.DataplaneCertificateIssuer;
import io.ursa.core.ca.CaBackendContext;
import io.ursa.core.ca.SecretAccess;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Proxy certificates issued per second from a mesh's builtin CA (RSA 2048 root), ECDSA P-256 keys against RSA 2048
 * keys, and what that means for 1,000 proxies when a mesh turns mTLS on. One thread, after a warm-up of a quarter of
 * the run.
 *
 * <p>{@code java -cp 'ursa-bench/target/ursa-bench.jar:ursa-bench/target/lib/*'
 * io.ursa.bench.ca.CertificateIssuanceBench [ecdsaCount=2000] [rsaCount=60]}
 */
public final class CertificateIssuanceBench {
    private CertificateIssuanceBench() {
    }

    public static void main(String[] args) {
        int ecdsa = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rsa = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Map<String, byte[]> secrets = new HashMap<>();
        SecretAccess access = new SecretAccess() {
            @Override
            public Optional<byte[]> read(String mesh, String name) {
                return Optional.ofNullable(secrets.get(name));
            }

            @Override
            public boolean createIfAbsent(String mesh, String name, byte[] data) {
                return secrets.putIfAbsent(name, data) == null;
            }
        };
        new BuiltinCaPlugin().ensure(new CaBackendContext("bench", "ca-1", "builtin",
                JsonNodeFactory.instance.objectNode(), access));
        byte[] cert = secrets.get(BuiltinCaPlugin.certSecretName("bench", "ca-1"));
        byte[] key = secrets.get(BuiltinCaPlugin.keySecretName("bench", "ca-1"));
        DataplaneCertificateIssuer issuer = new DataplaneCertificateIssuer(Clock.systemUTC(), new SecureRandom());
        Map<String, Set<String>> tags = Map.of("kuma.io/service", Set.of("web"), "version", Set.of("v1"));
        System.out.printf("machine: %d cores, JDK %s; root CA: RSA 2048 (builtin default)%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.println("key type   | certificates/s | 1,000 proxies (s)");
        for (DataplaneCertificateIssuer.KeyType type : DataplaneCertificateIssuer.KeyType.values()) {
            int n = type == DataplaneCertificateIssuer.KeyType.ECDSA_P256 ? ecdsa : rsa;
            for (int i = 0; i < n / 4; i++) {
                issuer.issue(cert, key, "bench", tags, Duration.ofHours(24), type);
            }
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                issuer.issue(cert, key, "bench", tags, Duration.ofHours(24), type);
            }
            double perSecond = n / ((System.nanoTime() - start) / 1e9);
            System.out.printf("%-10s | %14.0f | %17.1f%n", type, perSecond, 1000 / perSecond);
        }
    }
}
