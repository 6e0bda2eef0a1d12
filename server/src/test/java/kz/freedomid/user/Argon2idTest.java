package kz.freedomid.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

class Argon2idTest {

    /** Bouncy Castle's Argon2id, version 0x13: the reference the fast implementation must match bit for bit. */
    static byte[] bouncyCastle(byte[] password, byte[] salt, byte[] secret, byte[] ad, int m, int t, int p, int length) {
        Argon2Parameters.Builder params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(m).withIterations(t).withParallelism(p).withSalt(salt);
        if (secret != null) params.withSecret(secret);
        if (ad != null) params.withAdditional(ad);
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params.build());
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }

    /** Both G's (scalar, and vector where this JVM has it) against Bouncy Castle. */
    private static void assertMatches(byte[] password, byte[] salt, byte[] secret, byte[] ad, int m, int t, int p,
                                      int length, long[] memory) {
        byte[] expected = bouncyCastle(password, salt, secret, ad, m, t, p, length);
        String what = "m=%d t=%d p=%d length=%d".formatted(m, t, p, length);
        assertThat(Argon2id.hash(password, salt, secret, ad, m, t, p, length, memory, false)).as(what).isEqualTo(expected);
        if (Argon2id.vectorized()) {
            assertThat(Argon2id.hash(password, salt, secret, ad, m, t, p, length, memory, true)).as(what).isEqualTo(expected);
        }
    }

    @Test
    void vectorGIsUsedWhereTheJvmAndTheCpuAllowIt() {
        // Surefire starts the JVM with --add-modules jdk.incubator.vector; a silent fall-back would lose the speed.
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
        assertThat(Argon2id.vectorized()).isEqualTo(Argon2idVector.hardwareSupported());
    }

    @Test
    void rfc9106TestVector() {
        // RFC 9106 section 5.3.
        byte[] password = filled(32, 0x01);
        byte[] salt = filled(16, 0x02);
        byte[] secret = filled(8, 0x03);
        byte[] ad = filled(12, 0x04);
        String expected = "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659";
        long[] memory = new long[Argon2id.memoryLongs(32, 4)];
        assertThat(HexFormat.of().formatHex(Argon2id.hash(password, salt, secret, ad, 32, 3, 4, 32, memory, false)))
                .isEqualTo(expected);
        assertThat(HexFormat.of().formatHex(Argon2id.hash(password, salt, secret, ad, 32, 3, 4, 32))).isEqualTo(expected);
        if (Argon2id.vectorized()) {
            assertThat(HexFormat.of().formatHex(Argon2id.hash(password, salt, secret, ad, 32, 3, 4, 32, memory, true)))
                    .isEqualTo(expected);
        }
    }

    @Test
    void matchesBouncyCastleOnSmallParameters() {
        Random random = new Random(20240917);
        long[] memory = new long[Argon2id.memoryLongs(1100, 1)];
        int cases = 0;
        for (int p : new int[] {1, 2, 4}) {
            // 8p is the minimum; 8p + 3 and 37 are not multiples of 4p (rounded down); 1100 with one lane has segments
            // of 275 blocks, which need three blocks of addresses (128 each) in the first half of the first pass.
            for (int m : new int[] {8 * p, 8 * p + 3, 37, 64, 1100}) {
                for (int t = 1; t <= 3; t++) {
                    for (int length : new int[] {16, 32, 64, 65, 100}) {
                        byte[] password = bytes(random, random.nextInt(65));
                        byte[] salt = bytes(random, 8 + random.nextInt(25));
                        byte[] secret = random.nextInt(3) == 0 ? bytes(random, 1 + random.nextInt(32)) : null;
                        byte[] ad = random.nextInt(3) == 0 ? bytes(random, 1 + random.nextInt(32)) : null;
                        assertMatches(password, salt, secret, ad, m, t, p, length, memory);
                        cases++;
                    }
                }
            }
        }
        assertThat(cases).isEqualTo(225);
    }

    @Test
    void matchesBouncyCastleAtTheOwaspSize() {
        Random random = new Random(7);
        long[] memory = new long[Argon2id.memoryLongs(19_456, 1)];
        for (int[] params : new int[][] {{19_456, 2, 1}, {19_456, 2, 1}, {19_456, 1, 2}, {19_456, 3, 4}}) {
            byte[] password = bytes(random, 12);
            byte[] salt = bytes(random, 16);
            int m = params[0];
            int t = params[1];
            int p = params[2];
            assertMatches(password, salt, null, null, m, t, p, 32, memory);
        }
    }

    @Test
    void memoryBelowTheMinimumIsRaisedLikeBouncyCastleDoes() {
        byte[] password = "pw".getBytes();
        byte[] salt = filled(16, 9);
        assertThat(Argon2id.blocks(3, 1)).isEqualTo(8);
        assertThat(Argon2id.hash(password, salt, null, null, 3, 1, 1, 32))
                .isEqualTo(bouncyCastle(password, salt, null, null, 3, 1, 1, 32));
    }

    @Test
    void memoryIsReusableLargerThanNeededAndLeftZeroed() {
        Random random = new Random(3);
        long[] memory = new long[Argon2id.memoryLongs(1024, 1)];
        for (int[] params : new int[][] {{1024, 2, 1}, {64, 1, 2}, {1000, 3, 4}, {1024, 1, 1}}) {
            byte[] password = bytes(random, 20);
            byte[] salt = bytes(random, 16);
            int m = params[0];
            int t = params[1];
            int p = params[2];
            assertThat(Argon2id.hash(password, salt, null, null, m, t, p, 32, memory))
                    .isEqualTo(Argon2id.hash(password, salt, null, null, m, t, p, 32))
                    .isEqualTo(bouncyCastle(password, salt, null, null, m, t, p, 32));
            assertThat(Arrays.stream(memory).allMatch(word -> word == 0)).isTrue();
        }
    }

    @Test
    void refusesWhatArgon2DoesNotDefine() {
        byte[] salt = new byte[16];
        assertThatThrownBy(() -> Argon2id.hash(new byte[1], salt, null, null, 64, 0, 1, 32))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Argon2id.hash(new byte[1], salt, null, null, 64, 1, 0, 32))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Argon2id.hash(new byte[1], salt, null, null, 64, 1, 1, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Argon2id.hash(new byte[1], salt, null, null, 64, 1, 1, 32, new long[63 * 128]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static byte[] bytes(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }
}
