package com.foundrydb.agent.connect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An operator's command that restarts a worker (systemctl over ssh, kubectl rollout, ...), run to
 * completion within a timeout: a command that hangs is killed with everything it started, and the
 * failure names the command and the end of its output.
 */
public final class RestartCommand {
    private static final int KEPT_OUTPUT = 2000;

    private RestartCommand() {}

    public static void run(List<String> argv, Duration timeout) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> keepTail(p.getInputStream(), out), "restart-command-output");
        reader.setDaemon(true);
        reader.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IOException("restart command " + argv + " did not finish within " + timeout.toSeconds()
                    + " s and was killed; raise the worker's restart.timeout_seconds if restarts take longer"
                    + tail(out));
        }
        reader.join(2000);
        if (p.exitValue() != 0) {
            throw new IOException("restart command " + argv + " exited " + p.exitValue() + tail(out));
        }
    }

    private static void keepTail(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (out) {
                    out.write(buf, 0, n);
                    if (out.size() > 4 * KEPT_OUTPUT) {
                        byte[] all = out.toByteArray();
                        out.reset();
                        out.write(all, all.length - KEPT_OUTPUT, KEPT_OUTPUT);
                    }
                }
            }
        } catch (IOException closed) {
            // the command ended or was killed
        }
    }

    private static String tail(ByteArrayOutputStream out) {
        String text;
        synchronized (out) {
            text = out.toString(StandardCharsets.UTF_8).strip();
        }
        if (text.isEmpty()) {
            return "";
        }
        return ": " + (text.length() > KEPT_OUTPUT ? "..." + text.substring(text.length() - KEPT_OUTPUT) : text);
    }
}
