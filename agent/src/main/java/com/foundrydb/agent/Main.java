package com.foundrydb.agent;

import com.foundrydb.agent.config.AgentConfig;
import com.foundrydb.agent.dev.DevStack;
import com.foundrydb.agent.dev.ManagedProcess;
import com.foundrydb.agent.dev.Part;
import com.foundrydb.agent.dev.Progress;
import com.foundrydb.agent.logging.LogFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * foundrydb-agent: serve with an operator's configuration, or run the local dev stack. --help and
 * --version are inherited by every subcommand.
 */
@Command(
        name = "foundrydb-agent",
        mixinStandardHelpOptions = true,
        versionProvider = BuildInfo.class,
        scope = ScopeType.INHERIT,
        subcommands = {Main.Serve.class, Main.Dev.class, com.foundrydb.agent.mcp.McpCommand.class},
        description = "Control plane of FoundryDB pipelines: CDC from PostgreSQL into Kafka.")
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** How the agent logs; taken by the commands that run it. */
    static final class LogOptions {
        @Option(
                names = "--log-format",
                paramLabel = "text|json",
                defaultValue = "${env:FOUNDRYDB_LOG_FORMAT:-text}",
                description =
                        "text (default) or json: one JSON object a line, with the pipeline's id on lines about one,"
                                + " for log shippers. Default: $FOUNDRYDB_LOG_FORMAT, else text.")
        LogFormat format;
    }

    @Command(name = "serve", description = "Run the agent with a configuration file.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--config", required = true, description = "the agent's configuration (JSON)")
        Path config;

        @Option(
                names = "--listen",
                description = "host:port of the API, instead of the configuration's listen"
                        + " (several agents sharing one configuration)")
        String listen;

        @Mixin
        LogOptions logging;

        @Override
        public Integer call() throws Exception {
            logging.format.apply();
            AgentConfig c = AgentConfig.read(config);
            if (listen != null) {
                c = new AgentConfig(
                        listen,
                        c.token(),
                        c.store(),
                        c.reconcileIntervalSeconds(),
                        c.driftCheckIntervalSeconds(),
                        c.sources(),
                        c.sinks());
            }
            Agent agent = Agent.start(c);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                agent.close();
                stopped.countDown();
            }));
            stopped.await();
            return 0;
        }
    }

    @Command(
            name = "dev",
            description = "Start the local stack (PostgreSQL primary and replica, Kafka, a group of"
                    + " Connect workers) and its agents in the foreground, restarting any part that dies; Ctrl-C stops"
                    + " everything.",
            subcommands = {Dev.Stop.class, Dev.Destroy.class, Dev.Failover.class})
    static final class Dev implements Callable<Integer> {
        @Option(names = "--home", description = "state directory (default $FOUNDRYDB_HOME or ~/.foundrydb)")
        Path home;

        @Option(names = "--detach", description = "start in the background and return once everything is ready")
        boolean detach;

        @Option(
                names = "--connect-workers",
                paramLabel = "N",
                description = "Kafka Connect workers in the group, each"
                        + " its own process, port, plugin path and secrets directory (default: as many as the home has, 1 for a"
                        + " new home)")
        Integer connectWorkers;

        @Option(
                names = "--agents",
                paramLabel = "N",
                description = "agents sharing the store and configuration, each"
                        + " on its own API port (default: as many as the home has, 1 for a new home)")
        Integer agents;

        @Mixin
        LogOptions logging;

        static Path home(Path given) {
            if (given != null) {
                return given;
            }
            String env = System.getenv("FOUNDRYDB_HOME");
            return env != null && !env.isBlank()
                    ? Path.of(env)
                    : Path.of(System.getProperty("user.home"), ".foundrydb");
        }

        @Override
        public Integer call() throws Exception {
            logging.format.apply();
            Path h = home(home).toAbsolutePath().normalize();
            if ((connectWorkers != null && connectWorkers < 1) || (agents != null && agents < 1)) {
                System.err.println("foundrydb dev: --connect-workers and --agents take a number of at least 1");
                return 2;
            }
            if (detach) {
                return detach(h);
            }
            Progress progress = new Progress(System.out);
            ManagedProcess self = devProcess(h);
            if (self.alive().isPresent()) {
                progress.say("already running (pid " + self.alive().get().pid()
                        + "); stop it with: foundrydb-agent dev stop");
                return 1;
            }
            Files.deleteIfExists(h.resolve("run").resolve("ready"));
            DevStack stack = DevStack.open(h, false, progress, connectWorkers, agents);
            self.record(ProcessHandle.current());
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                progress.say("stopping");
                try {
                    stack.stop(); // supervision first, then every part, the agents first
                    Files.deleteIfExists(h.resolve("run").resolve("ready"));
                    Files.deleteIfExists(h.resolve("run").resolve("dev.pid"));
                } catch (Exception e) {
                    progress.say("stop failed: " + e.getMessage());
                }
                progress.say("stopped");
                stopped.countDown();
            }));
            try {
                stack.start();
                stack.startAgents();
            } catch (Exception e) {
                progress.say("start failed: " + e.getMessage());
                System.exit(1);
            }
            List<Part> supervised = new ArrayList<>(stack.parts());
            supervised.addAll(stack.agents());
            stack.supervise(supervised);
            progress.say("ready. Endpoint " + stack.agents().get(0).endpoint() + "  token " + stack.state().token
                    + (stack.agents().size() > 1 ? "  (" + stack.agents().size() + " agents)" : "")
                    + (stack.workers().size() > 1 ? "  (" + stack.workers().size() + " Connect workers)" : ""));
            progress.say("for scripts: source " + h.resolve("dev.env") + "; parts that die are restarted");
            Files.writeString(h.resolve("run").resolve("ready"), "ready\n");
            stopped.await();
            return 0;
        }

        /** Re-runs this command in its own session with output to a log, and waits for it to be ready. */
        private Integer detach(Path h) throws Exception {
            Path log = h.resolve("logs").resolve("dev.log");
            Files.createDirectories(log.getParent());
            Files.deleteIfExists(h.resolve("run").resolve("ready"));
            List<String> cmd = new ArrayList<>(
                    ProcessHandle.current().info().command().map(List::of).orElseThrow());
            cmd.addAll(ProcessHandle.current()
                    .info()
                    .arguments()
                    .map(a -> List.of(a))
                    .orElseThrow());
            cmd.remove("--detach");
            ManagedProcess dev =
                    new ManagedProcess("dev launcher", h.resolve("run").resolve("dev-launch.pid"));
            long from = Files.exists(log) ? Files.size(log) : 0; // this start's lines only
            ProcessHandle p = dev.start(cmd, java.util.Map.of("FOUNDRYDB_HOME", h.toString()), Path.of("."), log);
            while (!Files.exists(h.resolve("run").resolve("ready"))) {
                from = echo(log, from);
                if (!p.isAlive()) {
                    echo(log, from);
                    System.out.println("foundrydb dev: failed to start; see " + log);
                    return 1;
                }
                Thread.sleep(200);
            }
            echo(log, from);
            Files.deleteIfExists(h.resolve("run").resolve("dev-launch.pid"));
            return 0;
        }

        private static long echo(Path log, long from) throws java.io.IOException {
            if (!Files.exists(log)) {
                return from;
            }
            byte[] all = Files.readAllBytes(log);
            if (all.length > from) {
                System.out.print(new String(
                        all, (int) from, (int) (all.length - from), java.nio.charset.StandardCharsets.UTF_8));
                System.out.flush();
            }
            return all.length;
        }

        /**
         * Stops a running dev command by its pid (its shutdown hook stops the stack), then opens the
         * stack, if there is one, so the caller can stop or delete what a killed dev command left.
         */
        static java.util.Optional<DevStack> stopDevCommand(Path given, Progress progress) throws Exception {
            Path h = home(given).toAbsolutePath().normalize();
            ManagedProcess dev = devProcess(h);
            if (dev.alive().isPresent()) {
                progress.say(
                        "stopping the dev command (pid " + dev.alive().get().pid() + ")");
                dev.stop(Duration.ofSeconds(90));
            }
            if (!Files.exists(h.resolve("state.json"))) {
                progress.say("no dev stack at " + h);
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(DevStack.open(h, false, progress));
        }

        static ManagedProcess devProcess(Path home) {
            return new ManagedProcess("dev", home.resolve("run").resolve("dev.pid"));
        }

        @Command(
                name = "destroy",
                description = "Stop the dev stack and delete all its state (clusters, topics, pipelines).")
        static final class Destroy implements Callable<Integer> {
            @CommandLine.ParentCommand
            Dev parent;

            @Override
            public Integer call() throws Exception {
                Progress progress = new Progress(System.out);
                java.util.Optional<DevStack> stack = stopDevCommand(parent.home, progress);
                if (stack.isPresent()) {
                    stack.get().destroy();
                    progress.say("destroyed " + stack.get().home());
                }
                return 0;
            }
        }

        @Command(
                name = "failover",
                description = "Fail the running stack's PostgreSQL primary over to its standby:"
                        + " the primary stops as if it crashed, the standby is promoted, the old primary comes back as the new"
                        + " standby. Watch the agent re-point its pipelines.")
        static final class Failover implements Callable<Integer> {
            @CommandLine.ParentCommand
            Dev parent;

            @Override
            public Integer call() throws Exception {
                Path h = home(parent.home).toAbsolutePath().normalize();
                Progress progress = new Progress(System.out);
                if (!Files.exists(h.resolve("state.json"))) {
                    progress.say("no dev stack at " + h + "; start one with: foundrydb-agent dev");
                    return 1;
                }
                DevStack.open(h, false, progress).failover();
                progress.say(
                        "the agent notices the new primary within a reconcile interval and re-points each pipeline's"
                                + " connector; follow it with GET /v1/pipelines/<id>?live=true (streaming_host, primary_host)");
                return 0;
            }
        }

        @Command(name = "stop", description = "Stop a running dev stack and its agent, each by its pid.")
        static final class Stop implements Callable<Integer> {
            @CommandLine.ParentCommand
            Dev parent;

            @Override
            public Integer call() throws Exception {
                Progress progress = new Progress(System.out);
                java.util.Optional<DevStack> stack = stopDevCommand(parent.home, progress);
                if (stack.isPresent()) {
                    stack.get().stop(); // whatever a killed dev command left running
                }
                progress.say("stopped");
                return 0;
            }
        }
    }
}
