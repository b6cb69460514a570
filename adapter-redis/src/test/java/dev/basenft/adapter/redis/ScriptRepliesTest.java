package dev.basenft.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.adapter.redis.internal.QueueKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The typed side of the scripts: the refusal numbers the Lua answers are exactly the ones {@link Refusal} names, and a
 * take reply is read field by field into {@link TakeScript.Taken}, falling back to the settings where a job's options say
 * nothing (as a Node producer's may).
 */
class ScriptRepliesTest {

    private static final Pattern REFUSAL = Pattern.compile("return \\{?(-\\d+)\\}?");

    @Test
    void theSettlingScriptsRefuseWithExactlyTheNamedCodes() throws IOException {
        Set<Long> named = Arrays.stream(Refusal.values()).map(Refusal::code).collect(Collectors.toCollection(TreeSet::new));

        assertThat(refusalsIn("finish")).isEqualTo(named);
        assertThat(refusalsIn("reschedule")).isEqualTo(named);
    }

    @Test
    void readsACodeAsSettledOrAsItsRefusal() {
        assertThat(Refusal.of(Refusal.SETTLED, "j")).isEmpty();
        for (Refusal refusal : Refusal.values()) {
            assertThat(Refusal.of(refusal.code(), "j")).contains(refusal);
        }
        assertThat(Refusal.LOCK_TAKEN.message("j")).isEqualTo(
                "Job j was not settled: its lock is held by another worker, which took the job over");
        assertThatThrownBy(() -> Refusal.of(-99, "j")).isInstanceOf(IllegalStateException.class)
                .hasMessage("Job j was not settled: the script answered -99");
    }

    @Test
    void readsATakeReplyByName() {
        RedisQueueSettings settings = RedisQueueSettings.builder().attempts(4).keepCompleted(11).keepFailed(12)
                .backoff(Backoff.fixed(Duration.ofSeconds(2))).build();
        TakeScript take = new TakeScript(QueueKeys.of(settings.keyPrefix()), settings);

        TakeScript.Next own = take.read(List.of("job-1", "9b2f4a53-1f9e-4f55-9a55-2b1f0a1e7c11", "2", "5", "exponential",
                "1000", "0.5", "3", "-1", ""), "token-1");
        assertThat(own).isEqualTo(new TakeScript.Taken("job-1", "token-1", "9b2f4a53-1f9e-4f55-9a55-2b1f0a1e7c11", 2, 5,
                Backoff.exponential(Duration.ofSeconds(1)).withJitter(0.5), 3, -1, ""));

        TakeScript.Next bare = take.read(List.of("job-2", "", "0", "", "custom", "", "", "", "", "stalled"), "token-2");
        assertThat(bare).isEqualTo(new TakeScript.Taken("job-2", "token-2", "", 0, 4, settings.backoff(), 11, 12,
                "stalled"));

        assertThat(take.read(List.of("", "1700000000000"), "token-3")).isEqualTo(new TakeScript.Nothing(1_700_000_000_000L));
        assertThat(take.read(List.of("", "-1"), "token-4")).isEqualTo(new TakeScript.Nothing(-1));
    }

    private static Set<Long> refusalsIn(String script) throws IOException {
        String path = "/dev/basenft/adapter/redis/lua/" + script + ".lua";
        try (InputStream in = ScriptRepliesTest.class.getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            Matcher m = REFUSAL.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            Set<Long> codes = new TreeSet<>();
            while (m.find()) {
                codes.add(Long.parseLong(m.group(1)));
            }
            return codes;
        }
    }
}
