package io.ursa.ctl;

/** Small text helpers shared by the commands' messages. */
final class Texts {
    private Texts() {
    }

    /** Quotes like Go's {@code %q} does for the names kumactl prints: {@code "name"}. */
    static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** {@code Mesh "demo"} or {@code TrafficRoute "route-1" in mesh "default"}. */
    static String describe(String type, String mesh, String name) {
        String text = type + " " + quote(name);
        return mesh.isEmpty() ? text : text + " in mesh " + quote(mesh);
    }

    /** {@code "-"} for an empty cell, as kumactl prints unknown values. */
    static String orDash(String value) {
        return value.isEmpty() ? "-" : value;
    }
}
