package com.foundrydb.e2e;

import com.foundrydb.agent.it.TestStack;
import java.io.IOException;
import java.nio.file.Path;

/** Each end-to-end test's terraform working directory, beside the test stack, pointed at its agent. */
final class Workdirs {
    private Workdirs() {}

    static Terraform terraform(String name, TestStack s) throws IOException {
        Path dir = Path.of(System.getProperty("foundrydb.testHome"))
                .resolveSibling("tf")
                .resolve(name);
        return Terraform.fresh(
                dir,
                "http://127.0.0.1:" + s.stack().state().agentPort,
                s.stack().state().token);
    }
}
