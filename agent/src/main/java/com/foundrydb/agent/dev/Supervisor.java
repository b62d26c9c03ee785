package com.foundrydb.agent.dev;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps the dev stack's parts running: a part whose process is gone is started again, and the dev
 * command says so ("kafka connect 2 exited (signal 9); restarting", then "... ready in 3.1 s").
 *
 * <p>What is stopped on purpose is left alone. Whoever stops, restarts or rebuilds a part does it
 * under the part's lock (run/&lt;part&gt;.lock, a file lock, so it holds across processes: the
 * agent restarting a worker after a plugin install, dev failover rebuilding a node), and a part
 * {@link #hold held} down stays down until released (run/&lt;part&gt;.hold, naming the holder's pid: a
 * holder that died releases it). Parts are looked at in the order given, dependencies first.
 */
public final class Supervisor implements AutoCloseable {
    private static final Duration LOOK_EVERY = Duration.ofMillis(500);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final Path run;
    private final List<Part> parts;
    private final Progress progress;
    private final Thread thread;
    private final Map<Part, Integer> failures = new HashMap<>();
    private final Map<Part, Long> nextTry = new HashMap<>();
    private volatile boolean closed;

    Supervisor(Path run, List<Part> parts, Progress progress) {
        this.run = run;
        this.parts = List.copyOf(parts);
        this.progress = progress;
        this.thread = new Thread(this::loop, "dev-supervisor");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** A part held down on purpose: supervision does not restart it until {@link #close}. */
    public static final class Hold implements AutoCloseable {
        private final Path file;

        private Hold(Path file) {
            this.file = file;
        }

        /** Releases the part: supervision restarts it if it is not running. */
        @Override
        public void close() throws IOException {
            Files.deleteIfExists(file);
        }
    }

    /** Holds a part down (supervision in any process leaves it alone) until the hold is closed. */
    public static Hold hold(Path run, Part part) throws IOException, InterruptedException {
        try (PartLock lock = PartLock.acquire(lockFile(run, part))) {
            Path file = holdFile(run, part);
            Files.writeString(file, ProcessHandle.current().pid() + "\n");
            return new Hold(file);
        }
    }

    /** Runs an intentional stop/start of a part under its lock: supervision waits rather than interferes. */
    public static void locked(Path run, Part part, DevStack.Action action) throws Exception {
        try (PartLock lock = PartLock.acquire(lockFile(run, part))) {
            action.run();
        }
    }

    static boolean held(Path run, Part part) {
        Path file = holdFile(run, part);
        try {
            long pid = Long.parseLong(Files.readString(file).trim());
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException absent) {
            return false;
        }
    }

    private static Path holdFile(Path run, Part part) {
        return run.resolve(slug(part) + ".hold");
    }

    private static Path lockFile(Path run, Part part) {
        return run.resolve(slug(part) + ".lock");
    }

    private static String slug(Part part) {
        return part.name().replace(' ', '-');
    }

    private void loop() {
        while (!closed) {
            for (Part part : parts) {
                if (closed) {
                    return;
                }
                try {
                    look(part);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException | IOException e) {
                    progress.say(part.name() + ": supervision failed: " + e.getMessage());
                }
            }
            try {
                Thread.sleep(LOOK_EVERY.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void look(Part part) throws IOException, InterruptedException {
        if (held(run, part) || part.running()) {
            failures.remove(part);
            return;
        }
        if (System.nanoTime() < nextTry.getOrDefault(part, 0L)) {
            return;
        }
        Optional<PartLock> lock = PartLock.tryAcquire(lockFile(run, part));
        if (lock.isEmpty()) {
            return; // stopped or restarted on purpose right now
        }
        try (PartLock held = lock.get()) {
            if (closed || held(run, part) || part.running()) {
                return;
            }
            progress.say(part.name() + " exited"
                    + part.exitCause().map(c -> " (" + c + ")").orElse("") + "; restarting");
            long t = System.nanoTime();
            try {
                part.start();
                failures.remove(part);
                progress.ready(part.name(), t, "restarted");
            } catch (IOException e) {
                int n = failures.merge(part, 1, Integer::sum);
                long wait = Math.min(MAX_RETRY.toSeconds(), 1L << Math.min(n, 5));
                nextTry.put(part, System.nanoTime() + Duration.ofSeconds(wait).toNanos());
                progress.say(part.name() + " did not start: " + e.getMessage() + "; trying again in " + wait + " s");
            }
        }
    }

    /**
     * Ends supervision; a restart under way is abandoned (what it started is known by its pid file,
     * so stopping the stack afterwards stops it too).
     */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.interrupt();
        thread.join(Duration.ofSeconds(30).toMillis());
    }

    /**
     * A part's lock: a file lock across processes, and a lock within this JVM (file locks are held
     * per process, and the same process locking twice is an error rather than a wait).
     */
    static final class PartLock implements AutoCloseable {
        private static final Map<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();
        private final ReentrantLock local;
        private final FileChannel channel;
        private final FileLock lock;

        private PartLock(ReentrantLock local, FileChannel channel, FileLock lock) {
            this.local = local;
            this.channel = channel;
            this.lock = lock;
        }

        static PartLock acquire(Path file) throws IOException, InterruptedException {
            ReentrantLock local = IN_JVM.computeIfAbsent(file.toAbsolutePath(), f -> new ReentrantLock());
            local.lockInterruptibly();
            try {
                FileChannel channel = open(file);
                try {
                    return new PartLock(local, channel, channel.lock());
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
            } catch (IOException | RuntimeException e) {
                local.unlock();
                throw e;
            }
        }

        static Optional<PartLock> tryAcquire(Path file) throws IOException {
            ReentrantLock local = IN_JVM.computeIfAbsent(file.toAbsolutePath(), f -> new ReentrantLock());
            if (!local.tryLock()) {
                return Optional.empty();
            }
            try {
                FileChannel channel = open(file);
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    channel.close();
                    local.unlock();
                    return Optional.empty();
                }
                return Optional.of(new PartLock(local, channel, lock));
            } catch (IOException | RuntimeException e) {
                local.unlock();
                throw e;
            }
        }

        private static FileChannel open(Path file) throws IOException {
            Files.createDirectories(file.getParent());
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }

        @Override
        public void close() throws IOException {
            try {
                lock.release();
                channel.close();
            } finally {
                local.unlock();
            }
        }
    }
}
