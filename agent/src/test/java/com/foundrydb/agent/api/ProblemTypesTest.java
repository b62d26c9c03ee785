package com.foundrydb.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every error code the agent answers has a type and title, and docs/openapi.yaml lists the same ones. */
class ProblemTypesTest {
    /** A code where the agent's sources make a problem: new Problem("code", ... or new ApiException(status, "code", ... */
    private static final Pattern CODE =
            Pattern.compile("new (?:Problem|ApiException)\\(\\s*(?:\\d+,\\s*)?\"([a-z_]+)\"");

    private static final Pattern LISTED = Pattern.compile("^- `([a-z_]+)`: (.+)$", Pattern.MULTILINE);

    @Test
    void everyCodeInTheSourcesHasATitle() throws Exception {
        TreeSet<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = CODE.matcher(Files.readString(f));
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        assertThat(used).as("codes found in the sources").contains("invalid", "not_found", "unsupported_media_type");
        assertThat(ProblemTypes.TITLES.keySet())
                .as("codes with a type and title")
                .containsAll(used);
    }

    @Test
    void theSpecListsEachCodeWithItsTitle() throws Exception {
        JsonNode spec = new YAMLMapper()
                .readTree(Path.of(System.getProperty("foundrydb.openapi")).toFile());
        String listing =
                spec.at("/components/schemas/Error/properties/code/description").asText();
        Map<String, String> listed = new TreeMap<>();
        Matcher m = LISTED.matcher(listing);
        while (m.find()) {
            listed.put(m.group(1), m.group(2).strip());
        }
        assertThat(listed).isEqualTo(new TreeMap<>(ProblemTypes.TITLES));
    }

    @Test
    void aKnownCodesTypeIsItsOwnAndAnUnknownOneIsAboutBlank() {
        assertThat(ProblemTypes.type("no_primary_key")).isEqualTo("https://foundrydb.com/problems/no_primary_key");
        assertThat(ProblemTypes.type("made_up")).isEqualTo("about:blank");
        assertThat(ProblemTypes.title("made_up", 422)).isEqualTo("Unprocessable Content");
        assertThat(ProblemTypes.title("made_up", 599)).isEqualTo("HTTP 599");
    }
}
