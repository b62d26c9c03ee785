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
        assertThat(out)
                .isEqualTo("# comment\n" + line + "\nlocal   all   all   trust\n\n"
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
        assertThat(PgHba.withEntry("# only comments\n", "L # " + TAG, TAG))
                .isEqualTo("# only comments\nL # " + TAG + "\n");
    }

    @Test
    void theReplacingProgramRenamesOnlyOverTheBytesTheEditStartedFrom() {
        String program = PgHba.program(new PgHba.HbaFile("/data/pg_hba.conf", "", "ab12", "UTF8"));
        assertThat(program)
                .startsWith("f=$(readlink -f -- '/data/pg_hba.conf') || exit 1\n")
                .contains("t=\"$f.foundrydb-new\"")
                .contains("flock -w 30 9 || exit 4")
                .contains("trap 'rm -f -- \"$t\" 2>/dev/null' EXIT")
                .contains("[ \"$(sha256sum < \"$f\")\" = \"ab12  -\" ] || exit 3")
                .endsWith("mv -f -- \"$t\" \"$f\" || exit 1\n");
        // The compare comes before the rename, the write before both.
        assertThat(program.indexOf("cat >")).isLessThan(program.indexOf("sha256sum"));
        assertThat(program.indexOf("sha256sum")).isLessThan(program.indexOf("mv -f"));
    }

    @Test
    void pathsAreSingleQuotedShellWords() {
        assertThat(PgHba.shell("/srv/it's here/pg_hba.conf")).isEqualTo("'/srv/it'\\''s here/pg_hba.conf'");
        assertThat(PgHba.shell("$(reboot)")).isEqualTo("'$(reboot)'");
    }

    @Test
    void writtenContentEndsEveryLine() {
        assertThat(PgHba.normalized("a\nb")).isEqualTo("a\nb\n");
        assertThat(PgHba.normalized("a\n\nb\n")).isEqualTo("a\n\nb\n");
        assertThat(PgHba.normalized("")).isEmpty();
    }
}
