package dev.basenft.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole wizard in Chromium at the mini app frame's size, against the real dev stack: dev sign-in, details (with the
 * errors of empty fields shown next to them), deploy from the dev wallet, 500 recipients from a CSV file, review (500
 * recipients, 3 batches), distribute, and the campaign page following the drop without a reload to COMPLETED with a
 * transaction per batch; then the list, the keyboard path, and the campaign page on a dark desktop. axe-core on every
 * page. The scenario is {@code src/test/browser/wizard.mjs}.
 */
class WizardBrowserTest {

    @Test
    void aCreatorWalksTheWizardToACompletedDropOf500() {
        String output = BrowserScript.run("wizard", Map.of());

        assertThat(output).contains("axe campaign completed: ", "screenshot ").doesNotContain("page error");
    }
}
