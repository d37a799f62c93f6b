package io.ursa.core.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The name of the host this instance runs on, as {@code GET /} and {@code GET /control-planes} show it. */
public final class LocalHost {
    private LocalHost() {
    }

    /** {@code $HOSTNAME} when set (as in a container), else what the resolver says, else {@code localhost}. */
    public static String name() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
