package io.ursa.xds.generator.template;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ursa.xds.context.ProxyContext;
import org.junit.jupiter.api.Test;

/**
 * A template that cannot be applied fails the generation with a {@link ProxyTemplateException} that names the
 * template and says what is wrong, rather than giving the proxy something else than was asked for.
 */
class ProxyTemplateErrorsTest {
    @Test
    void refusesAnUnknownFieldInAModificationValue() {
        assertFails("""
                  modifications:
                  - cluster: {operation: patch, value: 'connectTimeot: 1s'}
                """, "ProxyTemplate \"bad\" cannot be applied: modifications[0] (cluster patch): not a valid "
                + "envoy.config.cluster.v3.Cluster", "connectTimeot");
    }

    @Test
    void refusesAValueOfTheWrongType() {
        assertFails("""
                  modifications:
                  - listener: {operation: patch, value: 'perConnectionBufferLimitBytes: lots'}
                """, "modifications[0] (listener patch): not a valid envoy.config.listener.v3.Listener");
    }

    @Test
    void refusesAPatchOfAFiltersConfigWithAnotherType() {
        assertFails("""
                  modifications:
                  - httpFilter:
                      operation: patch
                      match: {name: envoy.filters.http.router}
                      value: |
                        name: envoy.filters.http.router
                        typedConfig: {'@type': type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault}
                """, "modifications[0] (httpFilter patch): the patch's typedConfig is a "
                + "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault (expected: "
                + "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router");
    }

    @Test
    void refusesAnUnknownTypeInARawResource() {
        assertFails("""
                  resources:
                  - name: x
                    version: v1
                    resource: "'@type': type.googleapis.com/envoy.config.cluster.v3.Clustr"
                """, "resources[0]{name=\"x\"}.resource: unknown type "
                + "type.googleapis.com/envoy.config.cluster.v3.Clustr");
    }

    @Test
    void refusesARawResourceWhoseNameIsNotItsOwn() {
        assertFails("""
                  resources:
                  - name: x
                    version: v1
                    resource: |
                      '@type': type.googleapis.com/envoy.config.cluster.v3.Cluster
                      name: y
                """, "resources[0]{name=\"x\"}: the resource is named \"y\" (expected: the same as name)");
    }

    @Test
    void refusesAPatchThatRenamesOntoAnotherResource() {
        assertFails("""
                  modifications:
                  - cluster: {operation: patch, match: {name: api}, value: 'name: localhost:8080'}
                """, "modifications[0] (cluster patch): the patch renames CLUSTER \"api\" to \"localhost:8080\"");
    }

    @Test
    void refusesAProfileUrsaDoesNotGenerateForADataplane() {
        assertFails("", "imports[0]: Ursa does not generate profile \"egress-proxy\" for a Dataplane "
                + "(expected: default-proxy or gateway-proxy)", "egress-proxy");
    }

    private static void assertFails(String conf, String... messageParts) {
        String imports = conf.isEmpty() ? "[egress-proxy]" : "[default-proxy]";
        ProxyContext proxy = ProxyTemplateTest.withTemplate("""
                type: ProxyTemplate
                mesh: default
                name: bad
                selectors: [{match: {kuma.io/service: web}}]
                conf:
                  imports: %s
                %s""".formatted(imports, conf));

        assertThatThrownBy(() -> ProxyTemplates.generate(proxy))
                .isInstanceOf(ProxyTemplateException.class)
                .hasMessageStartingWith("ProxyTemplate \"bad\" cannot be applied: ")
                .hasMessageContaining(messageParts[0])
                .hasMessageContaining(messageParts.length > 1 ? messageParts[1] : messageParts[0]);
    }
}
