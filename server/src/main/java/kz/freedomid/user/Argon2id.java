package kz.freedomid.user;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * Argon2id, version 0x13 (RFC 9106), written for speed on one core: the whole memory is one flat {@code long[]} the
 * caller may reuse between derivations, and the compression function works on local variables. Lanes ({@code p > 1})
 * are filled one after the other, which gives the same output as filling them in parallel (RFC 9106 section 3.4).
 * Blake2b for H0 and H' (a few hundred bytes per derivation) is Bouncy Castle's. Where the JVM has the incubating
 * Vector API ({@code --add-modules jdk.incubator.vector}) and the CPU 256-bit vectors, G runs on vectors instead
 * ({@link Argon2idVector}); the system property {@code freedomid.argon2.vector=false} keeps the scalar G.
 */
public final class Argon2id {
    private static final int BLOCK = 128; // longs in a 1 KiB block
    private static final int SLICES = 4;
    private static final int VERSION = 0x13;
    private static final int TYPE = 2; // Argon2id
    private static final long[] ZERO = new long[BLOCK];
    private static final int ADDRESSES = 2 * BLOCK; // where the scratch keeps the address block
    private static final int INPUT = 3 * BLOCK; // and the input block it is made from

    private Argon2id() {}

    /**
     * Blocks of memory for these parameters: m rounded down to a multiple of 4p (RFC 9106 section 3.2, step 2). Like
     * Bouncy Castle, m below the minimum 8p is raised to 8p rather than refused (H0 still hashes the m given).
     */
    public static int blocks(int memoryKib, int lanes) {
        if (lanes < 1 || lanes > 0xFFFFFF) throw new IllegalArgumentException("lanes must be 1..2^24-1");
        int m = Math.max(memoryKib, 2 * SLICES * lanes);
        return m / (SLICES * lanes) * (SLICES * lanes);
    }

    /** Length of the {@code long[]} a derivation with these parameters needs as memory. */
    public static int memoryLongs(int memoryKib, int lanes) {
        return Math.multiplyExact(blocks(memoryKib, lanes), BLOCK);
    }

    /** Whether G runs on vectors; decided at the first derivation, not when the class loads (start-up stays lean). */
    private static final class Vectors {
        static final boolean ON = usable();

        /** Only when the API is there, the CPU has the width, and the vector G agrees with the scalar one. */
        private static boolean usable() {
            if ("false".equals(System.getProperty("freedomid.argon2.vector"))) return false;
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) return false;
            try {
                if (!Argon2idVector.hardwareSupported()) return false;
                SplittableRandom random = new SplittableRandom(9106);
                long[] x = random.longs(BLOCK).toArray();
                long[] y = random.longs(BLOCK).toArray();
                long[] scalar = random.longs(BLOCK).toArray();
                long[] vector = scalar.clone();
                compress(x, 0, y, 0, scalar, 0, true, new long[2 * BLOCK]);
                Argon2idVector.compress(x, 0, y, 0, vector, 0, true, new long[2 * BLOCK]);
                return Arrays.equals(scalar, vector);
            } catch (LinkageError | RuntimeException e) {
                return false;
            }
        }
    }

    /** True when derivations use the vector G (see the class comment). */
    public static boolean vectorized() {
        return Vectors.ON;
    }

    /** Derives a tag in fresh memory; {@code secret} and {@code associatedData} may be null (empty). */
    public static byte[] hash(byte[] password, byte[] salt, byte[] secret, byte[] associatedData,
                              int memoryKib, int iterations, int lanes, int tagLength) {
        return hash(password, salt, secret, associatedData, memoryKib, iterations, lanes, tagLength,
                new long[memoryLongs(memoryKib, lanes)]);
    }

    /**
     * Derives a tag using {@code memory} (at least {@link #memoryLongs} long; its old content does not matter: every
     * block is written before it is read). The memory is zeroed before returning, so no intermediate state is left.
     */
    public static byte[] hash(byte[] password, byte[] salt, byte[] secret, byte[] associatedData,
                              int memoryKib, int iterations, int lanes, int tagLength, long[] memory) {
        return hash(password, salt, secret, associatedData, memoryKib, iterations, lanes, tagLength, memory, Vectors.ON);
    }

    static byte[] hash(byte[] password, byte[] salt, byte[] secret, byte[] associatedData,
                       int memoryKib, int iterations, int lanes, int tagLength, long[] memory, boolean vector) {
        if (iterations < 1) throw new IllegalArgumentException("iterations must be at least 1");
        if (tagLength < 4) throw new IllegalArgumentException("tag length must be at least 4");
        int blocks = blocks(memoryKib, lanes);
        if (memory.length < memoryLongs(memoryKib, lanes)) throw new IllegalArgumentException("memory too small");
        int laneLength = blocks / lanes;
        int segmentLength = laneLength / SLICES;
        try {
            // RFC 9106 section 3.2, steps 1-4: H0, then the first two blocks of each lane from H'.
            byte[] h0 = new byte[64];
            Blake2bDigest d = new Blake2bDigest(512);
            for (int v : new int[] {lanes, tagLength, memoryKib, iterations, VERSION, TYPE}) update(d, v);
            for (byte[] b : new byte[][] {password, salt, secret, associatedData}) {
                byte[] bytes = b == null ? new byte[0] : b;
                update(d, bytes.length);
                d.update(bytes, 0, bytes.length);
            }
            d.doFinal(h0, 0);
            byte[] block = new byte[BLOCK * 8];
            for (int lane = 0; lane < lanes; lane++) {
                for (int i = 0; i < 2; i++) {
                    hPrime(block, h0, le32(i), le32(lane));
                    ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer()
                            .get(memory, (lane * laneLength + i) * BLOCK, BLOCK);
                }
            }
            // Steps 5-6: passes over the memory, slice by slice so that lanes meet at each synchronization point.
            long[] scratch = new long[4 * BLOCK]; // state of G (two blocks), address block, address input
            for (int pass = 0; pass < iterations; pass++) {
                for (int slice = 0; slice < SLICES; slice++) {
                    for (int lane = 0; lane < lanes; lane++) {
                        fillSegment(memory, scratch, vector, pass, slice, lane, lanes, laneLength, segmentLength,
                                blocks, iterations);
                    }
                }
            }
            // Step 7: the tag is H' of the XOR of the last block of every lane.
            long[] last = Arrays.copyOfRange(memory, (laneLength - 1) * BLOCK, laneLength * BLOCK);
            for (int lane = 1; lane < lanes; lane++) {
                int off = (lane * laneLength + laneLength - 1) * BLOCK;
                for (int k = 0; k < BLOCK; k++) last[k] ^= memory[off + k];
            }
            ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(last);
            byte[] tag = new byte[tagLength];
            hPrime(tag, block);
            return tag;
        } finally {
            Arrays.fill(memory, 0, blocks * BLOCK, 0L);
        }
    }

    private static void fillSegment(long[] memory, long[] scratch, boolean vector, int pass, int slice, int lane,
                                    int lanes, int laneLength, int segmentLength, int blocks, int iterations) {
        // Argon2id takes reference blocks independently of the data in the first half of the first pass (3.4.1.3).
        boolean independent = pass == 0 && slice < SLICES / 2;
        if (independent) {
            Arrays.fill(scratch, INPUT, INPUT + BLOCK, 0L);
            scratch[INPUT] = pass;
            scratch[INPUT + 1] = lane;
            scratch[INPUT + 2] = slice;
            scratch[INPUT + 3] = blocks;
            scratch[INPUT + 4] = iterations;
            scratch[INPUT + 5] = TYPE;
        }
        int first = 0;
        if (pass == 0 && slice == 0) {
            first = 2; // the first two blocks come from H'
            if (independent) nextAddresses(scratch, vector);
        }
        int laneStart = lane * laneLength;
        // Where the reference area starts in this lane (3.4.2): after the current segment, except in the first pass.
        int areaStart = pass == 0 || slice == SLICES - 1 ? 0 : (slice + 1) * segmentLength;
        for (int i = first; i < segmentLength; i++) {
            int column = slice * segmentLength + i;
            int prev = laneStart + (column == 0 ? laneLength - 1 : column - 1);
            long random;
            if (independent) {
                if (i % BLOCK == 0) nextAddresses(scratch, vector);
                random = scratch[ADDRESSES + i % BLOCK];
            } else {
                random = memory[prev * BLOCK];
            }
            // 3.4.1: J2 picks the lane (the own lane in the very first segment), J1 the block within the area.
            int refLane = pass == 0 && slice == 0 ? lane : (int) ((random >>> 32) % lanes);
            int done = pass == 0 ? slice * segmentLength : laneLength - segmentLength;
            long area = refLane == lane ? done + i - 1 : done - (i == 0 ? 1 : 0);
            long j1 = random & 0xFFFFFFFFL;
            long x = (j1 * j1) >>> 32;
            long y = (area * x) >>> 32;
            int refColumn = (int) ((areaStart + area - 1 - y) % laneLength);
            int ref = refLane * laneLength + refColumn;
            // Version 0x13 XORs the new block into the old one after the first pass (3.2, step 6).
            g(vector, memory, prev * BLOCK, memory, ref * BLOCK, memory, (laneStart + column) * BLOCK, pass > 0, scratch);
        }
    }

    /** The next block of addresses: G(0, G(0, input)) with the input's counter incremented (3.4.1.2). */
    private static void nextAddresses(long[] scratch, boolean vector) {
        scratch[INPUT + 6]++;
        g(vector, ZERO, 0, scratch, INPUT, scratch, ADDRESSES, false, scratch);
        g(vector, ZERO, 0, scratch, ADDRESSES, scratch, ADDRESSES, false, scratch);
    }

    private static void g(boolean vector, long[] x, int xo, long[] y, int yo, long[] out, int oo, boolean xor, long[] s) {
        if (vector) {
            Argon2idVector.compress(x, xo, y, yo, out, oo, xor, s);
        } else {
            compress(x, xo, y, yo, out, oo, xor, s);
        }
    }

    /**
     * The compression function G (3.5): R = X xor Y; P on each of R's eight rows (16 consecutive words), then on each
     * of its eight columns (pairs of words 16 apart); out = P(R) xor R, or out ^= P(R) xor R when {@code xor}. The row
     * pass writes R to out as it reads it and leaves its result in {@code s[0..128)}; the column pass XORs into out.
     */
    private static void compress(long[] x, int xo, long[] y, int yo, long[] out, int oo, boolean xor, long[] s) {
        for (int i = 0; i < 8; i++) row(x, xo + 16 * i, y, yo + 16 * i, out, oo + 16 * i, xor, s, 16 * i);
        for (int i = 0; i < 8; i++) column(s, 2 * i, out, oo + 2 * i);
    }

    private static void row(long[] x, int xo, long[] y, int yo, long[] out, int oo, boolean xor, long[] s, int so) {
        long v0 = x[xo] ^ y[yo], v1 = x[xo + 1] ^ y[yo + 1], v2 = x[xo + 2] ^ y[yo + 2], v3 = x[xo + 3] ^ y[yo + 3];
        long v4 = x[xo + 4] ^ y[yo + 4], v5 = x[xo + 5] ^ y[yo + 5], v6 = x[xo + 6] ^ y[yo + 6], v7 = x[xo + 7] ^ y[yo + 7];
        long v8 = x[xo + 8] ^ y[yo + 8], v9 = x[xo + 9] ^ y[yo + 9], v10 = x[xo + 10] ^ y[yo + 10], v11 = x[xo + 11] ^ y[yo + 11];
        long v12 = x[xo + 12] ^ y[yo + 12], v13 = x[xo + 13] ^ y[yo + 13], v14 = x[xo + 14] ^ y[yo + 14], v15 = x[xo + 15] ^ y[yo + 15];
        if (xor) {
            out[oo] ^= v0; out[oo + 1] ^= v1; out[oo + 2] ^= v2; out[oo + 3] ^= v3;
            out[oo + 4] ^= v4; out[oo + 5] ^= v5; out[oo + 6] ^= v6; out[oo + 7] ^= v7;
            out[oo + 8] ^= v8; out[oo + 9] ^= v9; out[oo + 10] ^= v10; out[oo + 11] ^= v11;
            out[oo + 12] ^= v12; out[oo + 13] ^= v13; out[oo + 14] ^= v14; out[oo + 15] ^= v15;
        } else {
            out[oo] = v0; out[oo + 1] = v1; out[oo + 2] = v2; out[oo + 3] = v3;
            out[oo + 4] = v4; out[oo + 5] = v5; out[oo + 6] = v6; out[oo + 7] = v7;
            out[oo + 8] = v8; out[oo + 9] = v9; out[oo + 10] = v10; out[oo + 11] = v11;
            out[oo + 12] = v12; out[oo + 13] = v13; out[oo + 14] = v14; out[oo + 15] = v15;
        }
        // GB on the columns (0,4,8,12)..(3,7,11,15), then on the diagonals (0,5,10,15)..(3,4,9,14) (RFC 9106 3.6).
        v0 = f(v0, v4); v12 = Long.rotateRight(v12 ^ v0, 32); v8 = f(v8, v12); v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 = f(v0, v4); v12 = Long.rotateRight(v12 ^ v0, 16); v8 = f(v8, v12); v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 = f(v1, v5); v13 = Long.rotateRight(v13 ^ v1, 32); v9 = f(v9, v13); v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 = f(v1, v5); v13 = Long.rotateRight(v13 ^ v1, 16); v9 = f(v9, v13); v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 = f(v2, v6); v14 = Long.rotateRight(v14 ^ v2, 32); v10 = f(v10, v14); v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 = f(v2, v6); v14 = Long.rotateRight(v14 ^ v2, 16); v10 = f(v10, v14); v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 = f(v3, v7); v15 = Long.rotateRight(v15 ^ v3, 32); v11 = f(v11, v15); v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 = f(v3, v7); v15 = Long.rotateRight(v15 ^ v3, 16); v11 = f(v11, v15); v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 = f(v0, v5); v15 = Long.rotateRight(v15 ^ v0, 32); v10 = f(v10, v15); v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 = f(v0, v5); v15 = Long.rotateRight(v15 ^ v0, 16); v10 = f(v10, v15); v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 = f(v1, v6); v12 = Long.rotateRight(v12 ^ v1, 32); v11 = f(v11, v12); v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 = f(v1, v6); v12 = Long.rotateRight(v12 ^ v1, 16); v11 = f(v11, v12); v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 = f(v2, v7); v13 = Long.rotateRight(v13 ^ v2, 32); v8 = f(v8, v13); v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 = f(v2, v7); v13 = Long.rotateRight(v13 ^ v2, 16); v8 = f(v8, v13); v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 = f(v3, v4); v14 = Long.rotateRight(v14 ^ v3, 32); v9 = f(v9, v14); v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 = f(v3, v4); v14 = Long.rotateRight(v14 ^ v3, 16); v9 = f(v9, v14); v4 = Long.rotateRight(v4 ^ v9, 63);
        s[so] = v0; s[so + 1] = v1; s[so + 2] = v2; s[so + 3] = v3;
        s[so + 4] = v4; s[so + 5] = v5; s[so + 6] = v6; s[so + 7] = v7;
        s[so + 8] = v8; s[so + 9] = v9; s[so + 10] = v10; s[so + 11] = v11;
        s[so + 12] = v12; s[so + 13] = v13; s[so + 14] = v14; s[so + 15] = v15;
    }

    /** The same round as {@link #row} on column {@code so / 2}: words so, so+1, so+16, so+17, ..., so+112, so+113. */
    private static void column(long[] s, int so, long[] out, int oo) {
        long v0 = s[so], v1 = s[so + 1], v2 = s[so + 16], v3 = s[so + 17];
        long v4 = s[so + 32], v5 = s[so + 33], v6 = s[so + 48], v7 = s[so + 49];
        long v8 = s[so + 64], v9 = s[so + 65], v10 = s[so + 80], v11 = s[so + 81];
        long v12 = s[so + 96], v13 = s[so + 97], v14 = s[so + 112], v15 = s[so + 113];
        // GB on the columns (0,4,8,12)..(3,7,11,15), then on the diagonals (0,5,10,15)..(3,4,9,14) (RFC 9106 3.6).
        v0 = f(v0, v4); v12 = Long.rotateRight(v12 ^ v0, 32); v8 = f(v8, v12); v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 = f(v0, v4); v12 = Long.rotateRight(v12 ^ v0, 16); v8 = f(v8, v12); v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 = f(v1, v5); v13 = Long.rotateRight(v13 ^ v1, 32); v9 = f(v9, v13); v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 = f(v1, v5); v13 = Long.rotateRight(v13 ^ v1, 16); v9 = f(v9, v13); v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 = f(v2, v6); v14 = Long.rotateRight(v14 ^ v2, 32); v10 = f(v10, v14); v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 = f(v2, v6); v14 = Long.rotateRight(v14 ^ v2, 16); v10 = f(v10, v14); v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 = f(v3, v7); v15 = Long.rotateRight(v15 ^ v3, 32); v11 = f(v11, v15); v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 = f(v3, v7); v15 = Long.rotateRight(v15 ^ v3, 16); v11 = f(v11, v15); v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 = f(v0, v5); v15 = Long.rotateRight(v15 ^ v0, 32); v10 = f(v10, v15); v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 = f(v0, v5); v15 = Long.rotateRight(v15 ^ v0, 16); v10 = f(v10, v15); v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 = f(v1, v6); v12 = Long.rotateRight(v12 ^ v1, 32); v11 = f(v11, v12); v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 = f(v1, v6); v12 = Long.rotateRight(v12 ^ v1, 16); v11 = f(v11, v12); v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 = f(v2, v7); v13 = Long.rotateRight(v13 ^ v2, 32); v8 = f(v8, v13); v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 = f(v2, v7); v13 = Long.rotateRight(v13 ^ v2, 16); v8 = f(v8, v13); v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 = f(v3, v4); v14 = Long.rotateRight(v14 ^ v3, 32); v9 = f(v9, v14); v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 = f(v3, v4); v14 = Long.rotateRight(v14 ^ v3, 16); v9 = f(v9, v14); v4 = Long.rotateRight(v4 ^ v9, 63);
        out[oo] ^= v0; out[oo + 1] ^= v1; out[oo + 16] ^= v2; out[oo + 17] ^= v3;
        out[oo + 32] ^= v4; out[oo + 33] ^= v5; out[oo + 48] ^= v6; out[oo + 49] ^= v7;
        out[oo + 64] ^= v8; out[oo + 65] ^= v9; out[oo + 80] ^= v10; out[oo + 81] ^= v11;
        out[oo + 96] ^= v12; out[oo + 97] ^= v13; out[oo + 112] ^= v14; out[oo + 113] ^= v15;
    }

    /** BlaMka: a + b + 2 * lo32(a) * lo32(b), modulo 2^64. */
    private static long f(long a, long b) {
        return a + b + 2 * (a & 0xFFFFFFFFL) * (b & 0xFFFFFFFFL);
    }

    /** The variable-length hash H' (3.3) of the concatenated inputs, filling {@code out}. */
    private static void hPrime(byte[] out, byte[]... inputs) {
        int t = out.length;
        Blake2bDigest d = new Blake2bDigest(Math.min(t, 64) * 8);
        update(d, t);
        for (byte[] in : inputs) d.update(in, 0, in.length);
        if (t <= 64) {
            d.doFinal(out, 0);
            return;
        }
        int r = (t + 31) / 32 - 2;
        byte[] v = new byte[64];
        d.doFinal(v, 0);
        System.arraycopy(v, 0, out, 0, 32);
        for (int i = 1; i < r; i++) {
            d = new Blake2bDigest(512);
            d.update(v, 0, 64);
            d.doFinal(v, 0);
            System.arraycopy(v, 0, out, 32 * i, 32);
        }
        d = new Blake2bDigest((t - 32 * r) * 8);
        d.update(v, 0, 64);
        d.doFinal(out, 32 * r);
    }

    private static void update(Blake2bDigest d, int value) {
        byte[] le = le32(value);
        d.update(le, 0, 4);
    }

    private static byte[] le32(int value) {
        return new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
    }
}
