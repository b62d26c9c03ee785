package com.foundrydb.bridge;

import com.foundrydb.bridge.plugin.Log;
import com.foundrydb.bridge.plugin.PluginEnvironment;
import com.foundrydb.bridge.plugin.warm.WarmClient;
import com.foundrydb.bridge.plugin.warm.WarmServer;
import com.foundrydb.bridge.provider.ProviderSession;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * terraform-provider-foundrydb: started by Terraform, never by people. Checks that a plugin
 * host started it, then has the run served by a provider kept warm between Terraform's starts
 * ({@link WarmClient}), or else serves it itself: serves plugin protocol 6 on loopback, prints
 * the go-plugin handshake line and serves until Terraform says Shutdown.
 */
public final class Main {

    static final String NOT_A_PLUGIN_HOST = String.join(
            "\n",
            "This binary is a plugin for Terraform (the FoundryDB provider, terraform-provider-foundrydb).",
            "It is not meant to be run directly. Declare it in a Terraform configuration instead:",
            "",
            "  terraform {",
            "    required_providers {",
            "      foundrydb = { source = \"foundrydb/foundrydb\" }",
            "    }",
            "  }",
            "",
            "and run `terraform init`.");

    /** Less than the JVM's own wait at exit: past it, exiting the ordinary way is no slower. */
    private static final Duration SELECTOR_END_WAIT = Duration.ofMillis(200);

    /** Argument of the launcher that stops this user's warm providers (tests, uninstalls). */
    static final String STOP_WARM = "--stop-warm";

    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals(WarmServer.ARGUMENT)) {
            WarmServer.main(args);
            return;
        }
        if (args.length > 0 && args[0].equals(STOP_WARM)) {
            int stopped = WarmClient.stopAll(System.getenv(), Duration.ofSeconds(60));
            System.err.println("stopped " + stopped + " warm provider(s)");
            System.exit(0);
        }
        // stdout carries exactly one line, the handshake: keep the real stream for it and send
        // anything else a library might print to stderr, where Terraform treats it as a log line.
        PrintStream handshakeOut = System.out;
        System.setOut(System.err);
        Map<String, String> environment = System.getenv();
        Log.configure(environment);

        PluginEnvironment plugin = PluginEnvironment.from(environment);
        if (!plugin.hasValidCookie()) {
            System.err.println(NOT_A_PLUGIN_HOST);
            System.exit(1);
        }
        if (!plugin.acceptsOurProtocol()) {
            System.err.println("terraform-provider-foundrydb speaks Terraform plugin protocol "
                    + PluginEnvironment.PROTOCOL_VERSION + " only, but this Terraform offers protocol(s) "
                    + plugin.offeredVersions() + ". Use Terraform 1.0 or newer.");
            System.exit(1);
        }
        ignoreInterrupts();
        int warm = WarmClient.serve(environment, handshakeOut);
        if (warm != WarmClient.NOT_SERVED) {
            System.exit(warm);
        }
        try {
            run(plugin, environment, handshakeOut);
            endHttpSelectors();
            System.exit(0);
        } catch (Throwable e) {
            Log.error("provider failed to serve", "error", e);
            System.err.println("terraform-provider-foundrydb: " + e);
            System.exit(1);
        }
    }

    private static void run(PluginEnvironment plugin, Map<String, String> environment, PrintStream handshakeOut)
            throws Exception {
        ProviderSession session = ProviderSession.start(plugin, environment, ProviderSession.version());
        handshakeOut.println(session.handshakeLine());
        handshakeOut.flush();
        exitWithParent();
        session.awaitEnd();
        Log.debug("shutting down");
        session.stop();
    }

    /**
     * Ctrl-C reaches every process of the terminal's group; Terraform answers it with
     * StopProvider and waits for us to finish cleanly, so the signal itself must not kill us
     * (nor a launcher relaying a warm provider's run: its end would end the run).
     */
    private static void ignoreInterrupts() {
        try {
            sun.misc.Signal.handle(
                    new sun.misc.Signal("INT"),
                    signal -> Log.debug("interrupt received; waiting for StopProvider from Terraform"));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            Log.debug("cannot take over SIGINT", "error", e);
        }
    }

    /** A provider outliving a killed Terraform would hold its port and its waits forever. */
    private static void exitWithParent() {
        ProcessHandle.current()
                .parent()
                .ifPresent(parent -> parent.onExit().thenRun(() -> {
                    Log.warn("plugin host exited without shutting the provider down; exiting");
                    Runtime.getRuntime().halt(1);
                }));
    }

    /**
     * The JVM's exit waits up to 300 ms for threads sitting in native code, and the JDK's
     * HttpClient keeps a selector thread in epoll for as long as the client might be used.
     * Terraform waits for this process to exit before it starts the next one, so every command
     * would pay that once per provider start that talked to the agent. Terraform is done with
     * us here; an interrupted selector thread ends its loop (JDK 17 has no HttpClient.close()).
     */
    private static void endHttpSelectors() throws InterruptedException {
        List<Thread> selectors = Thread.getAllStackTraces().keySet().stream()
                .filter(t ->
                        t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager"))
                .toList();
        for (Thread selector : selectors) {
            selector.interrupt();
        }
        for (Thread selector : selectors) {
            selector.join(SELECTOR_END_WAIT.toMillis());
        }
    }
}
