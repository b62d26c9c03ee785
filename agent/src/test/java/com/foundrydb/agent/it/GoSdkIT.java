package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The committed Go SDK's example (sdk/go/example) against the real agent: it lists the services,
 * creates a pipeline, sees it running and deletes it until nothing is left. Built with the
 * standard library alone: GOPROXY=off makes any module download fail.
 */
@ExtendWith(TestStack.class)
class GoSdkIT {
    private final TestStack s = TestStack.get();

    @Test
    void exampleDrivesAPipelineThroughItsLife() throws Exception {
        Path go = Prerequisite.require("go", "the Go SDK against the agent");
        Path target = Path.of(System.getProperty("foundrydb.testHome")).getParent();
        ProcessBuilder pb = new ProcessBuilder(
                        go.toString(), "run", "./example", "-name", "go-sdk-orders", "-topic-prefix", "gosdk")
                .directory(Path.of(System.getProperty("foundrydb.sdkGo")).toFile())
                .redirectErrorStream(true);
        pb.environment()
                .put("FOUNDRYDB_ENDPOINT", "http://127.0.0.1:" + s.stack().state().agentPort);
        pb.environment().put("FOUNDRYDB_TOKEN", s.stack().state().token);
        pb.environment().put("GOFLAGS", "-mod=mod");
        pb.environment().put("GOPROXY", "off");
        pb.environment().put("GOCACHE", target.resolve("go-cache").toString());
        pb.environment().put("GOPATH", target.resolve("go-path").toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        System.out.println("go run ./example:\n" + out);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out)
                .contains(
                        "service svc_shop_postgres (shop-postgres, postgresql)",
                        "running: connector RUNNING",
                        "topics [gosdk.public.orders]");
        Matcher created = Pattern.compile("created (pl_[0-9a-z]+)").matcher(out);
        assertThat(created.find()).as(out).isTrue();
        assertThat(out).contains("deleted " + created.group(1) + ": nothing left");
        assertThat(Residue.of(s, created.group(1))).isEmpty();
    }
}
