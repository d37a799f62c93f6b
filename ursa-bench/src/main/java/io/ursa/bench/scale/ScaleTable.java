package io.ursa.bench.scale;

import java.util.List;
import java.util.Locale;

/**
 * The table a scale run prints: one row per control plane (and store and protocol), then Ursa's figures over the
 * baseline's of the same protocol, and Ursa over delta against the baseline over state of the world.
 */
final class ScaleTable {
    private ScaleTable() {
    }

    static String render(ScaleScenario scenario, List<ScaleRun> runs) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s; ACK latencies of the %d proxies the change reaches (of %d in"
                + " mesh %s)%n", scenario, scenario.affectedProxies(), scenario.proxiesInChangedMesh(),
                ScaleScenario.mesh(0)));
        out.append("| control plane | first config, all proxies (s) | change ACKed p50 (ms) | p99 (ms) | max (ms) "
                + "| CPU s per change | MB allocated per change | proxies sent to per change | KB sent per change "
                + "| heap after GC per proxy (KB) | xDS KB per proxy, first config |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (ScaleRun run : runs) {
            out.append(String.format(Locale.ROOT,
                    "| %s | %.2f | %.1f | %.1f | %.1f | %.3f | %.1f | %.0f | %.1f | %.1f%s | %.1f |%n",
                    run.controlPlane(), run.firstConfigSeconds(), run.percentile(0.5), run.percentile(0.99),
                    run.percentile(1.0), run.cpuSecondsPerChange(), run.allocatedPerChange() / 1e6,
                    run.proxiesSentPerChange(), run.changeBytes() / 1024, run.heapBytesPerProxy() / 1024,
                    run.heapBytesIdle() == 0 ? " (total)" : "", run.firstConfigBytes() / 1024));
        }
        List<ScaleRun> baselines = runs.stream().filter(r -> r.controlPlane().startsWith(ScaleBench.BASELINE))
                .toList();
        List<ScaleRun> ursas = runs.stream().filter(r -> r.controlPlane().startsWith(ScaleBench.URSA)).toList();
        for (ScaleRun ursa : ursas) {
            for (ScaleRun baseline : baselines) {
                // each protocol against itself, and delta against the state-of-the-world baseline it must beat
                if (ursa.protocol() == baseline.protocol()
                        || (ursa.protocol() == XdsProtocol.DELTA && baseline.protocol() == XdsProtocol.SOTW)) {
                    out.append(ratio(ursa.controlPlane() + " / "
                            + baseline.controlPlane().replace(ScaleBench.BASELINE, "baseline"), ursa, baseline));
                }
            }
        }
        ScaleRun embedded = find(runs, ScaleBench.URSA + " (embedded)");
        ScaleRun postgres = find(runs, ScaleBench.URSA + " (postgres)");
        if (embedded != null && postgres != null) {
            out.append(ratio("postgres / embedded", postgres, embedded));
        }
        for (ScaleRun run : runs) {
            if (run.unexpectedUpdates() > 0) {
                out.append(run.controlPlane()).append(": ").append(run.unexpectedUpdates())
                        .append(" proxies the change does not reach got a new version during a change\n");
            }
        }
        return out.toString();
    }

    private static String ratio(String label, ScaleRun a, ScaleRun b) {
        return String.format(Locale.ROOT,
                "| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n", label,
                a.firstConfigSeconds() / b.firstConfigSeconds(), a.percentile(0.5) / b.percentile(0.5),
                a.percentile(0.99) / b.percentile(0.99), a.percentile(1.0) / b.percentile(1.0),
                a.cpuSecondsPerChange() / b.cpuSecondsPerChange(), a.allocatedPerChange() / b.allocatedPerChange(),
                a.proxiesSentPerChange() / b.proxiesSentPerChange(), a.changeBytes() / b.changeBytes(),
                a.heapBytesPerProxy() / b.heapBytesPerProxy(), a.firstConfigBytes() / b.firstConfigBytes());
    }

    /** Whether both control planes served every proxy the same first configuration (same content versions). */
    static String sameConfiguration(ScaleRun a, ScaleRun b) {
        int same = identicalProxies(a, b);
        return String.format(Locale.ROOT, "first configurations identical in both runs (same content versions of "
                + "every type): %d of %d proxies", same, a.versions().size());
    }

    static int identicalProxies(ScaleRun a, ScaleRun b) {
        int same = 0;
        for (int p = 0; p < Math.min(a.versions().size(), b.versions().size()); p++) {
            same += a.versions().get(p).equals(b.versions().get(p)) ? 1 : 0;
        }
        return same;
    }

    private static ScaleRun find(List<ScaleRun> runs, String name) {
        return runs.stream().filter(r -> r.controlPlane().equals(name)).findFirst().orElse(null);
    }
}
