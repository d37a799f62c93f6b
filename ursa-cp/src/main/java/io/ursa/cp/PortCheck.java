package io.ursa.cp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Refuses a port that another process holds before the control plane opens its store, so a second instance
 * started by mistake (or a port shared with something else) neither touches the store nor creates anything, and
 * says which setting to change. Binding for real later can still fail (the port may be taken in between); that
 * failure is reported too.
 */
final class PortCheck {
    private PortCheck() {
    }

    /** One port to check: what it is for, its variable, the interface and port (0: any, not checked). */
    record Port(String purpose, String variable, String iface, int port) {
    }

    /** @throws ControlPlane.StartupException naming the first busy port, its purpose and its variable */
    static void requireFree(Iterable<Port> ports) {
        for (Port p : ports) {
            if (p.port() == 0) {
                continue;
            }
            String host = p.iface() == null || p.iface().isEmpty() ? "0.0.0.0" : p.iface();
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(host, p.port()));
            } catch (IOException e) {
                throw new ControlPlane.StartupException("port " + p.port() + " (" + p.purpose() + ", " + p.variable()
                        + ") on " + host + " is in use: " + e.getMessage() + "; stop what holds it or set "
                        + p.variable() + " to another port. Nothing was opened or changed", e);
            }
        }
    }

    /** The ports of a configuration, in the order they are opened. */
    static Iterable<Port> of(io.ursa.cp.config.CpConfig config) {
        Map<String, Port> ports = new LinkedHashMap<>();
        ports.put("dp", new Port("DP server", "URSA_DP_SERVER_PORT", config.dpServer().iface(),
                config.dpServer().port()));
        if (config.apiServer().http().enabled()) {
            ports.put("http", new Port("REST API over HTTP", "URSA_API_SERVER_HTTP_PORT",
                    config.apiServer().http().iface(), config.apiServer().http().port()));
        }
        if (config.apiServer().https().enabled()) {
            ports.put("https", new Port("REST API over HTTPS", "URSA_API_SERVER_HTTPS_PORT",
                    config.apiServer().https().iface(), config.apiServer().https().port()));
        }
        ports.put("diagnostics", new Port("diagnostics", "URSA_DIAGNOSTICS_SERVER_PORT", "0.0.0.0",
                config.diagnostics().serverPort()));
        return ports.values();
    }
}
