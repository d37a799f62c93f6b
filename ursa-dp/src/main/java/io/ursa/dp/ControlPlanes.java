package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Every control-plane instance a proxy may use ({@code --cp-address}, repeated or comma-separated): the instances of a
 * highly available control plane share one store and serve every proxy alike, so any of them will do. They share one
 * scheme and one trust (one {@code --ca-cert-file}), which is why a list that mixes {@code http} and {@code https} is
 * refused.
 *
 * @param addresses the instances, in the order given, without duplicates; at least one
 */
record ControlPlanes(List<ControlPlaneAddress> addresses) {
    ControlPlanes {
        addresses = List.copyOf(requireNonNull(addresses, "addresses"));
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("invalid addresses: [] (expected: at least one control plane)");
        }
        boolean tls = addresses.get(0).isTls();
        for (ControlPlaneAddress address : addresses) {
            if (address.isTls() != tls) {
                throw new IllegalArgumentException("invalid addresses: " + addresses.get(0).url() + " and "
                        + address.url() + " (expected: one scheme for all)");
            }
        }
    }

    /** One instance. */
    static ControlPlanes of(ControlPlaneAddress address) {
        return new ControlPlanes(List.of(address));
    }

    /**
     * The URLs of {@code values} (each value one URL or several separated by commas): each checked as
     * {@link ControlPlaneAddress#parse} does, duplicates dropped, and all of one scheme. A bad entry is a
     * {@link DpException} that names it and {@code flag}.
     */
    static List<URI> parse(List<String> values, String flag) {
        Set<URI> urls = new LinkedHashSet<>();
        for (String value : values) {
            for (String entry : value.split(",", -1)) {
                String text = entry.strip();
                if (text.isEmpty()) {
                    throw new DpException("invalid " + flag + " \"" + value + "\": an empty entry (expected: URLs"
                            + " of the control plane's DP server separated by commas, e.g. https://cp-1:5678,"
                            + "https://cp-2:5678)");
                }
                urls.add(ControlPlaneAddress.parse(text, flag));
            }
        }
        if (urls.isEmpty()) {
            throw new DpException("invalid " + flag + ": none given (expected: the URL of the control plane's DP"
                    + " server, e.g. " + ControlPlaneAddress.DEFAULT + ")");
        }
        URI first = urls.iterator().next();
        for (URI url : urls) {
            if (!scheme(url).equals(scheme(first))) {
                throw new DpException("invalid " + flag + " \"" + url + "\": it is " + scheme(url) + " but \""
                        + first + "\" is " + scheme(first) + " (expected: one scheme for every control plane"
                        + " instance, as they share one trust)");
            }
        }
        return List.copyOf(urls);
    }

    ControlPlaneAddress first() {
        return addresses.get(0);
    }

    int size() {
        return addresses.size();
    }

    boolean isTls() {
        return first().isTls();
    }

    /** The trust every instance is verified with; empty for http. */
    Optional<ControlPlaneTrust> tls() {
        return first().tls();
    }

    /** {@code https://host:port} of each instance, in order. */
    List<String> origins() {
        List<String> origins = new ArrayList<>();
        addresses.forEach(address -> origins.add(address.origin()));
        return origins;
    }

    /** For logs: one address as {@link ControlPlaneAddress#describe}, several as a list and their shared trust. */
    String describe() {
        if (addresses.size() == 1) {
            return first().describe();
        }
        return String.join(", ", origins()) + first().tls().map(trust -> " (each verified against "
                + trust.source() + ")").orElse(" (plaintext)");
    }

    private static String scheme(URI url) {
        return url.getScheme().toLowerCase(Locale.ROOT);
    }
}
