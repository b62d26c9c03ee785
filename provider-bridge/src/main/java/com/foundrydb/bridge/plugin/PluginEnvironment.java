package com.foundrydb.bridge.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the host (Terraform, through go-plugin) tells a plugin in its environment: the magic
 * cookie proving it is a plugin host, the app protocol versions it speaks, the port range to
 * listen in, and its client certificate for AutoMTLS.
 */
public record PluginEnvironment(
        String magicCookie, List<Integer> offeredVersions, int minPort, int maxPort, String clientCertificatePem) {

    public static final String MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE";
    /** Terraform's fixed cookie value: a handshake check, not a secret. */
    public static final String MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
    /** The only application protocol this provider speaks. */
    public static final int PROTOCOL_VERSION = 6;

    public static PluginEnvironment from(Map<String, String> environment) {
        List<Integer> versions = new ArrayList<>();
        String offered = environment.get("PLUGIN_PROTOCOL_VERSIONS");
        if (offered != null) {
            for (String part : offered.split(",")) {
                try {
                    versions.add(Integer.parseInt(part.trim()));
                } catch (NumberFormatException e) {
                    Log.warn("ignoring unparseable entry in PLUGIN_PROTOCOL_VERSIONS", "entry", part);
                }
            }
        }
        String certificate = environment.get("PLUGIN_CLIENT_CERT");
        return new PluginEnvironment(
                environment.get(MAGIC_COOKIE_KEY),
                List.copyOf(versions),
                parsePort(environment.get("PLUGIN_MIN_PORT")),
                parsePort(environment.get("PLUGIN_MAX_PORT")),
                certificate == null || certificate.isBlank() ? null : certificate);
    }

    private static int parsePort(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            int port = Integer.parseInt(value.trim());
            return port >= 0 && port <= 65535 ? port : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public boolean hasValidCookie() {
        return MAGIC_COOKIE_VALUE.equals(magicCookie);
    }

    /**
     * Whether the host accepts protocol 6. A host that names no versions predates version
     * negotiation; it gets 6 and decides for itself.
     */
    public boolean acceptsOurProtocol() {
        return offeredVersions.isEmpty() || offeredVersions.contains(PROTOCOL_VERSION);
    }

    public boolean autoMtls() {
        return clientCertificatePem != null;
    }
}
