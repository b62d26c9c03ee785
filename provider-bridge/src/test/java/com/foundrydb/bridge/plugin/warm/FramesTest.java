package com.foundrydb.bridge.plugin.warm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FramesTest {

    @Test
    void aRunCarriesPidsAndTheWholeEnvironment() throws Exception {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PLUGIN_CLIENT_CERT", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        environment.put("FOUNDRYDB_TOKEN", "tøken with spaces = and \u0000 inside");
        environment.put("EMPTY", "");
        environment.put("LARGE", "x".repeat(200_000));
        Frames.Run decoded = Frames.decodeRun(Frames.encodeRun(new Frames.Run(4242, 17, environment)));
        assertThat(decoded.launcherPid()).isEqualTo(4242);
        assertThat(decoded.hostPid()).isEqualTo(17);
        assertThat(decoded.environment()).isEqualTo(environment);
    }

    @Test
    void framesFollowEachOtherOnOneStreamAndEndWithTheStream() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        Frames.writeText(out, Frames.HANDSHAKE, "1|6|tcp|127.0.0.1:10001|grpc|AAAA");
        Frames.writeExit(out, -3);
        Frames.writeExit(out, 0x01020304);

        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        Frames.Frame handshake = Frames.read(in);
        assertThat(handshake.type()).isEqualTo(Frames.HANDSHAKE);
        assertThat(handshake.text()).isEqualTo("1|6|tcp|127.0.0.1:10001|grpc|AAAA");
        assertThat(Frames.read(in).exitCode()).isEqualTo(-3);
        assertThat(Frames.read(in).exitCode()).isEqualTo(0x01020304);
        assertThat(Frames.read(in).type()).isZero();
    }

    @Test
    void eachFlushedLogLineIsOneStderrFrame() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        PrintStream stderr = new PrintStream(new Frames.StderrStream(out), false, StandardCharsets.UTF_8);
        stderr.println("{\"@level\":\"debug\",\"@message\":\"first\"}");
        stderr.flush();
        stderr.flush();
        stderr.print("second ");
        stderr.println("line");
        stderr.flush();

        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        Frames.Frame first = Frames.read(in);
        assertThat(first.type()).isEqualTo(Frames.STDERR);
        assertThat(first.text()).isEqualTo("{\"@level\":\"debug\",\"@message\":\"first\"}" + System.lineSeparator());
        assertThat(Frames.read(in).text()).isEqualTo("second line" + System.lineSeparator());
        assertThat(Frames.read(in).type()).as("an empty flush sends nothing").isZero();
    }
}
