package kz.freedomid.user;

import java.lang.ref.SoftReference;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * Argon2id in the PHC string format ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}).
 * Defaults are OWASP's first recommendation: 19 MiB, 2 iterations, 1 lane.
 */
public final class PasswordHasher {
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    private final SecureRandom random;
    private final String dummyHash;
    /**
     * At most one derivation per core at a time: Argon2 is CPU-bound, so more in parallel only adds {@code memoryKib}
     * of heap each (19 MiB) and shares the same cores; with virtual threads nothing else would bound it.
     */
    private final Semaphore derivations = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()), true);
    /**
     * Argon2 memory for today's parameters, kept between derivations instead of allocating 19 MiB each time. A new one
     * is made only when none is free, and at most one is in use per permit, so there are never more than permits.
     * Softly held: memory the heap needs, or that stayed unused a while, goes back to the collector.
     */
    private final Queue<SoftReference<long[]>> memories = new ConcurrentLinkedQueue<>();
    private final int memoryLongs;

    public PasswordHasher(int memoryKib, int iterations, int parallelism, SecureRandom random) {
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.random = random;
        this.memoryLongs = Argon2id.memoryLongs(memoryKib, parallelism);
        // Verified against when a user has no password: the same parameters cost the same work, and a random "hash"
        // matches nothing, so there is no need to spend a derivation on it at start-up.
        byte[] salt = new byte[16];
        byte[] hash = new byte[32];
        random.nextBytes(salt);
        random.nextBytes(hash);
        this.dummyHash = "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    public static PasswordHasher owasp(SecureRandom random) {
        return new PasswordHasher(19_456, 2, 1, random);
    }

    public String hash(String password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] out = bounded(password, salt, memoryKib, iterations, parallelism, 32);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    }

    /** Verifies in constant time; with a null hash it still spends the same work, so timing reveals nothing. */
    public boolean verify(String password, String phc) {
        String target = phc == null ? dummyHash : phc;
        boolean ok = verifyPhc(password, target);
        return phc != null && ok;
    }

    /**
     * True when a stored hash was made with other parameters (or another algorithm) than today's: after a successful
     * sign-in the password is hashed again with the current ones, so raising the cost reaches every active user.
     */
    public boolean needsRehash(String phc) {
        return phc != null && !phc.startsWith("$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$");
    }

    private boolean verifyPhc(String password, String phc) {
        String[] parts = phc.split("\\$");
        if (parts.length != 6 || !"argon2id".equals(parts[1])) return false;
        int m = 0;
        int t = 0;
        int p = 0;
        for (String kv : parts[3].split(",")) {
            String[] pair = kv.split("=", 2);
            int value = Integer.parseInt(pair[1]);
            switch (pair[0]) {
                case "m" -> m = value;
                case "t" -> t = value;
                case "p" -> p = value;
                default -> { return false; }
            }
        }
        byte[] salt = B64D.decode(parts[4]);
        byte[] expected = B64D.decode(parts[5]);
        byte[] actual = bounded(password, salt, m, t, p, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    private byte[] bounded(String password, byte[] salt, int m, int t, int p, int length) {
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        derivations.acquireUninterruptibly();
        try {
            // Older hashes may need more memory than today's parameters: that one is made for the occasion, not kept.
            int needed = Argon2id.memoryLongs(m, p);
            long[] memory = needed <= memoryLongs ? takeMemory() : new long[needed];
            try {
                return Argon2id.hash(bytes, salt, null, null, m, t, p, length, memory);
            } finally {
                if (memory.length == memoryLongs) memories.add(new SoftReference<>(memory));
            }
        } finally {
            derivations.release();
        }
    }

    private long[] takeMemory() {
        for (SoftReference<long[]> ref; (ref = memories.poll()) != null; ) {
            long[] memory = ref.get();
            if (memory != null) return memory;
        }
        return new long[memoryLongs];
    }
}
