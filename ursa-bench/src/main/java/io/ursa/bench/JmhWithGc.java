package io.ursa.bench;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs a JMH benchmark class from its {@code main} with the GC profiler (allocated bytes per operation as
 * {@code gc.alloc.rate.norm}). JMH command-line options in the arguments override the class's defaults, and a
 * benchmark pattern among them narrows the run.
 */
public final class JmhWithGc {
    private JmhWithGc() {
    }

    public static void run(Class<?> benchmarks, String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions command = new CommandLineOptions(args);
        if (command.shouldHelp()) {
            try {
                command.showHelp();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return;
        }
        OptionsBuilder options = new OptionsBuilder();
        options.parent(command).addProfiler(GCProfiler.class);
        if (command.getIncludes().isEmpty()) {
            options.include(benchmarks.getName());
        }
        new Runner(options.build()).run();
    }
}
