package io.ursa.ctl;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The contents of {@code ~/.ursactl/config}, in kumactl's layout: control planes, contexts that point at them,
 * and the current context. Immutable; every change returns a new value. Keys are written in alphabetical order,
 * like kumactl writes them.
 */
@JsonPropertyOrder(alphabetic = true)
record CtlConfig(List<Context> contexts, List<ControlPlane> controlPlanes, String currentContext) {
    static final String DEFAULT_NAME = "local";
    static final String DEFAULT_URL = "http://localhost:5681";

    CtlConfig {
        contexts = List.copyOf(requireNonNullElse(contexts, List.of()));
        controlPlanes = List.copyOf(requireNonNullElse(controlPlanes, List.of()));
        currentContext = requireNonNullElse(currentContext, "");
    }

    /** What ursactl uses before any control plane was added: {@code local} at {@value #DEFAULT_URL}. */
    static CtlConfig defaults() {
        return new CtlConfig(List.of(new Context(DEFAULT_NAME, DEFAULT_NAME)),
                List.of(ControlPlane.of(DEFAULT_NAME, DEFAULT_URL, Map.of())), DEFAULT_NAME);
    }

    Optional<Context> context(String name) {
        return contexts.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    Optional<ControlPlane> controlPlane(String name) {
        return controlPlanes.stream().filter(cp -> cp.name().equals(name)).findFirst();
    }

    /** The control plane of the current context. */
    Optional<ControlPlane> currentControlPlane() {
        return context(currentContext).flatMap(c -> controlPlane(c.controlPlane()));
    }

    /**
     * Adds {@code cp} with a context of the same name and makes it current; empty when a control plane of that
     * name exists and {@code mode} does not allow replacing it.
     */
    Optional<CtlConfig> withControlPlane(ControlPlane cp, Overwrite mode) {
        if (controlPlane(cp.name()).isPresent() && mode != Overwrite.REPLACE) {
            return Optional.empty();
        }
        Context context = new Context(cp.name(), cp.name());
        return Optional.of(new CtlConfig(replaceOrAppend(contexts, context, Context::name),
                replaceOrAppend(controlPlanes, cp, ControlPlane::name), context.name()));
    }

    /**
     * Removes the control plane and its contexts; when the current context goes, the first remaining one becomes
     * current (kumactl's rule). Empty when there is no such control plane.
     */
    Optional<CtlConfig> withoutControlPlane(String name) {
        if (controlPlane(name).isEmpty()) {
            return Optional.empty();
        }
        List<Context> keptContexts = contexts.stream().filter(c -> !c.controlPlane().equals(name)).toList();
        boolean currentKept = keptContexts.stream().anyMatch(c -> c.name().equals(currentContext));
        String current = currentKept ? currentContext : keptContexts.isEmpty() ? "" : keptContexts.get(0).name();
        return Optional.of(new CtlConfig(keptContexts,
                controlPlanes.stream().filter(cp -> !cp.name().equals(name)).toList(), current));
    }

    /** Makes the context {@code name} current; empty when there is none. */
    Optional<CtlConfig> switchedTo(String name) {
        return context(name).map(c -> new CtlConfig(contexts, controlPlanes, c.name()));
    }

    /**
     * A copy safe to show: every {@code authConf} value and every {@code Authorization} header reads
     * {@value #REDACTED}, as {@code kubectl config view} hides tokens.
     */
    CtlConfig redacted() {
        return new CtlConfig(contexts, controlPlanes.stream().map(ControlPlane::redacted).toList(), currentContext);
    }

    static final String REDACTED = "REDACTED";

    private static <T> List<T> replaceOrAppend(List<T> list, T item, java.util.function.Function<T, String> key) {
        List<T> out = new ArrayList<>(list);
        for (int i = 0; i < out.size(); i++) {
            if (key.apply(out.get(i)).equals(key.apply(item))) {
                out.set(i, item);
                return out;
            }
        }
        out.add(item);
        return out;
    }

    /** Whether adding a control plane may replace one of the same name. */
    enum Overwrite {
        REPLACE,
        REFUSE
    }

    @JsonPropertyOrder(alphabetic = true)
    record Context(String name, String controlPlane) {
        Context {
            name = requireNonNullElse(name, "");
            controlPlane = requireNonNullElse(controlPlane, "");
        }
    }

    @JsonPropertyOrder(alphabetic = true)
    record ControlPlane(String name, Coordinates coordinates) {
        ControlPlane {
            name = requireNonNullElse(name, "");
            coordinates = requireNonNullElse(coordinates, new Coordinates(null));
        }

        static ControlPlane of(String name, String url, Map<String, String> headers) {
            return new ControlPlane(name, new Coordinates(ApiServer.of(url, headers)));
        }

        String url() {
            return apiServer().url();
        }

        ApiServer apiServer() {
            return coordinates.apiServer();
        }

        Map<String, String> headers() {
            return apiServer().headerMap();
        }

        ControlPlane redacted() {
            ApiServer a = apiServer();
            List<Header> headers = a.headers().stream().map(h -> h.key().equalsIgnoreCase("authorization")
                    ? new Header(h.key(), REDACTED) : h).toList();
            Map<String, String> authConf = new TreeMap<>();
            a.authConf().keySet().forEach(key -> authConf.put(key, REDACTED));
            return new ControlPlane(name, new Coordinates(new ApiServer(a.url(), headers, a.caCertFile(),
                    a.clientCertFile(), a.clientKeyFile(), a.authType(), authConf, a.skipVerify())));
        }
    }

    record Coordinates(ApiServer apiServer) {
        Coordinates {
            apiServer = requireNonNullElse(apiServer, new ApiServer(null, null, null, null, null, null, null, false));
        }
    }

    /**
     * kumactl's {@code ControlPlaneCoordinates.ApiServer}, field for field: the URL, extra headers, the CA that
     * signs the server's certificate ({@code caCertFile}, a reference to a PEM file, not its contents),
     * {@code skipVerify} (no certificate check at all), and the authentication plugin ({@code authType: tokens}
     * with {@code authConf: {token: <user token>}}). {@code clientCertFile} and {@code clientKeyFile} are kept so a
     * kumactl file reads and writes back unchanged, but ursactl does not present client certificates.
     */
    @JsonPropertyOrder(alphabetic = true)
    record ApiServer(String url, List<Header> headers, String caCertFile, String clientCertFile,
                     String clientKeyFile, String authType, Map<String, String> authConf, boolean skipVerify) {
        static final String TOKENS = "tokens";
        static final String TOKEN_KEY = "token";

        ApiServer {
            url = requireNonNullElse(url, "");
            headers = List.copyOf(requireNonNullElse(headers, List.of()));
            caCertFile = requireNonNullElse(caCertFile, "");
            clientCertFile = requireNonNullElse(clientCertFile, "");
            clientKeyFile = requireNonNullElse(clientKeyFile, "");
            authType = requireNonNullElse(authType, "");
            authConf = Map.copyOf(requireNonNullElse(authConf, Map.of()));
        }

        /** A plain server at {@code url}: the JVM's trust store for https, no token. */
        static ApiServer of(String url, Map<String, String> headers) {
            List<Header> list = new TreeMap<>(headers).entrySet().stream()
                    .map(e -> new Header(e.getKey(), e.getValue())).toList();
            return new ApiServer(url, list, null, null, null, null, null, false);
        }

        /** The headers by name, sorted. */
        Map<String, String> headerMap() {
            Map<String, String> out = new TreeMap<>();
            headers.forEach(h -> out.put(h.key(), h.value()));
            return out;
        }

        /** The user token sent as {@code Authorization: Bearer}, when {@code authType} is {@value #TOKENS}. */
        Optional<String> token() {
            String token = authConf.getOrDefault(TOKEN_KEY, "");
            return authType.equals(TOKENS) && !token.isEmpty() ? Optional.of(token) : Optional.empty();
        }
    }
    @JsonPropertyOrder(alphabetic = true)
    record Header(String key, String value) {
        Header {
            key = requireNonNullElse(key, "");
            value = requireNonNullElse(value, "");
        }
    }
}
