package io.ursa.api.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The small ports of Go library behaviour Kuma's messages and checks depend on. */
class GoCompatibilityTest {
    @Test
    void quotesLikeGoStrconvQuote() {
        assertThat(GoQuote.quote("backend-1")).isEqualTo("\"backend-1\"");
        assertThat(GoQuote.quote("")).isEqualTo("\"\"");
        assertThat(GoQuote.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(GoQuote.quote("\n\r\t\u0000\u0007\u007f")).isEqualTo("\"\\n\\r\\t\\x00\\a\\x7f\"");
        assertThat(GoQuote.quote("zürich ☃ 日本")).isEqualTo("\"zürich ☃ 日本\"");
        assertThat(GoQuote.quote("\u00a0\u2028\ud83d\ude00")).isEqualTo("\"\\u00a0\\u2028\ud83d\ude00\"");
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"", "^server[0-9]+", "cluster\\..*\\.upstream_rq_total", "(?i)^CLUSTER", "(?s:a.b)",
            "(?P<first_name>a)", "a{2,3}?", "[\\d\\s]+", "\\Q(?=\\E", "[(?=]", "\\x41\\101", "a*?b+?c??"})
    void acceptsRe2Regexes(String regex) {
        assertThat(FilterRegex.check(regex)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "(?=a)|invalid or unsupported Perl syntax: `(?=`",
            "a(?!b)|invalid or unsupported Perl syntax: `(?!`",
            "(?<=a)b|invalid or unsupported Perl syntax: `(?<`",
            "(?>a)|invalid or unsupported Perl syntax: `(?>`",
            "(?x)a|invalid or unsupported Perl syntax: `(?x`",
            "(a)\\1|invalid escape sequence: `\\1`",
            "[\\8]|invalid escape sequence: `\\8`",
            "a++|invalid nested repetition operator: `++`",
            "a{2}+|invalid nested repetition operator: `{2}+`",
            "a*?+|invalid nested repetition operator: `*?+`",
            "[a-|Illegal character range near index 3",
            "(a|Unclosed group near index 2",
    })
    void rejectsWithAReason(String regex, String reason) {
        assertThat(FilterRegex.check(regex)).contains("error parsing regexp: " + reason);
    }
}
