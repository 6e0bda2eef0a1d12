package kz.freedomid.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = PasswordHasher.owasp(new SecureRandom());

    @Test
    void hashIsArgon2idWithOwaspParametersAndVerifies() {
        String hash = hasher.hash("correct horse battery");
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(hasher.verify("correct horse battery", hash)).isTrue();
        assertThat(hasher.verify("correct horse batterY", hash)).isFalse();
        assertThat(hasher.hash("correct horse battery")).isNotEqualTo(hash); // salted
    }

    @Test
    void verifyWithoutAHashIsFalseAndStillDoesTheWork() {
        assertThat(hasher.verify("anything", null)).isFalse();
    }

    @Test
    void hashesMadeWithOtherParametersStillVerify() {
        String cheap = new PasswordHasher(1024, 1, 1, new SecureRandom()).hash("pw-123456");
        assertThat(hasher.verify("pw-123456", cheap)).isTrue();
    }
}
