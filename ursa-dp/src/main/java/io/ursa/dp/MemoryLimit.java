package io.ursa.dp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The memory the proxy may use, sent as {@code resources.maxHeapSizeBytes} so the control plane can size Envoy's
 * overload manager: the cgroup limit (v2 {@code memory.max}, else v1 {@code memory.limit_in_bytes}), 0 when
 * there is none or it cannot be read.
 */
final class MemoryLimit {
    /** cgroup v1 writes "no limit" as a huge page-aligned number; anything this large means unlimited. */
    private static final long UNLIMITED = 1L << 62;

    private MemoryLimit() {
    }

    static long detect(Path cgroupRoot) {
        for (Path file : List.of(cgroupRoot.resolve("memory.max"),
                cgroupRoot.resolve("memory").resolve("memory.limit_in_bytes"))) {
            try {
                if (Files.isReadable(file)) {
                    long limit = Long.parseLong(Files.readString(file).strip());
                    return limit > 0 && limit < UNLIMITED ? limit : 0;
                }
            } catch (IOException | NumberFormatException e) {
                return 0; // "max" (v2 without a limit) or unreadable
            }
        }
        return 0;
    }
}
