package kz.freedomid.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import kz.freedomid.testing.MutableClock;
import org.junit.jupiter.api.Test;

class IdsAndSecretsTest {
    @Test
    void v7IdsCarryTheMillisecondAndSortByTime() {
        MutableClock clock = new MutableClock(Instant.parse("2025-03-04T06:35:50.123Z"));
        Ids ids = new Ids(clock, new SecureRandom());
        UUID first = ids.v7();
        clock.advance(java.time.Duration.ofMillis(1));
        UUID second = ids.v7();
        assertThat(first.version()).isEqualTo(7);
        assertThat(first.variant()).isEqualTo(2);
        assertThat(first.getMostSignificantBits() >>> 16).isEqualTo(Instant.parse("2025-03-04T06:35:50.123Z").toEpochMilli());
        assertThat(first.toString().compareTo(second.toString())).isNegative();
        assertThat(ids.random().version()).isEqualTo(4);
    }

    @Test
    void tokensAreAlphanumericOfTheAskedLengthAndHashesAreStable() {
        Secrets secrets = new Secrets(new SecureRandom());
        String token = secrets.alphanumeric(128);
        assertThat(token).hasSize(128).matches("[A-Za-z0-9]{128}");
        assertThat(secrets.alphanumeric(128)).isNotEqualTo(token);
        assertThat(Secrets.sha256("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Secrets.constantTimeEquals("a", "a")).isTrue();
        assertThat(Secrets.constantTimeEquals("a", "b")).isFalse();
        assertThat(Secrets.constantTimeEquals(null, "b")).isFalse();
    }

    @Test
    void redirectsKeepTheExistingQueryAndEncodeValues() {
        assertThat(Redirects.withParams("https://shop.example/cb?shop=1", Map.of("state", "a b&c")))
                .isEqualTo("https://shop.example/cb?shop=1&state=a+b%26c");
        assertThat(Redirects.withParams("https://shop.example/cb", Map.of("error_code", "100103")))
                .isEqualTo("https://shop.example/cb?error_code=100103");
    }

    @Test
    void timestampsHaveSixFractionalDigits() {
        assertThat(Json.timestamp(Instant.parse("2025-03-04T06:35:50Z"))).isEqualTo("2025-03-04T06:35:50.000000Z");
        assertThat(Json.timestamp(Instant.parse("2025-03-04T06:35:50.123456789Z"))).isEqualTo("2025-03-04T06:35:50.123456Z");
    }
}
