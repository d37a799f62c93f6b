package io.ursa.ca;

import io.ursa.core.ca.CaPlugin;
import java.util.List;

/** The CA plugins Kuma ships: {@code builtin} and {@code provided}. */
public final class CaPlugins {
    private CaPlugins() {
    }

    /** New instances of every standard plugin, in a list the caller owns. */
    public static List<CaPlugin> standard() {
        return List.of(new BuiltinCaPlugin(), new ProvidedCaPlugin());
    }
}
