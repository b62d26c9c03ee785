package com.foundrydb.agent.plan;

import com.foundrydb.agent.config.SinkService;
import com.foundrydb.agent.connect.WorkerSecrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline role's password on every worker of the sink, as the file its FileConfigProvider
 * reads: whichever worker the group gives the connector or a task must find it. A worker's secrets
 * directory that is not there (a mount gone, a host away) makes that worker unreachable: ensure
 * and observe pass it by, to be caught up by a later drift check, while remove reports it, so that
 * teardown waits for it rather than forget a copy of a password.
 */
final class WorkerCredentials {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerCredentials.class);

    private WorkerCredentials() {}

    /** Writes the file on every reachable worker; fails only when no worker could be given it. */
    static void ensure(StepContext ctx) throws StepFailure, IOException {
        ctx.secretsDir(); // the sink must name the directory connector configs refer to
        List<String> written = new ArrayList<>();
        List<Unreachable> away = onReachableWorkers(ctx, (w, file) -> {
            WorkerSecrets.write(file, ctx.pipeline().rolePassword());
            written.add(w.url());
        });
        List<String> unreachable = away.stream()
                .map(u -> u.url() + " (" + u.secretsDir() + " is not there)")
                .toList();
        if (written.isEmpty()) {
            throw new StepFailure(
                    "no worker of sink " + ctx.sink().name() + " could be given the pipeline's credentials"
                            + (unreachable.isEmpty()
                                    ? ": no worker has a secrets_dir"
                                    : ": " + String.join(", ", unreachable)));
        }
        if (!unreachable.isEmpty()) {
            LOG.warn(
                    "pipeline {}: credentials not written on {}; written there once it is back",
                    ctx.pipeline().id(),
                    unreachable);
        }
    }

    /** What is wrong on the reachable workers (a file missing or holding another password), null when nothing. */
    static String problem(StepContext ctx) throws IOException {
        List<String> missing = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        onReachableWorkers(ctx, (w, file) -> {
            Optional<String> password = WorkerSecrets.read(file);
            if (password.isEmpty()) {
                missing.add(w.url());
            } else if (!password.get().equals(ctx.pipeline().rolePassword())) {
                stale.add(w.url());
            }
        });
        List<String> problems = new ArrayList<>();
        if (!missing.isEmpty()) {
            problems.add("credentials file missing on worker " + String.join(", ", missing));
        }
        if (!stale.isEmpty()) {
            problems.add("credentials file outdated on worker " + String.join(", ", stale));
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    /**
     * Deletes the file from every worker whose secrets directory is there; returns the URLs of the
     * others, whose copy is left for a later try.
     */
    static List<String> remove(StepContext ctx) throws IOException {
        List<Unreachable> away = onReachableWorkers(ctx, (w, file) -> WorkerSecrets.delete(file));
        for (Unreachable u : away) {
            LOG.debug(
                    "pipeline {}: credentials file not yet removed from worker {}: {} is not there",
                    ctx.pipeline().id(),
                    u.url(),
                    u.secretsDir());
        }
        return urls(away);
    }

    /**
     * Before the connector's offsets are deleted: Connect resolves the connector's config, the
     * credentials file included, on whichever worker answers, and refuses when its copy is gone.
     * Writes the file where it was removed; waits, naming them, for workers whose secrets
     * directory is not there.
     */
    static void presentForTeardown(StepContext ctx) throws StepFailure, IOException {
        if (!ctx.sink().takesCredentials() || ctx.pipeline().rolePassword() == null) {
            return;
        }
        List<String> away = urls(onReachableWorkers(ctx, (w, file) -> {
            if (WorkerSecrets.read(file).isEmpty()) {
                WorkerSecrets.write(file, ctx.pipeline().rolePassword());
            }
        }));
        if (!away.isEmpty()) {
            throw StepFailure.waitingFor(
                    away,
                    "waiting for " + String.join(", ", away) + ": the credentials file "
                            + ctx.names().secretsFile()
                            + " cannot be there, its secrets directory is missing, and Connect reads it on"
                            + " whichever worker answers the deletion of the connector's offsets; the teardown goes on once the"
                            + " directory is back (if that worker is gone for good, take it out of the sink's workers)");
        }
    }

    /** What is done with one worker's credentials file, its secrets directory being there. */
    @FunctionalInterface
    private interface OnWorker {
        void accept(SinkService.Worker worker, Path file) throws IOException;
    }

    /** A worker whose secrets_dir is named but not there. */
    private record Unreachable(String url, Path secretsDir) {}

    private static List<String> urls(List<Unreachable> workers) {
        return workers.stream().map(Unreachable::url).toList();
    }

    /**
     * Does {@code onWorker} for each worker of the sink whose secrets directory is there, in the
     * sink's order; a worker without a secrets_dir has no file and is passed by. Returns the workers
     * whose secrets directory is not there.
     */
    private static List<Unreachable> onReachableWorkers(StepContext ctx, OnWorker onWorker) throws IOException {
        List<Unreachable> unreachable = new ArrayList<>();
        for (SinkService.Worker w : ctx.sink().workers()) {
            Optional<Path> file = file(ctx, w);
            if (file.isEmpty()) {
                continue;
            }
            Path dir = file.get().getParent();
            if (Files.isDirectory(dir)) {
                onWorker.accept(w, file.get());
            } else {
                unreachable.add(new Unreachable(w.url(), dir));
            }
        }
        return unreachable;
    }

    private static Optional<Path> file(StepContext ctx, SinkService.Worker w) {
        return Optional.ofNullable(w.secretsDir())
                .map(d -> Path.of(d).resolve(ctx.names().secretsFile()));
    }
}
