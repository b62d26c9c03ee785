package com.foundrydb.bridge.plugin;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * The host's end of a plugin connection, as go-plugin makes it: parse the handshake line,
 * trust exactly the certificate it announces, present our own, and expect server name
 * {@code localhost}. Used by the start-up training run and by tests; Terraform is the real host.
 */
public final class PluginClient implements AutoCloseable {

    private final ManagedChannel channel;

    private PluginClient(ManagedChannel channel) {
        this.channel = channel;
    }

    /** Connects to the server a handshake line describes, authenticating as {@code host}. */
    public static PluginClient connect(String handshakeLine, ServerIdentity host) {
        String[] fields = handshakeLine.trim().split("\\|", -1);
        if (fields.length < 6 || !"1".equals(fields[0]) || !"tcp".equals(fields[2]) || !"grpc".equals(fields[4])) {
            throw new IllegalArgumentException("not a go-plugin gRPC handshake line: " + handshakeLine);
        }
        String address = fields[3];
        int colon = address.lastIndexOf(':');
        String hostName = address.substring(0, colon);
        int port = Integer.parseInt(address.substring(colon + 1));
        try {
            X509Certificate server = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(
                            new ByteArrayInputStream(Base64.getDecoder().decode(fields[5])));
            ManagedChannel channel = NettyChannelBuilder.forAddress(hostName, port)
                    .sslContext(AutoMtls.clientSslContext(host, server))
                    .overrideAuthority("localhost")
                    .build();
            return new PluginClient(channel);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the handshake line's certificate is not valid", e);
        }
    }

    public ManagedChannel channel() {
        return channel;
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
    }
}
