package io.ursa.api.mesh;

import java.util.Map;
import java.util.Optional;

/**
 * The shape of each typed backend {@code conf} Kuma 2.0 knows, by backend record and {@code type}: the messages
 * of {@code metrics.proto}, {@code mesh.proto} (tracing and logging) and the CA plugins' configs
 * ({@code BuiltinCertificateAuthorityConfig}, {@code ProvidedCertificateAuthorityConfig}, with
 * {@code system.v1alpha1.DataSource}). A key outside its shape is ignored by the conf's reader, so the codec
 * reports it as an unknown field. Prometheus' {@code tls} (Kuma 2.1) is known: it is stored as written.
 * A backend of a type not listed here (refused by validation) has no shape, and nothing in its conf is reported.
 */
public final class BackendConfShapes {
    private static final ConfShape DATA_SOURCE = ConfShape.object("secret", "file", "inline", "inlineString");

    private static final Map<String, ConfShape> MTLS = Map.of(
            "builtin", ConfShape.object().with("caCert", ConfShape.object("RSAbits", "expiration")),
            "provided", ConfShape.object().with("cert", DATA_SOURCE).with("key", DATA_SOURCE));

    private static final Map<String, ConfShape> METRICS = Map.of(
            Metrics.PROMETHEUS, ConfShape.object("port", "path", "tags", "skipMTLS")
                    .with("aggregate", ConfShape.listOf(
                            ConfShape.object("name", "port", "path", "enabled", "address")))
                    .with("envoy", ConfShape.object("filterRegex", "usedOnly"))
                    .with("tls", ConfShape.object("mode")));

    private static final Map<String, ConfShape> TRACING = Map.of(
            Tracing.ZIPKIN, ConfShape.object("url", "traceId128bit", "apiVersion", "sharedSpanContext"),
            Tracing.DATADOG, ConfShape.object("address", "port", "splitService"));

    private static final Map<String, ConfShape> LOGGING = Map.of(
            Logging.FILE, ConfShape.object("path"),
            Logging.TCP, ConfShape.object("address"));

    private BackendConfShapes() {
    }

    /**
     * The shape of the {@code conf} of a backend read as {@code backendClass} (a Mesh's mTLS, metrics, tracing or
     * logging backend; a Dataplane's {@code metrics} is a metrics backend) whose {@code type} is {@code type};
     * empty for any other class or type.
     */
    public static Optional<ConfShape> of(Class<?> backendClass, String type) {
        Map<String, ConfShape> byType;
        if (backendClass == Mtls.Backend.class) {
            byType = MTLS;
        } else if (backendClass == Metrics.Backend.class) {
            byType = METRICS;
        } else if (backendClass == Tracing.Backend.class) {
            byType = TRACING;
        } else if (backendClass == Logging.Backend.class) {
            byType = LOGGING;
        } else {
            return Optional.empty();
        }
        return Optional.ofNullable(byType.get(type));
    }
}
