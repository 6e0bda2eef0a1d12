package kz.freedomid.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
    @Test
    void defaultsGiveADevelopmentServerOnH2InTheDataDirectory() {
        Config config = Config.from(Map.of());
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.issuer()).isEqualTo("http://localhost:8080");
        assertThat(config.dbUrl()).startsWith("jdbc:h2:file:").contains("data");
        assertThat(config.dev()).isTrue();
        assertThat(config.smsSender()).isEqualTo("log");
    }

    @Test
    void productionNeedsAnSmsGateway() {
        assertThatThrownBy(() -> Config.from(Map.of("FREEDOM_ID_DEV", "false")))
                .hasMessage("Bad setting FREEDOM_ID_SMS_URL: required when the SMS sender is 'http'");
        assertThatThrownBy(() -> Config.from(Map.of("FREEDOM_ID_DEV", "false", "FREEDOM_ID_SMS_URL", "https://sms.example/send")))
                .hasMessageStartingWith("Bad setting FREEDOM_ID_MASTER_KEY: required when development mode is off");
        Config config = Config.from(Map.of("FREEDOM_ID_DEV", "false", "FREEDOM_ID_SMS_URL", "https://sms.example/send",
                "FREEDOM_ID_ISSUER", "https://id.example.kz/", "FREEDOM_ID_MASTER_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
        assertThat(config.issuer()).isEqualTo("https://id.example.kz");
        assertThat(config.https()).isTrue();
    }

    @Test
    void eachBadSettingIsNamed() {
        assertThatThrownBy(() -> Config.from(Map.of("FREEDOM_ID_PORT", "70000")))
                .hasMessage("Bad setting FREEDOM_ID_PORT: must be between 0 and 65535");
        assertThatThrownBy(() -> Config.from(Map.of("FREEDOM_ID_DEV", "maybe")))
                .hasMessageStartingWith("Bad setting FREEDOM_ID_DEV");
        assertThatThrownBy(() -> Config.from(Map.of("FREEDOM_ID_ISSUER", "localhost:8080")))
                .hasMessageStartingWith("Bad setting FREEDOM_ID_ISSUER");
        assertThatThrownBy(() -> Config.from(Map.of("FREEDOM_ID_DB_URL", "jdbc:mysql://x/y")))
                .hasMessageStartingWith("Bad setting FREEDOM_ID_DB_URL");
        assertThatThrownBy(() -> Config.from(Map.of("FREEDOM_ID_DEV", "false", "FREEDOM_ID_SMS_SENDER", "log")))
                .hasMessageStartingWith("Bad setting FREEDOM_ID_SMS_SENDER");
    }

    @Test
    void cacheMaxAgeIsThirtySecondsByDefaultAndBetweenOneSecondAndAnHour() {
        assertThat(Config.from(Map.of()).cacheMaxAge()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(Config.from(Map.of("FREEDOM_ID_CACHE_MAX_AGE_SECONDS", "600")).cacheMaxAge())
                .isEqualTo(java.time.Duration.ofMinutes(10));
        assertThatThrownBy(() -> Config.from(Map.of("FREEDOM_ID_CACHE_MAX_AGE_SECONDS", "0")))
                .hasMessage("Bad setting FREEDOM_ID_CACHE_MAX_AGE_SECONDS: must be between 1 and 3600");
        assertThat(Config.from(Map.of()).withPort(0).cacheMaxAge()).isEqualTo(java.time.Duration.ofSeconds(30));
    }

    @Test
    void adminTokenIsOffByDefaultAndMustBeLongWhenSet() {
        assertThat(Config.from(Map.of()).adminApiEnabled()).isFalse();
        assertThatThrownBy(() -> Config.from(Map.of("FREEDOM_ID_ADMIN_TOKEN", "short")))
                .hasMessageStartingWith("Bad setting FREEDOM_ID_ADMIN_TOKEN: must be at least 32 characters");
        Config config = Config.from(Map.of("FREEDOM_ID_ADMIN_TOKEN", "0123456789abcdef0123456789abcdef"));
        assertThat(config.adminApiEnabled()).isTrue();
        assertThat(config.toString()).doesNotContain("0123456789abcdef");
    }

    @Test
    void auditRetentionIsAnIsoDurationOrDaysAndNinetyDaysByDefault() {
        assertThat(Config.from(Map.of()).auditRetention()).isEqualTo(java.time.Duration.ofDays(90));
        assertThat(Config.from(Map.of("FREEDOM_ID_AUDIT_RETENTION", "30")).auditRetention())
                .isEqualTo(java.time.Duration.ofDays(30));
        assertThat(Config.from(Map.of("FREEDOM_ID_AUDIT_RETENTION", "P365D")).auditRetention())
                .isEqualTo(java.time.Duration.ofDays(365));
        assertThat(Config.from(Map.of("FREEDOM_ID_AUDIT_RETENTION", "pt12h")).auditRetention())
                .isEqualTo(java.time.Duration.ofHours(12));
        for (String bad : java.util.List.of("ninety", "PT1M", "0", "99999999999999999999", "P-1D")) {
            assertThatThrownBy(() -> Config.from(Map.of("FREEDOM_ID_AUDIT_RETENTION", bad)))
                    .as(bad).hasMessageStartingWith("Bad setting FREEDOM_ID_AUDIT_RETENTION");
        }
    }
}
