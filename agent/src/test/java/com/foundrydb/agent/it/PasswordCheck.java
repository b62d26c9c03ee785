package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.agent.dev.ConnectWorker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where a pipeline role's password must never show: the API, Connect's REST API, the logs (the
 * agent's and every worker's); and that every worker holds it, as the file connectors refer to.
 */
final class PasswordCheck {
  private PasswordCheck() {
  }

  /** Also in the logs given: those of other agents on the store. */
  static void assertNeverShown(TestStack s, String id, Path... moreLogs) throws Exception {
    String password = null;
    for (ConnectWorker w : s.stack().workers()) {
      Properties p = new Properties();
      try (var in = Files.newInputStream(w.secretsDir().resolve("foundrydb-" + id + ".properties"))) {
        p.load(in);
      }
      assertThat(p.getProperty("password")).as("the credentials file on " + w.name()).hasSizeGreaterThan(20);
      password = password == null ? p.getProperty("password") : password;
      assertThat(p.getProperty("password")).as("every worker holds the same password").isEqualTo(password);
    }
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
    for (ConnectWorker w : s.stack().workers()) {
      assertThat(Files.readString(w.log())).as(w.name() + " log").doesNotContain(password);
    }
  }
}
