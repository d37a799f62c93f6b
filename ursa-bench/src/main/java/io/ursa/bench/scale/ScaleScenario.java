package io.ursa.bench.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The shape of a scale run, shared by the harness, the simulated proxies and the baseline server so that both
 * control planes serve exactly the same mesh: {@code proxies} Dataplanes in {@code meshes} meshes, instances of
 * {@code services} HTTP services, each proxy reaching {@code outbounds} other services of its mesh.
 *
 * <p>Service {@code s} ({@code svc-0000} ...) lives in mesh {@code s % meshes}; proxy {@code p} ({@code dp-00000}
 * ...) is an instance of service {@code p % services}, so every service has about {@code proxies / services}
 * instances. A proxy's outbounds are the next {@code outbounds} services of its mesh, each on port
 * {@code 20000 + s} of 127.0.0.1, so the same service has the same outbound listener in every proxy (as a
 * transparent proxy's VIP would).
 *
 * <p>The change is applied to mesh 0 only and alternates between two states: rounds 1, 3, ... write
 * {@link #changedJson()} and rounds 2, 4, ... restore the original (the policy as it was, or no extra instance), so
 * the baseline can precompute both configurations of every proxy. The proxies it reaches ({@link #affected}) must
 * ACK it; every other proxy, of mesh 0 or another mesh, must receive nothing new.
 *
 * @param change what a round edits
 */
record ScaleScenario(int proxies, int services, int meshes, int outbounds, Change change) {
    /** The Envoy admin port each simulated proxy reports (as ursa-dp's bootstrap does). */
    static final int ADMIN_PORT = 9901;
    static final int INBOUND_PORT = 8080;
    static final int FIRST_OUTBOUND_PORT = 20000;

    /** The service the narrow changes are about: {@code svc-0000}, in mesh 0. */
    static final int TARGET_SERVICE = 0;
    /** The Dataplane an endpoint change adds and removes: one more instance of the target service. */
    static final String EXTRA_INSTANCE = "dp-extra";

    /** What a round edits: the whole mesh (every proxy of mesh 0), or one service (only the proxies reaching it). */
    enum Change {
        /** The mesh's default Timeout: every outbound cluster's connect timeout and every route's timeout. */
        TIMEOUT("timeout"),
        /** The mesh's default TrafficRoute: every outbound cluster's load balancer. */
        TRAFFIC_ROUTE("traffic-route"),
        /**
         * The target service gains an instance (a Dataplane is created) and, on the next round, loses it again:
         * only the endpoints of the proxies that reach it change (a deploy, autoscaling).
         */
        ENDPOINTS("endpoints"),
        /**
         * A Timeout for the target service only ({@code destinations: kuma.io/service: svc-0000}), created before
         * the run, alternates its values: only the callers of that service change, their cluster and route for it.
         */
        ONE_SERVICE("one-service");

        private final String flag;

        Change(String flag) {
            this.flag = flag;
        }

        String flag() {
            return flag;
        }

        static Change ofFlag(String flag) {
            for (Change change : values()) {
                if (change.flag.equals(flag)) {
                    return change;
                }
            }
            throw new IllegalArgumentException("invalid --change: " + flag
                    + " (expected: timeout, traffic-route, endpoints or one-service)");
        }
    }

    ScaleScenario {
        if (proxies < 1 || proxies > 250 * 250 * 16) {
            throw new IllegalArgumentException("invalid --proxies: " + proxies + " (expected: 1-1000000)");
        }
        if (meshes < 1 || meshes > proxies) {
            throw new IllegalArgumentException("invalid --meshes: " + meshes + " (expected: 1 to --proxies)");
        }
        if (services < meshes || services > 40_000) {
            throw new IllegalArgumentException("invalid --services: " + services
                    + " (expected: at least --meshes, at most 40000)");
        }
        if (outbounds < 0 || outbounds >= services / meshes) {
            throw new IllegalArgumentException("invalid --outbounds: " + outbounds + " (expected: 0 to "
                    + (services / meshes - 1) + ", fewer than the services of one mesh)");
        }
        if (change == null) {
            throw new IllegalArgumentException("missing change");
        }
    }

    static String mesh(int index) {
        return "scale-" + index;
    }

    static String service(int index) {
        return String.format(Locale.ROOT, "svc-%04d", index);
    }

    static String proxyName(int index) {
        return String.format(Locale.ROOT, "dp-%05d", index);
    }

    int serviceOf(int proxy) {
        return proxy % services;
    }

    int meshOf(int proxy) {
        return serviceOf(proxy) % meshes;
    }

    /** The node id the proxy connects with: {@code <mesh>.<name>}. */
    String nodeId(int proxy) {
        return mesh(meshOf(proxy)) + "." + proxyName(proxy);
    }

    /** The services proxy {@code p} has an outbound to: the next {@link #outbounds()} of its mesh. */
    List<Integer> reachable(int proxy) {
        List<Integer> result = new ArrayList<>(outbounds);
        int own = serviceOf(proxy);
        for (int j = 1; j <= outbounds; j++) {
            result.add((own + j * meshes) % (services - services % meshes));
        }
        return result;
    }

    /** The proxy's Dataplane in Universal JSON, as its bootstrap carries it. */
    String dataplaneJson(int proxy) {
        int service = serviceOf(proxy);
        StringBuilder json = new StringBuilder(512);
        json.append("{\"type\":\"Dataplane\",\"mesh\":\"").append(mesh(meshOf(proxy)))
                .append("\",\"name\":\"").append(proxyName(proxy))
                .append("\",\"networking\":{\"address\":\"").append(address(proxy))
                .append("\",\"inbound\":[{\"port\":").append(INBOUND_PORT)
                .append(",\"servicePort\":8081,\"tags\":{\"kuma.io/service\":\"").append(service(service))
                .append("\",\"kuma.io/protocol\":\"http\",\"version\":\"v").append(proxy / services % 3)
                .append("\",\"team\":\"team-").append(service % 7).append("\"}}]");
        List<Integer> reachable = reachable(proxy);
        if (!reachable.isEmpty()) {
            json.append(",\"outbound\":[");
            for (int j = 0; j < reachable.size(); j++) {
                json.append(j == 0 ? "" : ",").append("{\"port\":").append(FIRST_OUTBOUND_PORT + reachable.get(j))
                        .append(",\"tags\":{\"kuma.io/service\":\"").append(service(reachable.get(j))).append("\"}}");
            }
            json.append(']');
        }
        return json.append("}}").toString();
    }

    /** {@code 10.<p / 62500 + 1>.<p / 250 % 250>.<p % 250 + 1>}: unique for up to a million proxies. */
    static String address(int proxy) {
        return "10." + (proxy / 62_500 + 1) + "." + (proxy / 250 % 250) + "." + (proxy % 250 + 1);
    }

    /** Whether the change reaches proxy {@code p}: it must ACK it, and nothing may reach any other proxy. */
    boolean affected(int proxy) {
        if (meshOf(proxy) != 0) {
            return false;
        }
        return switch (change) {
            case TIMEOUT, TRAFFIC_ROUTE -> true;
            case ENDPOINTS, ONE_SERVICE -> reachable(proxy).contains(TARGET_SERVICE);
        };
    }

    /** How many proxies the change reaches. */
    int affectedProxies() {
        int count = 0;
        for (int p = 0; p < proxies; p++) {
            if (affected(p)) {
                count++;
            }
        }
        return count;
    }

    /** Resources written once, after the meshes and before any proxy connects, in Universal JSON. */
    List<String> setupJson() {
        return change == Change.ONE_SERVICE ? List.of(oneServiceTimeout("5s", "15s")) : List.of();
    }

    /**
     * The changed state a change round writes, in Universal JSON (even rounds restore the original): the policy,
     * or the extra instance of the target service.
     */
    String changedJson() {
        String mesh = mesh(0);
        return switch (change) {
            case ENDPOINTS -> "{\"type\":\"Dataplane\",\"mesh\":\"" + mesh + "\",\"name\":\"" + EXTRA_INSTANCE
                    + "\",\"networking\":{\"address\":\"10.0.0.1\",\"inbound\":[{\"port\":" + INBOUND_PORT
                    + ",\"servicePort\":8081,\"tags\":{\"kuma.io/service\":\"" + service(TARGET_SERVICE)
                    + "\",\"kuma.io/protocol\":\"http\",\"version\":\"v0\",\"team\":\"team-0\"}}]}}";
            case ONE_SERVICE -> oneServiceTimeout("7s", "30s");
            case TIMEOUT -> "{\"type\":\"Timeout\",\"mesh\":\"" + mesh + "\",\"name\":\"timeout-all-" + mesh
                    + "\",\"sources\":[{\"match\":{\"kuma.io/service\":\"*\"}}],\"destinations\":[{\"match\":"
                    + "{\"kuma.io/service\":\"*\"}}],\"conf\":{\"connectTimeout\":\"7s\",\"tcp\":{\"idleTimeout\":"
                    + "\"3600s\"},\"http\":{\"requestTimeout\":\"30s\",\"idleTimeout\":\"3600s\"}}}";
            case TRAFFIC_ROUTE -> "{\"type\":\"TrafficRoute\",\"mesh\":\"" + mesh + "\",\"name\":\"route-all-" + mesh
                    + "\",\"sources\":[{\"match\":{\"kuma.io/service\":\"*\"}}],\"destinations\":[{\"match\":"
                    + "{\"kuma.io/service\":\"*\"}}],\"conf\":{\"loadBalancer\":{\"leastRequest\":{}},"
                    + "\"destination\":{\"kuma.io/service\":\"*\"}}}";
        };
    }

    /** The Timeout of {@link #TARGET_SERVICE} only, for every caller. */
    private String oneServiceTimeout(String connectTimeout, String requestTimeout) {
        return "{\"type\":\"Timeout\",\"mesh\":\"" + mesh(0) + "\",\"name\":\"timeout-" + service(TARGET_SERVICE)
                + "\",\"sources\":[{\"match\":{\"kuma.io/service\":\"*\"}}],\"destinations\":[{\"match\":"
                + "{\"kuma.io/service\":\"" + service(TARGET_SERVICE) + "\"}}],\"conf\":{\"connectTimeout\":\""
                + connectTimeout + "\",\"tcp\":{\"idleTimeout\":\"3600s\"},\"http\":{\"requestTimeout\":\""
                + requestTimeout + "\",\"idleTimeout\":\"3600s\"}}}";
    }

    /** Whether the original state is restored by deleting what the changed state created. */
    boolean restoresByDelete() {
        return change == Change.ENDPOINTS;
    }

    /** The API path the change is written to. */
    String changePath() {
        String mesh = mesh(0);
        return switch (change) {
            case ENDPOINTS -> "/meshes/" + mesh + "/dataplanes/" + EXTRA_INSTANCE;
            case ONE_SERVICE -> "/meshes/" + mesh + "/timeouts/timeout-" + service(TARGET_SERVICE);
            case TIMEOUT -> "/meshes/" + mesh + "/timeouts/timeout-all-" + mesh;
            case TRAFFIC_ROUTE -> "/meshes/" + mesh + "/traffic-routes/route-all-" + mesh;
        };
    }

    /** How many proxies are in mesh 0 (those a change reaches). */
    int proxiesInChangedMesh() {
        int count = 0;
        for (int p = 0; p < proxies; p++) {
            if (meshOf(p) == 0) {
                count++;
            }
        }
        return count;
    }

    @Override
    public String toString() {
        return "proxies=" + proxies + " services=" + services + " meshes=" + meshes + " outbounds/proxy=" + outbounds
                + " change=" + change.flag;
    }
}
