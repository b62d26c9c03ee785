package com.foundrydb.bridge.plugin;

import java.util.Base64;

/**
 * The one line a go-plugin server prints on stdout once it listens:
 * {@code CORE-VERSION|APP-VERSION|NETWORK|ADDRESS|PROTOCOL|SERVER-CERT}. The certificate is
 * the DER encoding in standard base64 without padding, empty when TLS is off.
 */
public final class HandshakeLine {

    /** go-plugin's own protocol version: always 1. */
    static final int CORE_PROTOCOL_VERSION = 1;

    private HandshakeLine() {}

    public static String format(int appVersion, String host, int port, byte[] serverCertificateDer) {
        String certificate = serverCertificateDer == null
                ? ""
                : Base64.getEncoder().withoutPadding().encodeToString(serverCertificateDer);
        return CORE_PROTOCOL_VERSION + "|" + appVersion + "|tcp|" + host + ":" + port + "|grpc|" + certificate;
    }
}
