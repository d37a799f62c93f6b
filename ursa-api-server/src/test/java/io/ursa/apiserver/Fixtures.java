package io.ursa.apiserver;

/** Resources used across the API tests, as users write them (Kuma 2.0 Universal YAML). */
final class Fixtures {
    /** A mesh that asks for no default policies, so tests see only what they create. */
    static final String MESH_DEMO = """
            type: Mesh
            name: demo
            skipCreatingInitialPolicies: ["*"]
            networking:
              outbound:
                passthrough: false
            """;

    static final String MESH_OTHER = """
            type: Mesh
            name: other
            skipCreatingInitialPolicies: ["*"]
            """;

    /** Sources and destinations selecting every service, as YAML lines without indentation. */
    static final String SELECT_ALL = """
            sources:
            - match:
                kuma.io/service: '*'
            destinations:
            - match:
                kuma.io/service: '*'
            """;

    /** A mesh without default policies. */
    static String mesh(String name) {
        return "type: Mesh\nname: " + name + "\nskipCreatingInitialPolicies: ['*']\n";
    }

    static String trafficRoute(String mesh, String name) {
        return "type: TrafficRoute\nmesh: " + mesh + "\nname: " + name + "\n" + SELECT_ALL + """
                conf:
                  destination:
                    kuma.io/service: '*'
                """;
    }

    static String trafficPermission(String mesh, String name) {
        return "type: TrafficPermission\nmesh: " + mesh + "\nname: " + name + "\n" + SELECT_ALL;
    }

    static String secret(String mesh, String name) {
        return "type: Secret\nmesh: " + mesh + "\nname: " + name + "\ndata: c2VjcmV0\n";
    }

    static String trafficLog(String mesh, String name) {
        return "type: TrafficLog\nmesh: " + mesh + "\nname: " + name + "\n" + SELECT_ALL;
    }

    static String trafficLogJson(String mesh, String name) {
        return """
                {"type":"TrafficLog","mesh":"%s","name":"%s",
                 "sources":[{"match":{"kuma.io/service":"*"}}],
                 "destinations":[{"match":{"kuma.io/service":"*"}}]}
                """.formatted(mesh, name);
    }

    static final String DATAPLANES = """
            type: Dataplane
            mesh: demo
            name: backend-1
            networking:
              address: 192.168.0.1
              inbound:
              - port: 10000
                servicePort: 10001
                tags:
                  kuma.io/service: backend
                  version: v1
            ---
            type: Dataplane
            mesh: demo
            name: backend-2
            networking:
              address: 192.168.0.2
              inbound:
              - port: 10000
                servicePort: 10001
                tags:
                  kuma.io/service: backend
                  version: v2
            ---
            type: Dataplane
            mesh: demo
            name: edge
            networking:
              address: 192.168.0.3
              gateway:
                tags:
                  kuma.io/service: edge
            ---
            type: Dataplane
            mesh: demo
            name: web-1
            networking:
              address: 192.168.0.4
              inbound:
              - port: 8080
                tags:
                  kuma.io/service: web
                  kuma.io/protocol: http
            """;

    static final String EXTERNAL_SERVICE = """
            type: ExternalService
            mesh: demo
            name: httpbin
            networking:
              address: httpbin.org:443
              tls:
                enabled: true
            tags:
              kuma.io/service: httpbin
              kuma.io/protocol: http
            """;

    private Fixtures() {
    }
}
