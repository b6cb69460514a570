package dev.basenft.app.doctor;

import dev.basenft.core.model.Require;

/**
 * One check's verdict, in words an operator acts on.
 *
 * @param verdict never null
 * @param check the check's short name, e.g. {@code schema}; never blank
 * @param words what was found and, when something is wrong, what to do; never blank
 */
public record Finding(Verdict verdict, String check, String words) {

    public Finding {
        Require.notNull("verdict", verdict);
        Require.text("check", check, 1, 40);
        Require.text("words", words, 1, 100_000);
    }

    /** Fine; WARN needs a look; FAIL needs an operator (doctor exits 1). */
    public enum Verdict {
        OK, WARN, FAIL
    }

    static Finding ok(String check, String words) {
        return new Finding(Verdict.OK, check, words);
    }

    static Finding warn(String check, String words) {
        return new Finding(Verdict.WARN, check, words);
    }

    static Finding fail(String check, String words) {
        return new Finding(Verdict.FAIL, check, words);
    }

    /** One line: the verdict and the check in fixed columns, then the words. */
    public String line() {
        return String.format("%-4s %-8s %s", verdict, check, words);
    }
}
