package com.foundrydb.agent.dev;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A part that is one process this program starts itself, known by its pid file
 * ({@link ManagedProcess}): stopped by SIGTERM, and by SIGKILL once the grace period is over.
 */
abstract class ProcessPart implements Part {
    final ManagedProcess process;
    private final Duration stopGrace;

    ProcessPart(String name, Path pidFile, Duration stopGrace) {
        this.process = new ManagedProcess(name, pidFile);
        this.stopGrace = stopGrace;
    }

    @Override
    public final String name() {
        return process.name();
    }

    @Override
    public final boolean running() {
        return process.alive().isPresent();
    }

    @Override
    public final Optional<String> exitCause() {
        return process.exitCause();
    }

    @Override
    public final void stop() throws IOException {
        process.stop(stopGrace);
    }

    @Override
    public final void kill9() {
        process.kill9();
    }
}
