package io.ursa.xds.generator;

import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultRateLimit;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.ursa.api.policy.FaultInjectionSpec;
import io.ursa.api.resource.Resource;
import io.ursa.xds.envoy.Configurer;
import io.ursa.xds.envoy.Protos;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * FaultInjection on an inbound's HTTP connection manager, as Kuma 2.0's {@code fault_injection_configurer.go}
 * (envoy-config §6.5): one {@code envoy.filters.http.fault} per matching policy, most specific first, each limited
 * by a header match on {@code x-kuma-tags} to the policy's sources ({@link KumaTagsMatch}). A fault given as
 * {@code {}} (no percentage and no value) is left out, as the validator counts it as not configured.
 *
 * <p>Where Ursa differs from Kuma: a percentage with a fraction. Kuma multiplies it by 10,000 (or 1,000,000)
 * instead of 100 (or 10,000), so 12.5 becomes 125000/10000, which Envoy caps at 100 %: every request gets the
 * fault. Ursa writes what the policy says (12.5 → 1250/10000).
 */
final class FaultInjectionConfigurers {
    static final String FAULT_FILTER = "envoy.filters.http.fault";
    /** Kuma's bandwidth syntax, found anywhere in the value as its validator does: a count and a unit. */
    private static final Pattern BANDWIDTH = Pattern.compile("(\\d*)\\s?([gmk])bps");

    private FaultInjectionConfigurers() {
    }

    /**
     * Appends one fault filter per policy of {@code faults}, in the order given, for {@code side}:
     * <ul>
     *   <li>{@link Side#INBOUND}, an Envoy sidecar's inbound: delay, abort and response bandwidth, limited to the
     *       policy's sources by {@code x-kuma-tags};</li>
     *   <li>{@link Side#GRPC_CLIENT}, a proxyless gRPC client's route to the destination, for the policies whose
     *       sources select the client and whose destinations select the service: grpc-xds injects faults on the
     *       client side (gRFC A33) and supports delays and aborts only; it ignores {@code headers}, so the sources
     *       are matched by the caller instead. An HTTP abort status becomes the gRPC status A33 maps it to.</li>
     * </ul>
     */
    static Configurer<HttpConnectionManager.Builder> faults(List<Resource<FaultInjectionSpec>> faults, Side side) {
        List<HttpFilter> filters = faults.stream().map(f -> filter(f, side)).flatMap(Optional::stream).toList();
        return hcm -> filters.forEach(hcm::addHttpFilters);
    }

    /** Where the fault filter runs. */
    enum Side { INBOUND, GRPC_CLIENT }

    private static Optional<HttpFilter> filter(Resource<FaultInjectionSpec> policy, Side side) {
        FaultInjectionSpec.Conf conf = policy.spec().conf();
        if (conf == null) {
            return Optional.empty();
        }
        HTTPFault.Builder fault = HTTPFault.newBuilder();
        FaultInjectionSpec.Delay delay = conf.delay();
        if (delay != null && delay.value() != null) {
            fault.setDelay(FaultDelay.newBuilder()
                    .setFixedDelay(Protos.duration(delay.value().value()))
                    .setPercentage(percent(delay.percentage())));
        }
        FaultInjectionSpec.Abort abort = conf.abort();
        if (abort != null && abort.httpStatus() != null) {
            fault.setAbort(FaultAbort.newBuilder()
                    .setHttpStatus(abort.httpStatus())
                    .setPercentage(percent(abort.percentage())));
        }
        FaultInjectionSpec.ResponseBandwidth bandwidth = conf.responseBandwidth();
        if (side == Side.INBOUND && bandwidth != null && bandwidth.limit() != null) {
            long kbps = kbps(bandwidth.limit());
            if (kbps >= 1) {
                fault.setResponseRateLimit(FaultRateLimit.newBuilder()
                        .setFixedLimit(FaultRateLimit.FixedLimit.newBuilder().setLimitKbps(kbps))
                        .setPercentage(percent(bandwidth.percentage())));
            }
        }
        if (!fault.hasDelay() && !fault.hasAbort() && !fault.hasResponseRateLimit()) {
            return Optional.empty();
        }
        if (side == Side.INBOUND) {
            fault.addHeaders(KumaTagsMatch.header(policy.spec().sources()));
        }
        return Optional.of(HttpFilter.newBuilder().setName(FAULT_FILTER).setTypedConfig(Protos.pack(fault.build()))
                .build());
    }

    /**
     * A percentage in [0, 100] as the coarsest exact fraction: whole → per hundred, up to two decimals → per ten
     * thousand, else per million (rounded).
     */
    static FractionalPercent percent(Double percentage) {
        BigDecimal value = percentage == null ? BigDecimal.ZERO : BigDecimal.valueOf(percentage);
        if (value.stripTrailingZeros().scale() <= 0) {
            return FractionalPercent.newBuilder().setNumerator(value.intValue()).build();
        }
        BigDecimal perTenThousand = value.movePointRight(2);
        if (perTenThousand.stripTrailingZeros().scale() <= 0) {
            return FractionalPercent.newBuilder().setNumerator(perTenThousand.intValue())
                    .setDenominator(FractionalPercent.DenominatorType.TEN_THOUSAND).build();
        }
        return FractionalPercent.newBuilder()
                .setNumerator(value.movePointRight(4).setScale(0, java.math.RoundingMode.HALF_UP).intValue())
                .setDenominator(FractionalPercent.DenominatorType.MILLION).build();
    }

    /** {@code 50kbps} → 50, {@code 1mbps} → 1000, {@code 1gbps} → 1,000,000; 0 when there is no count. */
    static long kbps(String limit) {
        Matcher m = BANDWIDTH.matcher(limit);
        if (!m.find() || m.group(1).isEmpty()) {
            return 0;
        }
        long count;
        try {
            count = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return 0;
        }
        long factor = switch (m.group(2)) {
            case "g" -> 1_000_000L;
            case "m" -> 1_000L;
            default -> 1L;
        };
        try {
            return Math.multiplyExact(count, factor);
        } catch (ArithmeticException e) {
            return 0; // beyond any link: no limit
        }
    }
}
