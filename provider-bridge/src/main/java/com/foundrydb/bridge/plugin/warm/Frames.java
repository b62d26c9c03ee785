package com.foundrydb.bridge.plugin.warm;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a launcher and a warm provider say over their socket, each message one frame: a type
 * byte, a length, that many bytes.
 *
 * <pre>
 * launcher -> provider   RUN     the launcher's pid, Terraform's pid, and Terraform's environment
 *                        STOP    finish the runs in progress and exit (tests, uninstall)
 * provider -> launcher   HANDSHAKE  the line for the launcher's stdout
 *                        STDERR     bytes for the launcher's stderr (hclog lines)
 *                        EXIT       the code the launcher exits with; nothing follows
 * </pre>
 *
 * A launcher that reads end-of-stream before any frame was not served, and serves the run
 * itself.
 */
final class Frames {

    static final byte RUN = 'R';
    static final byte STOP = 'S';
    static final byte HANDSHAKE = 'H';
    static final byte STDERR = 'E';
    static final byte EXIT = 'X';

    /** A frame as read; {@code type} 0 at end of stream. */
    record Frame(byte type, byte[] payload) {
        static final Frame END = new Frame((byte) 0, new byte[0]);

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int exitCode() {
            return ((payload[0] & 0xff) << 24)
                    | ((payload[1] & 0xff) << 16)
                    | ((payload[2] & 0xff) << 8)
                    | (payload[3] & 0xff);
        }
    }

    /** The RUN frame's content. */
    record Run(long launcherPid, long hostPid, Map<String, String> environment) {}

    private Frames() {}

    static Frame read(DataInputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            return Frame.END;
        }
        int length = in.readInt();
        if (length < 0 || length > 64 * 1024 * 1024) {
            throw new IOException("frame of " + length + " bytes");
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new Frame((byte) type, payload);
    }

    /** Writers of one stream share it: each frame goes out whole. */
    static void write(DataOutputStream out, byte type, byte[] payload) throws IOException {
        synchronized (out) {
            out.write(type);
            out.writeInt(payload.length);
            out.write(payload);
            out.flush();
        }
    }

    /**
     * The channel as a stream. Not {@code Channels.newInputStream}: its reads hold the
     * channel's blocking lock, which its writes need too, so a thread waiting to read would stop
     * every other thread from writing.
     */
    static java.io.InputStream inputOf(java.nio.channels.SocketChannel channel) {
        return new java.io.InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : channel.read(java.nio.ByteBuffer.wrap(b, off, len));
            }
        };
    }

    static OutputStream outputOf(java.nio.channels.SocketChannel channel) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        };
    }

    static void writeText(DataOutputStream out, byte type, String text) throws IOException {
        write(out, type, text.getBytes(StandardCharsets.UTF_8));
    }

    static void writeExit(DataOutputStream out, int code) throws IOException {
        write(out, EXIT, new byte[] {(byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code});
    }

    static byte[] encodeRun(Run run) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(4096);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(run.launcherPid());
            out.writeLong(run.hostPid());
            out.writeInt(run.environment().size());
            for (Map.Entry<String, String> entry : run.environment().entrySet()) {
                writeString(out, entry.getKey());
                writeString(out, entry.getValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot happen in memory", e);
        }
        return bytes.toByteArray();
    }

    static Run decodeRun(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
        long pid = in.readLong();
        long hostPid = in.readLong();
        int count = in.readInt();
        Map<String, String> environment = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            environment.put(readString(in), readString(in));
        }
        return new Run(pid, hostPid, Map.copyOf(environment));
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new EOFException("truncated RUN frame");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * An output stream whose flushed bytes become one STDERR frame each: a log line printed
     * and flushed arrives whole at the launcher, never interleaved with another's.
     */
    static final class StderrStream extends OutputStream {
        private final DataOutputStream out;
        private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream(256);

        StderrStream(DataOutputStream out) {
            this.out = out;
        }

        @Override
        public synchronized void write(int b) {
            pending.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public synchronized void flush() throws IOException {
            if (pending.size() > 0) {
                byte[] bytes = pending.toByteArray();
                pending.reset();
                Frames.write(out, STDERR, bytes);
            }
        }
    }
}
