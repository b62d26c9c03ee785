package com.foundrydb.bridge.plugin.warm;

import com.foundrydb.bridge.plugin.Log;
import com.foundrydb.bridge.plugin.PluginEnvironment;
import com.foundrydb.bridge.provider.ProviderSession;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One Terraform run in a warm provider, for one launcher connection: the provider session made
 * from the environment the launcher sent, its log lines sent back as the launcher's stderr, its
 * handshake line as the launcher's stdout. The run ends with Terraform's Shutdown; it is
 * abandoned, as a provider process would be killed, when the launcher's connection closes or
 * Terraform exits without a Shutdown.
 */
final class WarmSession {

    private final WarmServer server;
    private final SocketChannel channel;
    private final int number;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicBoolean abandoned = new AtomicBoolean();

    WarmSession(WarmServer server, SocketChannel channel, int number) {
        this.server = server;
        this.channel = channel;
        this.number = number;
    }

    void run() {
        try (channel) {
            DataInputStream in = new DataInputStream(Frames.inputOf(channel));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Frames.outputOf(channel)));
            Frames.Frame first = Frames.read(in);
            if (first.type() == Frames.STOP) {
                server.close("asked to stop");
                Frames.writeExit(out, 0);
            } else if (first.type() == Frames.RUN) {
                serve(Frames.decodeRun(first.payload()), in, out);
            }
        } catch (IOException e) {
            Log.warn("run ended with a broken connection", "run", number, "error", e);
        }
    }

    private void serve(Frames.Run run, InputStream in, DataOutputStream out) throws IOException {
        PrintStream stderr = new PrintStream(new Frames.StderrStream(out), false, StandardCharsets.UTF_8);
        Log.bind(Log.Sink.of(run.environment(), stderr));
        long started = System.nanoTime();
        int exitCode;
        long handshakeMillis = -1;
        try {
            ProviderSession session = ProviderSession.start(
                    PluginEnvironment.from(run.environment()), run.environment(), ProviderSession.version());
            Frames.writeText(out, Frames.HANDSHAKE, session.handshakeLine());
            handshakeMillis = (System.nanoTime() - started) / 1_000_000;
            watchLauncher(in, session);
            watchHost(run.hostPid(), session);
            session.awaitEnd();
            session.stop();
            exitCode = abandoned.get() ? 1 : 0;
        } catch (Exception | Error e) {
            Log.error("provider failed to serve", "error", e);
            stderr.println("terraform-provider-foundrydb: " + e);
            stderr.flush();
            exitCode = 1;
        } finally {
            finished.set(true);
            Log.unbind();
        }
        Log.info(
                "run ended",
                "run",
                number,
                "exit",
                exitCode,
                "handshake_millis",
                handshakeMillis,
                "millis",
                (System.nanoTime() - started) / 1_000_000);
        Frames.writeExit(out, exitCode);
    }

    /**
     * The launcher sends nothing after its RUN frame: end of stream means it was killed (by
     * Terraform, as go-plugin kills a plugin that does not exit after Shutdown).
     */
    private void watchLauncher(InputStream in, ProviderSession session) {
        Thread watcher = new Thread(
                () -> {
                    try {
                        while (in.read() >= 0) {
                            // Nothing more is expected from the launcher.
                        }
                    } catch (IOException e) {
                        // Closed by us at the end of the run, or broken: either way the launcher is gone.
                    }
                    if (!finished.get()) {
                        abandon(session, "the launcher exited");
                    }
                },
                "warm-run-" + number + "-launcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Terraform gone without a Shutdown: as the provider process would, end the run. */
    private void watchHost(long hostPid, ProviderSession session) {
        if (hostPid <= 0) {
            return; // the launcher could not tell; its own end still ends the run
        }
        ProcessHandle.of(hostPid)
                .ifPresentOrElse(
                        host -> host.onExit().thenRun(() -> {
                            if (!finished.get()) {
                                abandon(session, "the plugin host exited without shutting the provider down");
                            }
                        }),
                        () -> abandon(session, "the plugin host is not running"));
    }

    private void abandon(ProviderSession session, String why) {
        if (abandoned.compareAndSet(false, true)) {
            Log.warn(why + "; ending its run", "run", number);
            session.abandon();
        }
    }
}
