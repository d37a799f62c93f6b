package io.ursa.cp;

import io.ursa.core.config.ConfigException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ursa-cp}: the control plane's command line. */
@Command(name = "ursa-cp", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Ursa service-mesh control plane.",
        subcommands = {UrsaCp.Run.class})
public final class UrsaCp {
    private static final Logger log = LoggerFactory.getLogger(UrsaCp.class);

    public static void main(String[] args) {
        System.exit(new CommandLine(new UrsaCp()).execute(args));
    }

    @Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Run the control plane until SIGTERM or SIGINT.")
    static final class Run implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE",
                description = "Configuration file (YAML, same keys as defaults.yaml); URSA_* variables win over it.")
        Path config;

        @Override
        public Integer call() throws Exception {
            ControlPlane cp;
            try {
                cp = ControlPlane.start(config, System.getenv());
            } catch (ConfigException | ControlPlane.StartupException e) {
                log.error("cannot start: {}", e.getMessage());
                System.err.println("Error: " + e.getMessage());
                return 1;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                log.info("stopping");
                cp.close();
                stopped.countDown();
            }, "ursa-shutdown"));
            stopped.await();
            return 0;
        }
    }
}
