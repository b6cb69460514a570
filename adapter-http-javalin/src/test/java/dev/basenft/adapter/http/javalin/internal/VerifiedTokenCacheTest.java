package dev.basenft.adapter.http.javalin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.model.Fid;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerifiedTokenCacheTest {

    private static final JwksCache.KeySet KEYS = new JwksCache.KeySet(List.of(), Instant.EPOCH);

    @Test
    void findsOnlyTheExactToken() {
        VerifiedTokenCache cache = new VerifiedTokenCache(10);
        cache.put("a.b.c", new VerifiedTokenCache.Entry(new Fid(1), 100, KEYS), 0);
        assertThat(cache.get("a.b.c").fid()).isEqualTo(new Fid(1));
        assertThat(cache.get("a.b.d")).isNull();
        assertThat(cache.get("a.b.c ")).isNull();
    }

    @Test
    void whenFullDropsExpiredEntriesFirstThenEverything() {
        VerifiedTokenCache cache = new VerifiedTokenCache(3);
        cache.put("old-1", new VerifiedTokenCache.Entry(new Fid(1), 50, KEYS), 0);
        cache.put("old-2", new VerifiedTokenCache.Entry(new Fid(2), 50, KEYS), 0);
        cache.put("live", new VerifiedTokenCache.Entry(new Fid(3), 500, KEYS), 0);
        cache.put("new", new VerifiedTokenCache.Entry(new Fid(4), 500, KEYS), 100);
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get("live")).isNotNull();
        assertThat(cache.get("old-1")).isNull();
        cache.put("more", new VerifiedTokenCache.Entry(new Fid(5), 500, KEYS), 100);
        cache.put("overflow", new VerifiedTokenCache.Entry(new Fid(6), 500, KEYS), 100);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.get("overflow")).isNotNull();
    }

    @Test
    void capacityMustBePositive() {
        assertThatThrownBy(() -> new VerifiedTokenCache(0)).hasMessageContaining("capacity");
    }
}
