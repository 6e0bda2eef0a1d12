package kz.freedomid.dpop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import kz.freedomid.platform.Config;
import org.junit.jupiter.api.Test;

/** FREEDOM_ID_DPOP_NONCE: optional by default, required on demand, anything else stops start-up naming the setting. */
class DPoPSettingTest {
    @Test
    void nonceIsOptionalByDefaultAndRequiredOnDemand() {
        assertThat(Config.from(Map.of()).dpopNonceRequired()).isFalse();
        assertThat(Config.from(Map.of("FREEDOM_ID_DPOP_NONCE", "optional")).dpopNonceRequired()).isFalse();
        assertThat(Config.from(Map.of("FREEDOM_ID_DPOP_NONCE", "Required")).dpopNonceRequired()).isTrue();
        assertThatThrownBy(() -> Config.from(Map.of("FREEDOM_ID_DPOP_NONCE", "sometimes")))
                .hasMessageStartingWith("Bad setting FREEDOM_ID_DPOP_NONCE");
    }
}
