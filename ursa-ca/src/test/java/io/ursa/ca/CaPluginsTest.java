package io.ursa.ca;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.core.ca.CaPlugin;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaPluginsTest {
    @Test
    void standardHasBuiltinAndProvided() {
        List<CaPlugin> plugins = CaPlugins.standard();

        assertThat(plugins).extracting(CaPlugin::type).containsExactly("builtin", "provided");
        assertThat(plugins.get(0)).isInstanceOf(BuiltinCaPlugin.class);
        assertThat(plugins.get(1)).isInstanceOf(ProvidedCaPlugin.class);
    }

    @Test
    void everyCallMakesNewInstances() {
        assertThat(CaPlugins.standard().get(0)).isNotSameAs(CaPlugins.standard().get(0));
    }
}
