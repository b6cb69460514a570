package dev.basenft.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A recipient list with bad lines, pasted in Chromium: the server's line-numbered errors are shown at their lines and
 * next to the field, the server has stored nothing, and the corrected list then goes in. The scenario is
 * {@code src/test/browser/bad-csv.mjs}.
 */
class BadCsvBrowserTest {

    @Test
    void badLinesAreShownAtTheirLinesAndNothingIsStored() {
        String output = BrowserScript.run("bad-csv", Map.of());

        assertThat(output).contains("Line 3:", "Line 5:", "Line 7:", "axe bad lines: ");
    }
}
