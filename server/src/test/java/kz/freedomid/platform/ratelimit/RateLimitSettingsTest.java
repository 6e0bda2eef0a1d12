package kz.freedomid.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import kz.freedomid.platform.Config;
import kz.freedomid.platform.ratelimit.RateLimitSettings.Rate;
import org.junit.jupiter.api.Test;

/** The FREEDOM_ID_RATE_* settings: the defaults the README documents, 0 for off, and bad values refused by name. */
class RateLimitSettingsTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        RateLimitSettings s = Config.from(Map.of()).rateLimits();
        assertThat(s.otpPerIp()).isEqualTo(new Rate(30, 30, Duration.ofHours(1)));
        assertThat(s.signInPerIp()).isEqualTo(new Rate(30, 30, Duration.ofMinutes(10)));
        assertThat(s.clientCalls()).isEqualTo(new Rate(100, 50, Duration.ofSeconds(1)));
        assertThat(s.clientCallsPerIp()).isEqualTo(new Rate(200, 100, Duration.ofSeconds(1)));
        assertThat(s.clientIpHeader()).isNull();
        assertThat(s.otpPerIp().refillTime()).isEqualTo(Duration.ofHours(1));
        assertThat(s.clientCalls().refillTime()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void settingsOverrideTheDefaultsAndZeroTurnsALimitOff() {
        RateLimitSettings s = RateLimitSettings.from(Map.of("FREEDOM_ID_RATE_OTP_PER_IP_HOUR", "0",
                "FREEDOM_ID_RATE_CLIENT_PER_SECOND", "10", "FREEDOM_ID_CLIENT_IP_HEADER", " X-Forwarded-For "));
        assertThat(s.otpPerIp().off()).isTrue();
        assertThat(s.signInPerIp().off()).isFalse();
        assertThat(s.clientCalls()).isEqualTo(new Rate(20, 10, Duration.ofSeconds(1))); // the burst follows the rate
        assertThat(s.clientIpHeader()).isEqualTo("X-Forwarded-For");
    }

    @Test
    void aBadValueStopsStartUpNamingTheSetting() {
        assertThatThrownBy(() -> RateLimitSettings.from(Map.of("FREEDOM_ID_RATE_CLIENT_BURST", "-1")))
                .hasMessage("Bad setting FREEDOM_ID_RATE_CLIENT_BURST: must be between 0 and 1000000");
        assertThatThrownBy(() -> RateLimitSettings.from(Map.of("FREEDOM_ID_RATE_SIGN_IN_PER_IP_10MIN", "many")))
                .hasMessageContaining("FREEDOM_ID_RATE_SIGN_IN_PER_IP_10MIN");
    }
}
