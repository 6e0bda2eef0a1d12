package kz.freedomid.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

    @Test
    void verifiesHashesMadeByBouncyCastle() {
        // PHC strings as the previous implementation (Bouncy Castle's generator) wrote them.
        assertThat(hasher.verify("steppe-eagle-2024", bouncyCastlePhc("steppe-eagle-2024", 19_456, 2, 1))).isTrue();
        assertThat(hasher.verify("steppe-eagle-2025", bouncyCastlePhc("steppe-eagle-2024", 19_456, 2, 1))).isFalse();
        assertThat(hasher.verify("жусан-2024", bouncyCastlePhc("жусан-2024", 2048, 3, 2))).isTrue();
        assertThat(hasher.verify("old", bouncyCastlePhc("old", 65_536, 1, 4))).isTrue(); // more memory than today's
    }

    @Test
    void bouncyCastleVerifiesOurHashes() {
        String phc = hasher.hash("correct horse battery");
        String[] parts = phc.split("\\$");
        byte[] salt = Base64.getDecoder().decode(parts[4]);
        byte[] tag = Base64.getDecoder().decode(parts[5]);
        assertThat(Argon2idTest.bouncyCastle("correct horse battery".getBytes(StandardCharsets.UTF_8), salt, null, null,
                19_456, 2, 1, 32)).isEqualTo(tag);
    }

    @Test
    void concurrentDerivationsDoNotShareMemory() throws Exception {
        PasswordHasher cheap = new PasswordHasher(2048, 1, 1, new SecureRandom());
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < 8; i++) hashes.add(cheap.hash("password-" + i));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < 8; i++) {
                    String hash = hashes.get(i);
                    String password = "password-" + i;
                    results.add(pool.submit(() -> cheap.verify(password, hash) && !cheap.verify(password + "!", hash)));
                }
            }
            for (Future<Boolean> result : results) assertThat(result.get()).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    private static String bouncyCastlePhc(String password, int m, int t, int p) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] tag = Argon2idTest.bouncyCastle(password.getBytes(StandardCharsets.UTF_8), salt, null, null, m, t, p, 32);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + m + ",t=" + t + ",p=" + p + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(tag);
    }
}
