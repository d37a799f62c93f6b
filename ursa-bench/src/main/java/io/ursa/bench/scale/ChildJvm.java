package io.ursa.bench.scale;

import com.sun.management.OperatingSystemMXBean;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A control plane under test in its own JVM (same classpath as the harness), so its heap and CPU are its own:
 * output goes to a log file, lines it prints can be waited for, and a local JMX connection reads its heap after
 * a full GC and its process CPU time.
 */
final class ChildJvm implements AutoCloseable {
    /** Ursa's control plane. */
    static final String URSA_CP = "io.ursa.cp.UrsaCp";
    /** The JVM flags {@code bin/ursa-cp} starts the control plane with ({@code URSA_JVM_DEFAULTS}). */
    static final List<String> URSA_CP_JVM_FLAGS = List.of("-XX:+UseStringDeduplication");

    private final Process process;
    private final Path log;
    private final PrintWriter stdin;
    private final Map<String, CompletableFuture<String>> awaited = new ConcurrentHashMap<>();
    private final int jmxPort;
    private JMXConnector jmx;
    private final Thread killer;

    private ChildJvm(Process process, Path log, int jmxPort) {
        this.process = process;
        // never leave a control plane behind, even when the harness is interrupted
        this.killer = new Thread(process::destroyForcibly, "stop-" + log.getFileName());
        Runtime.getRuntime().addShutdownHook(killer);
        this.log = log;
        this.jmxPort = jmxPort;
        this.stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(this::pump, "child-output-" + log.getFileName());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code mainClass} with {@code args}; {@code heap} is its {@code -Xmx}. Extra JVM flags come from the
     * system property {@code bench.cpJvmArgs} ({@code {run}} in them becomes {@code name}), e.g. a flight
     * recording.
     */
    static ChildJvm start(String name, String mainClass, List<String> args, Map<String, String> env, String heap,
                          Path dir) throws IOException {
        int jmxPort = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx" + heap, "-Xms" + heap, "-XX:+UseG1GC",
                "-Dcom.sun.management.jmxremote.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false",
                "-Dcom.sun.management.jmxremote.local.only=true", "-Djava.rmi.server.hostname=127.0.0.1"));
        if (mainClass.equals(URSA_CP)) {
            command.addAll(URSA_CP_JVM_FLAGS);
        }
        String extra = System.getProperty("bench.cpJvmArgs", "").trim().replace("{run}", name);
        if (!extra.isEmpty()) {
            command.addAll(Arrays.asList(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Path log = dir.resolve(name + ".log");
        return new ChildJvm(builder.start(), log, jmxPort);
    }

    private void pump() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); var out = Files.newBufferedWriter(log)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                out.write(line);
                out.newLine();
                out.flush();
                String printed = line;
                awaited.entrySet().removeIf(e -> printed.startsWith(e.getKey()) && e.getValue().complete(printed));
            }
        } catch (IOException e) {
            awaited.values().forEach(f -> f.completeExceptionally(e));
        }
        awaited.values().forEach(f -> f.completeExceptionally(new IllegalStateException(
                "the process exited before printing the line; its output is in " + log)));
    }

    /** The next line starting with {@code prefix} printed from now on. */
    CompletableFuture<String> lineStartingWith(String prefix) {
        return awaited.computeIfAbsent(prefix, p -> new CompletableFuture<>());
    }

    static String await(CompletableFuture<String> line, Duration timeout) throws Exception {
        try {
            return line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no such line within " + timeout);
        }
    }

    /** Sends one line to the process's standard input. */
    void tell(String line) {
        stdin.println(line);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** The heap in use after two full collections, in bytes. */
    long heapAfterGc() throws IOException {
        MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(connection(),
                ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
        memory.gc();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** CPU time the process has used so far, in nanoseconds (all its threads). */
    long cpuNanos() throws IOException {
        return ManagementFactory.newPlatformMXBeanProxy(connection(), ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME,
                OperatingSystemMXBean.class).getProcessCpuTime();
    }

    /** Bytes the process has allocated on the heap so far, over all its threads (ended ones included). */
    long allocatedBytes() throws IOException {
        return ManagementFactory.newPlatformMXBeanProxy(connection(), ManagementFactory.THREAD_MXBEAN_NAME,
                com.sun.management.ThreadMXBean.class).getTotalThreadAllocatedBytes();
    }

    /** Collections and their accumulated time so far, over all collectors: {count, milliseconds}. */
    long[] gcCountAndMillis() throws IOException {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getPlatformMXBeans(connection(),
                GarbageCollectorMXBean.class)) {
            count += Math.max(0, collector.getCollectionCount());
            millis += Math.max(0, collector.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /**
     * CPU time so far of the process's Java threads, in nanoseconds, by thread name with its numbers left out
     * ({@code grpc-default-executor-3} counts as {@code grpc-default-executor-#}). Threads that ended are missing;
     * GC and JIT compiler threads are not Java threads, so the process total minus these is roughly their share.
     */
    Map<String, Long> threadCpuNanos() throws IOException {
        ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(connection(),
                ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
        long[] ids = threads.getAllThreadIds();
        ThreadInfo[] infos = threads.getThreadInfo(ids);
        Map<String, Long> byGroup = new java.util.TreeMap<>();
        for (int i = 0; i < ids.length; i++) {
            long cpu = threads.getThreadCpuTime(ids[i]);
            if (infos[i] != null && cpu > 0) {
                byGroup.merge(infos[i].getThreadName().replaceAll("[0-9]+", "#"), cpu, Long::sum);
            }
        }
        return byGroup;
    }

    private synchronized MBeanServerConnection connection() throws IOException {
        if (jmx == null) {
            JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
            IOException last = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (jmx == null && System.nanoTime() < deadline) {
                try {
                    jmx = JMXConnectorFactory.connect(url);
                } catch (IOException e) {
                    last = e;
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                }
            }
            if (jmx == null) {
                throw new IOException("cannot reach the JMX port of the process (its output is in " + log + ")", last);
            }
        }
        return jmx.getMBeanServerConnection();
    }

    @Override
    public void close() throws Exception {
        if (jmx != null) {
            try {
                jmx.close();
            } catch (IOException e) {
                // the process may be gone already
            }
        }
        OutputStream in = process.getOutputStream();
        in.close();
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
