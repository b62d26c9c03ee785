package com.foundrydb.bridge.plugin.warm;

import com.foundrydb.bridge.plugin.Log;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider kept warm: one JVM that serves Terraform runs one after another (or side by side),
 * each run a {@link WarmSession} with a provider, gRPC server, certificate and log of its own,
 * so that a run costs a launcher's start instead of a provider's.
 *
 * <p>Who may connect: the socket lives in an owner-only directory and is owner-only itself, and
 * every connection's peer credentials must name this process's user. That user could run the
 * provider, or read its memory, anyway; nobody else can reach it. Each run's gRPC port still
 * takes only the client certificate its own Terraform announced, as before.
 *
 * <p>It exits when no run is in progress and none has ended for the keep-warm time, when its
 * socket file disappears (its directory was removed), when the jar it runs from is replaced, or
 * when asked to ({@link WarmClient#stopAll}). It holds a lock file for its whole life, so there
 * is never more than one per build and directory.
 */
public final class WarmServer {

    public static final String ARGUMENT = "--warm-server";
    private static final Duration TICK = Duration.ofSeconds(1);
    /**
     * Idle this long, the runs that ended are collected: Terraform starts the provider again
     * within a second while a command goes on, and a collection then would delay that start.
     */
    private static final Duration COLLECT_AFTER = Duration.ofSeconds(3);
    /** How long a second process started at the same moment waits for the first to listen or leave. */
    private static final Duration LOCK_WAIT = Duration.ofSeconds(10);

    private final WarmAddress address;
    private final Duration keepWarm;
    private final ServerSocketChannel server;
    private final String jarStamp;
    private final AtomicInteger runs = new AtomicInteger();
    private int active;
    private long lastEnded = System.nanoTime();
    private boolean closing;
    /** Whether garbage of the runs that ended has been collected since. */
    private boolean collected = true;

    private WarmServer(WarmAddress address, Duration keepWarm, ServerSocketChannel server) throws IOException {
        this.address = address;
        this.keepWarm = keepWarm;
        this.server = server;
        this.jarStamp = classPathStamp();
    }

    /** The arguments after the main class that make a launcher's JVM a warm provider. */
    static List<String> arguments(WarmAddress address, Duration keepWarm) {
        return List.of(ARGUMENT, address.directory().toString(), address.key(), Long.toString(keepWarm.toSeconds()));
    }

    /** Entry point: {@code --warm-server DIRECTORY KEY KEEP_WARM_SECONDS}. Exits the JVM. */
    public static void main(String[] args) {
        Log.configure(Map.of("TF_LOG", "info"));
        ignoreTerminalSignals();
        try {
            WarmAddress address = new WarmAddress(Path.of(args[1]), args[2]);
            Duration keepWarm = Duration.ofSeconds(Long.parseLong(args[3]));
            WarmAddress.checkPrivate(address.directory());
            FileChannel lockFile =
                    FileChannel.open(address.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = awaitLock(address, lockFile);
            if (lock == null) {
                Log.info("another warm provider serves this build; exiting");
                System.exit(0);
            }
            lockFile.truncate(0);
            lockFile.write(
                    ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)));
            truncate(address.log());
            Files.deleteIfExists(address.socket());
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(address.socket()));
            Files.setPosixFilePermissions(address.socket(), PosixFilePermissions.fromString("rw-------"));
            Log.info(
                    "warm provider listening",
                    "socket",
                    address.socket().toString(),
                    "keep_warm",
                    keepWarm.toString(),
                    "pid",
                    ProcessHandle.current().pid());
            new WarmServer(address, keepWarm, server).serve();
            System.exit(0);
        } catch (Throwable e) {
            Log.error("warm provider failed", "error", e);
            System.exit(1);
        }
    }

    /**
     * The lock, once whoever holds it has left; null when another process holds it and listens
     * (it serves this build), or still holds it after a while.
     */
    private static FileLock awaitLock(WarmAddress address, FileChannel lockFile)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        while (true) {
            FileLock lock = lockFile.tryLock();
            if (lock != null) {
                return lock;
            }
            SocketChannel probe = WarmClient.connect(address);
            if (probe != null) {
                probe.close();
                return null;
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            Thread.sleep(50);
        }
    }

    private static void truncate(Path log) {
        try (FileChannel file = FileChannel.open(log, StandardOpenOption.WRITE)) {
            file.truncate(0);
        } catch (IOException e) {
            // Only our own log: keeping the old lines is harmless.
        }
    }

    /**
     * Not in Terraform's process group (see WarmClient.start), but a terminal's hangup or
     * interrupt must not end the runs of other Terraform processes either.
     */
    private static void ignoreTerminalSignals() {
        for (String name : List.of("INT", "HUP")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {});
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                Log.debug("cannot ignore signal", "signal", name, "error", e);
            }
        }
    }

    private void serve() throws InterruptedException {
        Thread ticker = new Thread(this::tick, "warm-ticker");
        ticker.setDaemon(true);
        ticker.start();
        while (true) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                break;
            } catch (IOException e) {
                Log.warn("accept failed", "error", e);
                continue;
            }
            try {
                checkPeer(channel);
            } catch (IOException e) {
                Log.warn("refused a connection", "reason", e.getMessage());
                closeQuietly(channel);
                continue;
            }
            synchronized (this) {
                if (closing) {
                    closeQuietly(channel); // the launcher then serves the run itself
                    continue;
                }
                active++;
            }
            int run = runs.incrementAndGet();
            Thread thread = new Thread(
                    () -> {
                        try {
                            new WarmSession(this, channel, run).run();
                        } finally {
                            ended();
                        }
                    },
                    "warm-run-" + run);
            thread.setDaemon(true);
            thread.start();
        }
        synchronized (this) {
            while (active > 0) {
                wait();
            }
        }
        Log.info("warm provider exiting", "runs_served", runs.get());
    }

    private synchronized void ended() {
        active--;
        lastEnded = System.nanoTime();
        collected = false;
        notifyAll();
    }

    private void tick() {
        while (true) {
            try {
                Thread.sleep(TICK.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            String reason = null;
            boolean collect = false;
            synchronized (this) {
                if (closing) {
                    return;
                }
                long idle = active == 0 ? System.nanoTime() - lastEnded : 0;
                if (!collected && idle >= COLLECT_AFTER.toNanos()) {
                    collected = true;
                    collect = true;
                }
                if (!Files.exists(address.socket())) {
                    reason = "its socket file was removed";
                } else if (!jarStamp.equals(classPathStamp())) {
                    reason = "the provider's jar changed";
                } else if (active == 0 && System.nanoTime() - lastEnded >= keepWarm.toNanos()) {
                    reason = "idle for " + keepWarm.toSeconds() + " s";
                }
            }
            if (reason != null) {
                close(reason);
                return;
            }
            if (collect) {
                // Among what ended runs leave: each agent client's selector thread, which ends
                // only once its client has been collected.
                System.gc();
            }
        }
    }

    /** Stops taking runs; those in progress finish, then the process exits. */
    void close(String reason) {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        Log.info("warm provider stopping", "reason", reason);
        try {
            // First the name, so that no launcher connects to a server about to go.
            Files.deleteIfExists(address.socket());
        } catch (IOException e) {
            Log.warn("cannot remove the socket file", "error", e);
        }
        closeQuietly(server);
    }

    /** The peer must run as this process's user. */
    static void checkPeer(SocketChannel channel) throws IOException {
        UserPrincipal peer =
                channel.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED).user();
        UserPrincipal self = Files.getOwner(Path.of("/proc/self"));
        if (!peer.equals(self)) {
            throw new IOException("peer runs as " + peer.getName() + ", not as " + self.getName());
        }
    }

    private static String classPathStamp() {
        StringBuilder stamp = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            try {
                Path path = Path.of(entry);
                stamp.append(Files.size(path))
                        .append('@')
                        .append(Files.getLastModifiedTime(path).toMillis());
            } catch (IOException e) {
                stamp.append("missing");
            }
            stamp.append(';');
        }
        return stamp.toString();
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // Nothing left to do with it.
        }
    }
}
