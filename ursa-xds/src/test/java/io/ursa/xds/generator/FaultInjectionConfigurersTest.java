package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.envoyproxy.envoy.type.v3.FractionalPercent.DenominatorType;
import io.ursa.api.spec.Selector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Percentages as the fractions they mean, bandwidths in kbps, and the x-kuma-tags regular expressions. */
class FaultInjectionConfigurersTest {
    @Test
    void writesAPercentageAsTheCoarsestExactFraction() {
        assertThat(FaultInjectionConfigurers.percent(50.0)).isEqualTo(fraction(50, DenominatorType.HUNDRED));
        assertThat(FaultInjectionConfigurers.percent(100.0)).isEqualTo(fraction(100, DenominatorType.HUNDRED));
        assertThat(FaultInjectionConfigurers.percent(null)).isEqualTo(fraction(0, DenominatorType.HUNDRED));
        assertThat(FaultInjectionConfigurers.percent(12.5)).isEqualTo(fraction(1250, DenominatorType.TEN_THOUSAND));
        assertThat(FaultInjectionConfigurers.percent(0.01)).isEqualTo(fraction(1, DenominatorType.TEN_THOUSAND));
        assertThat(FaultInjectionConfigurers.percent(33.3333)).isEqualTo(fraction(333333, DenominatorType.MILLION));
        assertThat(FaultInjectionConfigurers.percent(0.00001)).isEqualTo(fraction(0, DenominatorType.MILLION));
    }

    @Test
    void convertsBandwidthsToKbpsAndLeavesOutOnesWithoutACount() {
        assertThat(FaultInjectionConfigurers.kbps("50kbps")).isEqualTo(50);
        assertThat(FaultInjectionConfigurers.kbps("2 mbps")).isEqualTo(2_000);
        assertThat(FaultInjectionConfigurers.kbps("1gbps")).isEqualTo(1_000_000);
        assertThat(FaultInjectionConfigurers.kbps("kbps")).isZero();
        assertThat(FaultInjectionConfigurers.kbps("99999999999999999999gbps")).isZero();
    }

    @Test
    void matchesCallersByTheirTagsAsKumaDoes() {
        assertThat(KumaTagsMatch.regex(List.of(Selector.of(Map.of("kuma.io/service", "*")))))
                .isEqualTo(".*&kuma.io/service=.*");
        assertThat(KumaTagsMatch.regex(List.of(Selector.of(Map.of("version", "1.0", "kuma.io/service", "web")))))
                .isEqualTo(".*&kuma.io/service=[^&]*web[,&].*&version=[^&]*1\\.0[,&].*");
        assertThat(KumaTagsMatch.regex(List.of(Selector.of(Map.of("kuma.io/service", "a")),
                Selector.of(Map.of("kuma.io/service", "b")))))
                .isEqualTo("(.*&kuma.io/service=[^&]*a[,&].*|.*&kuma.io/service=[^&]*b[,&].*)");
    }

    private static FractionalPercent fraction(int numerator, DenominatorType denominator) {
        return FractionalPercent.newBuilder().setNumerator(numerator).setDenominator(denominator).build();
    }
}
