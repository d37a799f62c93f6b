package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.ResourceTypes;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Everything a command takes from the world outside: its streams, the clock (resource ages, certificate dates),
 * the home directory (default configuration file), the type registry and the machine itself (for {@code install
 * transparent-proxy}). Tests pass their own.
 */
record CtlEnvironment(PrintWriter out, PrintWriter err, InputStream in, Clock clock, Path home, ResourceTypes types,
                      TransparentProxyHost host) {
    /** An environment on the real machine. */
    CtlEnvironment(PrintWriter out, PrintWriter err, InputStream in, Clock clock, Path home, ResourceTypes types) {
        this(out, err, in, clock, home, types, new SystemHost());
    }

    CtlEnvironment {
        requireNonNull(out, "out");
        requireNonNull(err, "err");
        requireNonNull(in, "in");
        requireNonNull(clock, "clock");
        requireNonNull(home, "home");
        requireNonNull(types, "types");
        requireNonNull(host, "host");
    }

    ResourceCodec codec() {
        return new ResourceCodec(types);
    }

    /** The configuration file used when {@code --config-file} is not given. */
    Path defaultConfigFile() {
        return home.resolve(".ursactl").resolve("config");
    }
}
