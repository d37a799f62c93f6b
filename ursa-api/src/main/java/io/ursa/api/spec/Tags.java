package io.ursa.api.spec;

/** Well-known tag names. */
public final class Tags {
    public static final String SERVICE = "kuma.io/service";
    public static final String PROTOCOL = "kuma.io/protocol";
    public static final String ZONE = "kuma.io/zone";
    /** The name of the ExternalService a proxy or endpoint stands for. */
    public static final String EXTERNAL_SERVICE = "kuma.io/external-service-name";
    /** The mesh of a source or destination, in policies that span meshes (cross-mesh gateways). */
    public static final String MESH = "kuma.io/mesh";

    private Tags() {
    }
}
