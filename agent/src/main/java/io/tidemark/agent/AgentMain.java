package io.tidemark.agent;

import io.tidemark.agent.config.AgentConfig;
import io.tidemark.agent.config.ConfigException;
import io.tidemark.agent.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar tidemark-agent.jar [--config agent.yaml] [--check]}: runs the agent until SIGTERM/SIGINT.
 * Exit codes: 0 after a clean stop (or a valid config with --check), 2 for an invalid configuration (the message
 * names the key), 1 when the agent cannot start (e.g. the buffer directory cannot be created).
 */
public final class AgentMain {

    private AgentMain() {
    }

    public static void main(String[] args) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
        Path configFile = Path.of("agent.yaml");
        boolean checkOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config", "-c" -> {
                    if (i + 1 >= args.length) {
                        usage("--config needs a file");
                    }
                    configFile = Path.of(args[++i]);
                }
                case "--check" -> checkOnly = true;
                case "--version" -> {
                    System.out.println("tidemark-agent " + Agent.version());
                    return;
                }
                case "--help", "-h" -> {
                    usage(null);
                    return;
                }
                default -> usage("unknown argument " + args[i]);
            }
        }
        AgentConfig config;
        try {
            config = ConfigLoader.withSystemEnvironment().load(configFile);
        } catch (ConfigException e) {
            System.err.println("tidemark-agent: invalid configuration " + configFile + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        if (checkOnly) {
            System.out.println("tidemark-agent: " + configFile + " is valid");
            return;
        }
        Agent agent;
        try {
            agent = new Agent(config).start();
        } catch (IOException e) {
            System.err.println("tidemark-agent: cannot start: " + e
                    + " (check buffering.disk_path, statsd port and self_metrics.listen)");
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "agent-stop"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void usage(String error) {
        if (error != null) {
            System.err.println("tidemark-agent: " + error);
        }
        System.err.println("usage: java -jar tidemark-agent.jar [--config agent.yaml] [--check] [--version]");
        if (error != null) {
            System.exit(2);
        }
    }
}
