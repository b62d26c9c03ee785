package com.foundrydb.agent.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DebeziumReleaseTest {
    @Test
    void nonAsciiNamesStreamFromThreeFourThree() {
        for (String older :
                List.of("3.3.1.Final", "3.3.2.Final", "3.4.0.Final", "3.4.2.Final", "2.7.4.Final", "3.4.2.CR1")) {
            assertThat(DebeziumRelease.readsNonAsciiNames(older)).as(older).isFalse();
        }
        for (String newer : List.of("3.4.3.Final", "3.4.10.Final", "3.5.2.Final", "3.7.0.Final", "4.0.0.Alpha1")) {
            assertThat(DebeziumRelease.readsNonAsciiNames(newer)).as(newer).isTrue();
        }
        assertThat(DebeziumRelease.readsNonAsciiNames("unknown")).isFalse();
        assertThat(DebeziumRelease.readsNonAsciiNames(null)).isFalse();
    }

    @Test
    void releasesOrderByTheirNumbersNotAsText() {
        List<String> sorted = new ArrayList<>(
                List.of("3.10.0.Final", "3.4.3.Final", "3.4.10.Final", "3.3.2.Final", "x", "3.4.Final"));
        sorted.sort(DebeziumRelease::compare);
        assertThat(sorted)
                .containsExactly("x", "3.3.2.Final", "3.4.Final", "3.4.3.Final", "3.4.10.Final", "3.10.0.Final");
        assertThat(DebeziumRelease.compare("3.4.0.Final", "3.4.Final")).isZero();
    }
}
