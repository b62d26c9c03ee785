package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Where a pipeline role's password must never show: the API, Connect's REST API, the logs. */
final class PasswordCheck {
  private PasswordCheck() {
  }

  /** Also in the logs given: those of other agents on the store. */
  static void assertNeverShown(TestStack s, String id, Path... moreLogs) throws Exception {
    Path secret = s.stack().connect().secretsDir().resolve("foundrydb-" + id + ".properties");
    Properties p = new Properties();
    try (var in = Files.newInputStream(secret)) {
      p.load(in);
    }
    String password = p.getProperty("password");
    assertThat(password).hasSizeGreaterThan(20);
    assertThat(s.api().call("GET", "/v1/pipelines/" + id + "?live=true", null).raw()).doesNotContain(password);
    assertThat(s.api().call("GET", "/v1/pipelines", null).raw()).doesNotContain(password);
    String config = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
        s.connectUrl() + "/connectors/foundrydb-" + id + "/config")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(config).doesNotContain(password).contains("${file:");
    assertThat(s.agent().logText()).as("agent log").doesNotContain(password);
    for (Path log : moreLogs) {
      assertThat(Files.readString(log)).as(log.toString()).doesNotContain(password);
    }
    assertThat(Files.readString(s.stack().connect().log())).as("Connect worker log").doesNotContain(password);
  }
}
