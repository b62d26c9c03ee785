package com.foundrydb.bridge.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginEnvironmentTest {

    @Test
    void readsWhatTerraformSets() {
        PluginEnvironment environment = PluginEnvironment.from(Map.of(
                "TF_PLUGIN_MAGIC_COOKIE", PluginEnvironment.MAGIC_COOKIE_VALUE,
                "PLUGIN_PROTOCOL_VERSIONS", "5,6",
                "PLUGIN_MIN_PORT", "10000",
                "PLUGIN_MAX_PORT", "25000",
                "PLUGIN_CLIENT_CERT", "-----BEGIN CERTIFICATE-----\n..."));
        assertThat(environment.hasValidCookie()).isTrue();
        assertThat(environment.acceptsOurProtocol()).isTrue();
        assertThat(environment.minPort()).isEqualTo(10000);
        assertThat(environment.maxPort()).isEqualTo(25000);
        assertThat(environment.autoMtls()).isTrue();
    }

    @Test
    void wrongOrMissingCookieIsNotAPluginHost() {
        assertThat(PluginEnvironment.from(Map.of()).hasValidCookie()).isFalse();
        assertThat(PluginEnvironment.from(Map.of("TF_PLUGIN_MAGIC_COOKIE", "nope"))
                        .hasValidCookie())
                .isFalse();
    }

    @Test
    void protocolSixMustBeOffered() {
        assertThat(PluginEnvironment.from(Map.of("PLUGIN_PROTOCOL_VERSIONS", "5"))
                        .acceptsOurProtocol())
                .isFalse();
        assertThat(PluginEnvironment.from(Map.of("PLUGIN_PROTOCOL_VERSIONS", "6"))
                        .acceptsOurProtocol())
                .isTrue();
        // A host that predates negotiation names no versions.
        assertThat(PluginEnvironment.from(Map.of()).acceptsOurProtocol()).isTrue();
    }

    @Test
    void noClientCertificateMeansNoTls() {
        assertThat(PluginEnvironment.from(Map.of("PLUGIN_CLIENT_CERT", " ")).autoMtls())
                .isFalse();
    }
}
