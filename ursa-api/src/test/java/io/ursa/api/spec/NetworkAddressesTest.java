package io.ursa.api.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.spec.NetworkAddresses.HostPort;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The address syntax Dataplane and ExternalService validation rely on, compared with Go's behaviour. */
class NetworkAddressesTest {
    @ParameterizedTest
    @ValueSource(strings = {"192.168.0.1", "0.0.0.0", "255.255.255.255", "::", "::1", "fd00:a123::1",
        "::ffff:10.0.0.1"})
    void parsesIpLiterals(String ip) {
        assertThat(NetworkAddresses.isIp(ip)).isTrue();
        assertThat(NetworkAddresses.isDnsName(ip)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "256.0.0.1", "01.2.3.4", "1.2.3", "1.2.3.4.5", "fe80::1%eth0", "[::1]", "1:::2",
        "localhost", "example.com"})
    void rejectsWhatGoRejects(String text) {
        assertThat(NetworkAddresses.isIp(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "example.com", "my_host.local", "a-b.c", "example.com.", "1.2.3.256"})
    void acceptsDnsNames(String name) {
        assertThat(NetworkAddresses.isDnsName(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-a.com", "a..b", "a b", "..?!..", "http://example.com"})
    void rejectsNonDnsNames(String name) {
        assertThat(NetworkAddresses.isDnsName(name)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"example.com:80,example.com,80", "[::1]:443,::1,443", ":80,'',80", "host:,host,''"})
    void splitsHostAndPort(String text, String host, String port) {
        assertThat(NetworkAddresses.splitHostPort(text)).contains(new HostPort(host, port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "fd00::1:80", "[::1]80", "[::1]:80]", "a[b:80", "http://x:80"})
    void refusesMalformedHostPorts(String text) {
        assertThat(NetworkAddresses.splitHostPort(text)).isEmpty();
    }
}
