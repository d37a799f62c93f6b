package io.ursa.api.spec;

/** Well-known tag names. */
public final class Tags {
    public static final String SERVICE = "kuma.io/service";
    public static final String PROTOCOL = "kuma.io/protocol";
    public static final String ZONE = "kuma.io/zone";

    private Tags() {
    }
}
