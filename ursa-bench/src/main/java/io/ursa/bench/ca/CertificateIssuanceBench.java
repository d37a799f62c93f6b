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
 * keys, and what that means for 1,000 proxies when a mesh turns mTLS on. On one thread and on several sharing one
 * issuer (as the control plane's generation workers do), each after a warm-up of a quarter of the run.
 *
 * <p>{@code java -cp 'ursa-bench/target/ursa-bench.jar:ursa-bench/target/lib/*'
 * io.ursa.bench.ca.CertificateIssuanceBench [ecdsaCount=2000] [rsaCount=60] [threads=1,2]}
 */
public final class CertificateIssuanceBench {
    private CertificateIssuanceBench() {
    }

    public static void main(String[] args) throws Exception {
        int ecdsa = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rsa = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int[] threadCounts = java.util.Arrays.stream((args.length > 2 ? args[2] : "1,2").split(","))
                .mapToInt(Integer::parseInt).toArray();
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
        System.out.printf("machine: %d cores, JDK %s; root CA: RSA 2048 (builtin default); one issuer shared by the"
                        + " threads, as the control plane's generation workers share it%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.println("key type   | threads | certificates/s | 1,000 proxies (s)");
        for (DataplaneCertificateIssuer.KeyType type : DataplaneCertificateIssuer.KeyType.values()) {
            int n = type == DataplaneCertificateIssuer.KeyType.ECDSA_P256 ? ecdsa : rsa;
            for (int threads : threadCounts) {
                issue(issuer, cert, key, tags, type, n / 4, threads); // warm-up
                long start = System.nanoTime();
                issue(issuer, cert, key, tags, type, n, threads);
                double perSecond = n / ((System.nanoTime() - start) / 1e9);
                System.out.printf("%-10s | %7d | %14.0f | %17.1f%n", type, threads, perSecond, 1000 / perSecond);
            }
        }
    }

    /** Issues {@code n} certificates on {@code threads} threads, each taking the next from a shared count. */
    private static void issue(DataplaneCertificateIssuer issuer, byte[] cert, byte[] key, Map<String, Set<String>> tags,
                              DataplaneCertificateIssuer.KeyType type, int n, int threads) throws Exception {
        java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(n);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        issuer.issue(cert, key, "bench", tags, Duration.ofHours(24), type);
                    }
                }));
            }
            for (java.util.concurrent.Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
