package com.foundrydb.bridge.plugin.warm;

import com.foundrydb.bridge.plugin.Log;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The launcher's side of a provider kept warm. Terraform starts the launcher as if it were the
 * provider; the launcher hands Terraform's environment to the warm provider over its socket,
 * prints the handshake line the provider sends back, relays the provider's log lines to its
 * own stderr and exits with the code the provider sends when Terraform is done. It loads no
 * gRPC, TLS or provider classes, which is what makes it start fast.
 *
 * <p>When no warm provider runs for this build, the launcher starts one (detached from
 * Terraform) and waits for it. Whenever that cannot work (no private directory, a provider that
 * does not come up, a connection closed before the handshake) it answers {@link #NOT_SERVED}
 * and the caller serves the run in its own process, as a provider without this would.
 */
public final class WarmClient {

    /** {@link #serve} did not serve the run, and wrote nothing to stdout. */
    public static final int NOT_SERVED = -1;
    /** A cold JVM on a busy machine takes a few seconds; Terraform itself waits a minute. */
    private static final Duration START_WAIT = Duration.ofSeconds(20);

    private static final long POLL_MILLIS = 10;
    private static final List<String> SETSID = List.of("/usr/bin/setsid", "/bin/setsid");

    private WarmClient() {}

    /**
     * Serves this run through the warm provider for this build, starting one when none runs.
     * Returns the exit code for the launcher, or {@link #NOT_SERVED}.
     */
    public static int serve(Map<String, String> environment, PrintStream handshakeOut) {
        WarmAddress address;
        Duration keepWarm;
        try {
            keepWarm = WarmAddress.keepWarm(environment);
        } catch (IllegalArgumentException e) {
            Log.warn("not keeping the provider warm; serving in this process", "reason", e.getMessage());
            return NOT_SERVED;
        }
        if (keepWarm.isZero()) {
            return NOT_SERVED;
        }
        try {
            address = WarmAddress.forThisJvm(WarmAddress.privateDirectory(environment), environment);
        } catch (IOException | RuntimeException e) {
            Log.warn(
                    "not keeping the provider warm; serving in this process",
                    "reason",
                    e.getMessage(),
                    "fix",
                    "set " + WarmAddress.RUNTIME_DIR_VARIABLE + " to a directory of your own with mode 700, or "
                            + WarmAddress.KEEP_WARM_VARIABLE + "=0 to always start a provider process");
            return NOT_SERVED;
        }
        try {
            SocketChannel channel = connect(address);
            if (channel == null) {
                channel = startAndConnect(address, keepWarm);
            }
            if (channel == null) {
                return NOT_SERVED;
            }
            return relay(channel, address, environment, handshakeOut);
        } catch (IOException e) {
            Log.warn("the warm provider cannot serve; serving in this process", "reason", e.toString());
            return NOT_SERVED;
        }
    }

    /**
     * A connection to the warm provider at {@code address}, or null when none listens there.
     * Whoever listens is this user: only this user can make a socket in its directory, which
     * {@link WarmAddress#privateDirectory} checked (the provider checks its peers itself).
     */
    static SocketChannel connect(WarmAddress address) {
        if (!Files.exists(address.socket())) {
            return null;
        }
        try {
            return SocketChannel.open(UnixDomainSocketAddress.of(address.socket()));
        } catch (IOException e) {
            return null; // a socket file left by a provider that died
        }
    }

    private static SocketChannel startAndConnect(WarmAddress address, Duration keepWarm) throws IOException {
        Process started = null;
        if (lockIsFree(address)) {
            started = start(address, keepWarm);
            Log.debug(
                    "started a warm provider",
                    "pid",
                    started.pid(),
                    "log",
                    address.log().toString());
        }
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            SocketChannel channel = connect(address);
            if (channel != null) {
                return channel;
            }
            if (started != null && !started.isAlive() && lockIsFree(address)) {
                Log.warn(
                        "the warm provider did not start; serving in this process",
                        "exit",
                        started.exitValue(),
                        "log",
                        address.log().toString());
                return null;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        Log.warn(
                "the warm provider did not listen in time; serving in this process",
                "waited",
                START_WAIT.toString(),
                "log",
                address.log().toString());
        return null;
    }

    /** Whether no process holds the lock of {@code address}: none runs and none is starting. */
    static boolean lockIsFree(WarmAddress address) throws IOException {
        try (FileChannel lock = FileChannel.open(address.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock held = lock.tryLock();
            if (held == null) {
                return false;
            }
            held.release();
            return true;
        }
    }

    /**
     * Starts a warm provider through the launcher script (which knows the provider's JVM
     * options and class-data archive), in a session of its own (Ctrl-C in Terraform's terminal
     * is not for it), its output to its log and nothing of Terraform's: not its pipes (Terraform
     * would wait for them to close), not its working directory, not its variables (they may hold
     * tokens; each run brings its own).
     */
    private static Process start(WarmAddress address, Duration keepWarm) throws IOException {
        List<String> command = new ArrayList<>();
        SETSID.stream()
                .filter(path -> Files.isExecutable(Path.of(path)))
                .findFirst()
                .ifPresent(command::add);
        command.add(WarmAddress.launcher().toString());
        command.addAll(WarmServer.arguments(address, keepWarm));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(address.directory().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(address.log().toFile()))
                .redirectErrorStream(true);
        builder.environment()
                .keySet()
                .removeIf(name -> !name.startsWith("FOUNDRYDB_PROVIDER_")
                        && (name.startsWith("TF_") || name.startsWith("PLUGIN_") || name.startsWith("FOUNDRYDB_")));
        return builder.start();
    }

    private static int relay(
            SocketChannel channel, WarmAddress address, Map<String, String> environment, PrintStream handshakeOut)
            throws IOException {
        try (channel) {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Frames.outputOf(channel)));
            long host = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(0L);
            Frames.write(
                    out,
                    Frames.RUN,
                    Frames.encodeRun(new Frames.Run(ProcessHandle.current().pid(), host, environment)));
            DataInputStream in = new DataInputStream(new BufferedInputStream(Frames.inputOf(channel)));
            boolean handshakeSent = false;
            while (true) {
                Frames.Frame frame;
                try {
                    frame = Frames.read(in);
                } catch (IOException e) {
                    frame = Frames.Frame.END;
                }
                switch (frame.type()) {
                    case Frames.HANDSHAKE -> {
                        handshakeOut.println(frame.text());
                        handshakeOut.flush();
                        if (handshakeOut.checkError()) {
                            // Nobody reads our stdout: Terraform is gone, and the run with it.
                            return 1;
                        }
                        handshakeSent = true;
                    }
                    case Frames.STDERR -> {
                        System.err.write(frame.payload());
                        System.err.flush();
                    }
                    case Frames.EXIT -> {
                        return frame.exitCode();
                    }
                    case 0 -> {
                        if (!handshakeSent) {
                            return NOT_SERVED;
                        }
                        System.err.println("terraform-provider-foundrydb: the warm provider process ended while "
                                + "serving this run; its log is " + address.log());
                        return 1;
                    }
                    default -> throw new IOException("unexpected frame type " + frame.type());
                }
            }
        }
    }

    /**
     * Asks every warm provider in the private directory to finish its runs and exit, and waits
     * until each has. For tests and uninstalls; a warm provider also exits by itself once idle.
     * Returns how many were stopped.
     */
    public static int stopAll(Map<String, String> environment, Duration wait) throws IOException, InterruptedException {
        Path directory;
        try {
            directory = WarmAddress.privateDirectory(environment);
        } catch (IOException e) {
            // No warm provider ever listens in a directory that is not private.
            Log.warn("no warm providers to stop", "reason", e.getMessage());
            return 0;
        }
        List<Path> sockets;
        try (Stream<Path> files = Files.list(directory)) {
            sockets = files.filter(path -> path.getFileName().toString().endsWith(".sock"))
                    .toList();
        }
        int stopped = 0;
        for (Path socket : sockets) {
            String name = socket.getFileName().toString();
            WarmAddress address = new WarmAddress(directory, name.substring(0, name.length() - ".sock".length()));
            Optional<ProcessHandle> process = pidOf(address).flatMap(ProcessHandle::of);
            SocketChannel channel = connect(address);
            if (channel == null) {
                continue;
            }
            try (channel) {
                DataOutputStream out = new DataOutputStream(Frames.outputOf(channel));
                Frames.write(out, Frames.STOP, new byte[0]);
                DataInputStream in = new DataInputStream(Frames.inputOf(channel));
                while (Frames.read(in).type() != 0) {
                    // Wait for the answer and the end of the stream.
                }
            }
            if (process.isPresent()) {
                try {
                    process.get().onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    throw new IOException(
                            "the warm provider " + process.get().pid() + " did not exit within " + wait, e);
                }
            }
            stopped++;
        }
        return stopped;
    }

    /** The pid a warm provider writes into its lock file. */
    static Optional<Long> pidOf(WarmAddress address) {
        try {
            return Optional.of(Long.parseLong(
                    Files.readString(address.lock(), StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
