package com.foundrydb.agent.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PgHbaTest {
  private static final String TAG = "foundrydb:pipeline=pl_abc";
  private static final String FILE = """
      # comment
      local   all   all   trust

      host    all   postgres  127.0.0.1/32  scram-sha-256
      """;

  @Test
  void entryGoesBeforeTheFirstRuleSoNoBroaderRuleShadowsIt() {
    String line = PgHba.entry("host", "shop", "foundrydb_abc", "10.0.0.0/24", TAG);
    String out = PgHba.withEntry(FILE, line, TAG);
    assertThat(out).isEqualTo("# comment\n" + line + "\nlocal   all   all   trust\n\n"
        + "host    all   postgres  127.0.0.1/32  scram-sha-256\n");
    assertThat(line).isEqualTo("host \"shop\" \"foundrydb_abc\" 10.0.0.0/24 scram-sha-256 # " + TAG);
  }

  @Test
  void ensuringTwiceKeepsOneLineAndRemoveRestoresTheBytes() {
    String line = PgHba.entry("hostssl", "shop", "foundrydb_abc", "10.0.0.0/24", TAG);
    String once = PgHba.withEntry(FILE, line, TAG);
    assertThat(PgHba.withEntry(once, line, TAG)).isEqualTo(once);
    assertThat(PgHba.hasTagged(once, TAG)).isTrue();
    assertThat(PgHba.withoutEntry(once, TAG)).isEqualTo(FILE);
    assertThat(PgHba.hasTagged(FILE, TAG)).isFalse();
  }

  @Test
  void anotherPipelinesLineIsNotOurs() {
    String other = PgHba.entry("host", "shop", "foundrydb_abcd", "10.0.0.0/24", "foundrydb:pipeline=pl_abcd");
    String file = FILE + other + "\n";
    assertThat(PgHba.hasTagged(file, TAG)).isFalse();
    assertThat(PgHba.withoutEntry(file, TAG)).isEqualTo(file);
  }

  @Test
  void fileWithoutRulesGetsTheLineAtTheEnd() {
    assertThat(PgHba.withEntry("# only comments\n", "L # " + TAG, TAG)).isEqualTo("# only comments\nL # " + TAG + "\n");
  }
}
