package dev.basenft.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A drop that fails because its admin paused the collection (every mint reverts), shown as FAILED batches with the
 * reason in words; after the admin unpauses it, clicking Retry Failed says how many batches went back and the page
 * follows the drop to COMPLETED. The scenario is {@code src/test/browser/retry.mjs}.
 */
class RetryFailedBrowserTest {

    @Test
    void aPausedCollectionFailsTheDropAndRetryFailedRescuesIt() {
        String output = BrowserScript.run("retry", Map.of());

        assertThat(output).contains("axe failed campaign: ", "axe rescued campaign: ");
    }
}
