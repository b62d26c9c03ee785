package com.foundrydb.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.foundrydb.agent.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SinkServiceTest {
    private static SinkService sink(String json) throws Exception {
        return Json.MAPPER.readValue(json, SinkService.class);
    }

    @Test
    void theOperationsGuideExampleDescribesThreeWorkersOnThreeHosts() throws Exception {
        String guide = Files.readString(Path.of("..", "docs", "guides", "operations.md"));
        int from = guide.indexOf("```json\n") + "```json\n".length();
        AgentConfig config =
                Json.MAPPER.readValue(guide.substring(from, guide.indexOf("```", from)), AgentConfig.class);
        SinkService s = config.sinks().get(0);
        assertThat(s.connectUrls())
                .containsExactly(
                        "http://connect-1.internal:8083",
                        "http://connect-2.internal:8083",
                        "http://connect-3.internal:8083");
        assertThat(s.workerSecretsDir()).isEqualTo("/etc/kafka-connect/foundrydb");
        assertThat(s.workers())
                .extracting(SinkService.Worker::secretsDir)
                .containsExactly("/mnt/connect-1/foundrydb", "/mnt/connect-2/foundrydb", "/mnt/connect-3/foundrydb");
        assertThat(s.workers().get(2).restart().command())
                .containsExactly("ssh", "connect-3.internal", "sudo", "systemctl", "restart", "kafka-connect");
        assertThat(s.workers().get(2).restart().timeoutOrDefault()).isEqualTo(180);
        assertThat(s.takesCredentials()).isTrue();
    }

    @Test
    void theOneWorkerFormIsReadAsAListOfOne() throws Exception {
        SinkService s = sink("""
        {"id": "k", "name": "kafka", "bootstrap_servers": "b:9092", "connect_url": "http://connect:8083",
         "worker_cidr": "10.0.2.0/24",
         "workers": {"plugin_path": "/opt/connect/plugins", "plugin_archive": "/opt/dbz.tar.gz",
                     "secrets_dir": "/opt/connect/secrets", "restart_command": ["systemctl", "restart", "connect"]}}
        """);
        assertThat(s.workers())
                .containsExactly(new SinkService.Worker(
                        "http://connect:8083",
                        "/opt/connect/plugins",
                        "/opt/connect/secrets",
                        SinkService.Restart.command(List.of("systemctl", "restart", "connect"), null)));
        assertThat(s.workerSecretsDir()).isEqualTo("/opt/connect/secrets");
        assertThat(s.pluginArchive()).isEqualTo("/opt/dbz.tar.gz");
        assertThat(s.connectUrl()).isEqualTo("http://connect:8083");
    }

    @Test
    void aConnectUrlAloneIsOneWorkerTheOperatorManages() throws Exception {
        SinkService s = sink("""
        {"id": "k", "name": "kafka", "bootstrap_servers": "b:9092", "connect_url": "http://connect:8083",
         "worker_cidr": "10.0.2.0/24"}
        """);
        assertThat(s.workers()).containsExactly(new SinkService.Worker("http://connect:8083", null, null, null));
        assertThat(s.takesCredentials()).isFalse();
    }

    @Test
    void oneSecretsDirectoryOnEveryWorkerIsWhatTheyRead() throws Exception {
        SinkService s = sink("""
        {"id": "k", "name": "kafka", "bootstrap_servers": "b:9092", "worker_cidr": "10.0.2.0/24",
         "workers": [{"url": "http://c1:8083", "secrets_dir": "/etc/connect/secrets"},
                     {"url": "http://c2:8083", "secrets_dir": "/etc/connect/secrets"}]}
        """);
        assertThat(s.workerSecretsDir()).isEqualTo("/etc/connect/secrets");
    }

    @Test
    void writtenAndReadBackUnchanged() throws Exception {
        SinkService s = new SinkService(
                "k",
                "kafka",
                "b:9092",
                "127.0.0.1/32",
                "/a.tar.gz",
                "/proc/self/cwd/secrets",
                List.of(
                        new SinkService.Worker(
                                "http://127.0.0.1:1",
                                "/w1/plugins",
                                "/w1/secrets",
                                SinkService.Restart.devStack("/home", 1)),
                        new SinkService.Worker("http://127.0.0.1:2", null, null, null)));
        String json = Json.MAPPER.writeValueAsString(s);
        assertThat(json).doesNotContain("null").doesNotContain("connect_url");
        assertThat(sink(json)).isEqualTo(s);
    }

    @Test
    void mistakesNameTheFieldAndTheFix() {
        assertThatThrownBy(() -> sink("""
        {"id": "k", "connect_url": "http://c:8083", "workers": [{"url": "http://c:8083"}]}
        """)).hasMessageContaining("sink k: connect_url and a workers list both given");
        assertThatThrownBy(() -> sink("""
        {"id": "k", "workers": []}
        """)).hasMessageContaining("sink k: workers is missing");
        assertThatThrownBy(() -> sink("""
        {"id": "k", "workers": [{"url": "http://c1:8083"}, {"plugin_path": "/p"}]}
        """)).hasMessageContaining("sink k: workers[1].url is missing");
        assertThatThrownBy(() -> sink("""
        {"id": "k", "workers": [{"url": "http://c1:8083", "plugin_path": "/p"}]}
        """))
                .hasMessageContaining("workers[0].plugin_path is set but the sink has no plugin_archive");
        assertThatThrownBy(() -> sink("""
        {"id": "k", "workers": [{"url": "http://c1:8083", "secrets_dir": "/a"}, {"url": "http://c2:8083",
         "secrets_dir": "/b"}]}
        """))
                .hasMessageContaining("worker_secrets_dir is missing and the workers' secrets_dir differ");
        assertThatThrownBy(() -> sink("""
        {"id": "k", "workers": [{"url": "http://c1:8083", "restart": {"command": ["x"], "dev_home": "/h"}}]}
        """))
                .hasMessageContaining("workers[0].restart needs exactly one of command (argv) or dev_home");
        assertThatThrownBy(() -> sink("""
        {"id": "k", "workers": [{"url": "http://c1:8083", "restart": {"command": ["x"], "timeout_seconds": 0}}]}
        """)).hasMessageContaining("workers[0].restart.timeout_seconds must be positive");
        assertThatThrownBy(() -> sink("""
        {"id": "k", "workers": [{"url": "http://c1:8083", "plugin_pth": "/p"}]}
        """)).hasMessageContaining("plugin_pth");
    }
}
