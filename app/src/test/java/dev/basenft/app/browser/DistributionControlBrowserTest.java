package dev.basenft.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The campaign page's Pause, Resume and Cancel buttons, reached with Tab and pressed with Enter or Space: a running drop
 * of 6,000 recipients is paused (PAUSED on the page and in the API, Resume offered, nothing more minted while it stays
 * paused), checked with axe, resumed and followed to COMPLETED; a second running drop is cancelled through the confirm
 * dialog (dismissing it changes nothing) and shows CANCELLED, as the API does. The scenario is
 * {@code src/test/browser/control.mjs}.
 */
class DistributionControlBrowserTest {

    @Test
    void keyboardPausesResumesAndCancelsARunningDrop() {
        String output = BrowserScript.run("control", Map.of());

        assertThat(output).contains("axe paused campaign: ", "still paused at ", "axe cancelled campaign: ");
    }
}
