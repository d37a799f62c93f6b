package io.ursa.bench.scale;

import java.util.List;
import java.util.Map;

/**
 * What one control plane did in a scale run.
 *
 * @param controlPlane        "ursa" or "bare java-control-plane", with the store and protocol when a run has several
 * @param firstConfigSeconds  from opening every stream until the last proxy held a whole configuration
 * @param rounds              per measured change, the latencies (ms, sorted) from the write until each proxy of
 *                            the changed mesh had ACKed it
 * @param cpuSecondsPerChange the control plane's CPU seconds per round, averaged over the measured rounds
 * @param allocatedPerChange  bytes the control plane allocated per round (mean)
 * @param heapBytesIdle       heap after GC before any proxy connected
 * @param heapBytesConnected  heap after GC with every proxy connected and configured
 * @param firstConfigBytes    response bytes per proxy until its first whole configuration (mean)
 * @param changeBytes         response bytes sent to all proxies per round (mean)
 * @param proxiesSentPerChange proxies that received any response per round (mean)
 * @param unexpectedUpdates   proxies the change does not reach that got a new version during a round (must be 0)
 * @param versions            per proxy, the versions it ACKed after its first configuration
 * @param protocol            the xDS variant the sidecars spoke
 */
record ScaleRun(String controlPlane, double firstConfigSeconds, List<double[]> rounds, double cpuSecondsPerChange,
                double allocatedPerChange, long heapBytesIdle, long heapBytesConnected, double firstConfigBytes,
                double changeBytes, double proxiesSentPerChange, int unexpectedUpdates,
                List<Map<SimulatedEnvoy.XdsType, String>> versions, XdsProtocol protocol) {

    /** The latencies of all measured changes, pooled and sorted. */
    double[] measuredLatencies() {
        return rounds.stream().flatMapToDouble(java.util.Arrays::stream).sorted().toArray();
    }

    double percentile(double fraction) {
        double[] all = measuredLatencies();
        return all.length == 0 ? Double.NaN : all[Math.max(0, (int) Math.ceil(all.length * fraction) - 1)];
    }

    /** Heap after GC per connected proxy, in bytes: what connecting them added. */
    double heapBytesPerProxy() {
        return (double) (heapBytesConnected - heapBytesIdle) / versions.size();
    }
}
