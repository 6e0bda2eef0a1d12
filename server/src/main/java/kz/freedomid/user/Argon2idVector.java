package kz.freedomid.user;

import static jdk.incubator.vector.VectorOperators.ROR;
import static jdk.incubator.vector.VectorOperators.XOR;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Argon2's compression function G (RFC 9106 section 3.5) on 256-bit vectors, four words at a time: the same result
 * as {@code Argon2id.compress}, in about half the time where the CPU has 256-bit vectors (AVX2). Needs the incubating
 * Vector API, so the JVM must run with {@code --add-modules jdk.incubator.vector}; {@link Argon2id} uses this class
 * only then, after checking that it agrees with the scalar code.
 *
 * <p>Each row (and each column, once rearranged) is four vectors a, b, c, d holding words 0-3, 4-7, 8-11 and 12-15
 * of the 16-word state: GB on the columns of that 4x4 matrix is then one vector operation per step, and GB on its
 * diagonals the same after rotating the lanes of b, c and d by one, two and three (RFC 9106 section 3.6). Two rows
 * go through at once so that the processor has two independent chains of work (four were no faster with AVX2). Vector
 * values never cross a method call: the JIT keeps them in registers only within a method it compiled whole, and a
 * helper it declines to inline (large methods make it decline) would box every vector it is passed.
 */
final class Argon2idVector {
    private static final VectorSpecies<Long> S = LongVector.SPECIES_256;
    private static final VectorSpecies<Long> PAIR = LongVector.SPECIES_128;
    private static final VectorShuffle<Long> ROT1 = VectorShuffle.fromValues(S, 1, 2, 3, 0);
    private static final VectorShuffle<Long> ROT2 = VectorShuffle.fromValues(S, 2, 3, 0, 1);
    private static final VectorShuffle<Long> ROT3 = VectorShuffle.fromValues(S, 3, 0, 1, 2);
    private static final long LO32 = 0xFFFFFFFFL;

    private Argon2idVector() {}

    /** True when the CPU runs 256-bit vectors natively (not the API's slow fallback). */
    static boolean hardwareSupported() {
        return LongVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
    }

    /**
     * out = G(X, Y), or out ^= G(X, Y) when {@code xor}; {@code s} is 256 words of scratch that must not be X, Y or
     * out (out may be Y at the same offset).
     */
    static void compress(long[] x, int xo, long[] y, int yo, long[] out, int oo, boolean xor, long[] s) {
        // R = X xor Y into s[0..128) (the rows) and into out.
        if (xor) {
            for (int k = 0; k < 128; k += 4) {
                LongVector r = LongVector.fromArray(S, x, xo + k).lanewise(XOR, LongVector.fromArray(S, y, yo + k));
                r.intoArray(s, k);
                r.lanewise(XOR, LongVector.fromArray(S, out, oo + k)).intoArray(out, oo + k);
            }
        } else {
            for (int k = 0; k < 128; k += 4) {
                LongVector r = LongVector.fromArray(S, x, xo + k).lanewise(XOR, LongVector.fromArray(S, y, yo + k));
                r.intoArray(s, k);
                r.intoArray(out, oo + k);
            }
        }
        for (int r = 0; r < 8; r += 2) round(s, 16 * r, 16 * r + 16);
        // Column c is the pairs of words (2c, 2c + 1) of every row: gather them into s[128 + 16c ..) as a row.
        for (int r = 0; r < 8; r++) {
            for (int c = 0; c < 8; c++) {
                LongVector.fromArray(PAIR, s, 16 * r + 2 * c).intoArray(s, 128 + 16 * c + 2 * r);
            }
        }
        for (int c = 0; c < 8; c += 2) round(s, 128 + 16 * c, 144 + 16 * c);
        // out ^= P(R), putting the pairs back where they came from.
        for (int r = 0; r < 8; r++) {
            for (int c = 0; c < 8; c++) {
                int w = oo + 16 * r + 2 * c;
                LongVector.fromArray(PAIR, out, w)
                        .lanewise(XOR, LongVector.fromArray(PAIR, s, 128 + 16 * c + 2 * r))
                        .intoArray(out, w);
            }
        }
    }

    /**
     * The round on the two 16-word states at s[o..o+16) (vectors a-d) and s[q..q+16) (e-h): GB on the columns, then
     * on the diagonals. GB's step x = x + y + 2 * lo32(x) * lo32(y) is {@code p = lo32(x) * lo32(y); x + y + (p + p)}.
     */
    private static void round(long[] s, int o, int q) {
        LongVector a = LongVector.fromArray(S, s, o), e = LongVector.fromArray(S, s, q);
        LongVector b = LongVector.fromArray(S, s, o + 4), f = LongVector.fromArray(S, s, q + 4);
        LongVector c = LongVector.fromArray(S, s, o + 8), g = LongVector.fromArray(S, s, q + 8);
        LongVector d = LongVector.fromArray(S, s, o + 12), h = LongVector.fromArray(S, s, q + 12);
        LongVector p, r;
        p = a.and(LO32).mul(b.and(LO32)); r = e.and(LO32).mul(f.and(LO32));
        a = a.add(b).add(p.add(p)); e = e.add(f).add(r.add(r));
        d = d.lanewise(XOR, a).lanewise(ROR, 32); h = h.lanewise(XOR, e).lanewise(ROR, 32);
        p = c.and(LO32).mul(d.and(LO32)); r = g.and(LO32).mul(h.and(LO32));
        c = c.add(d).add(p.add(p)); g = g.add(h).add(r.add(r));
        b = b.lanewise(XOR, c).lanewise(ROR, 24); f = f.lanewise(XOR, g).lanewise(ROR, 24);
        p = a.and(LO32).mul(b.and(LO32)); r = e.and(LO32).mul(f.and(LO32));
        a = a.add(b).add(p.add(p)); e = e.add(f).add(r.add(r));
        d = d.lanewise(XOR, a).lanewise(ROR, 16); h = h.lanewise(XOR, e).lanewise(ROR, 16);
        p = c.and(LO32).mul(d.and(LO32)); r = g.and(LO32).mul(h.and(LO32));
        c = c.add(d).add(p.add(p)); g = g.add(h).add(r.add(r));
        b = b.lanewise(XOR, c).lanewise(ROR, 63); f = f.lanewise(XOR, g).lanewise(ROR, 63);
        // The diagonals (0,5,10,15) (1,6,11,12) (2,7,8,13) (3,4,9,14) become columns once b, c, d turn by 1, 2, 3 lanes.
        b = b.rearrange(ROT1); c = c.rearrange(ROT2); d = d.rearrange(ROT3);
        f = f.rearrange(ROT1); g = g.rearrange(ROT2); h = h.rearrange(ROT3);
        p = a.and(LO32).mul(b.and(LO32)); r = e.and(LO32).mul(f.and(LO32));
        a = a.add(b).add(p.add(p)); e = e.add(f).add(r.add(r));
        d = d.lanewise(XOR, a).lanewise(ROR, 32); h = h.lanewise(XOR, e).lanewise(ROR, 32);
        p = c.and(LO32).mul(d.and(LO32)); r = g.and(LO32).mul(h.and(LO32));
        c = c.add(d).add(p.add(p)); g = g.add(h).add(r.add(r));
        b = b.lanewise(XOR, c).lanewise(ROR, 24); f = f.lanewise(XOR, g).lanewise(ROR, 24);
        p = a.and(LO32).mul(b.and(LO32)); r = e.and(LO32).mul(f.and(LO32));
        a = a.add(b).add(p.add(p)); e = e.add(f).add(r.add(r));
        d = d.lanewise(XOR, a).lanewise(ROR, 16); h = h.lanewise(XOR, e).lanewise(ROR, 16);
        p = c.and(LO32).mul(d.and(LO32)); r = g.and(LO32).mul(h.and(LO32));
        c = c.add(d).add(p.add(p)); g = g.add(h).add(r.add(r));
        b = b.lanewise(XOR, c).lanewise(ROR, 63); f = f.lanewise(XOR, g).lanewise(ROR, 63);
        a.intoArray(s, o); b.rearrange(ROT3).intoArray(s, o + 4);
        c.rearrange(ROT2).intoArray(s, o + 8); d.rearrange(ROT1).intoArray(s, o + 12);
        e.intoArray(s, q); f.rearrange(ROT3).intoArray(s, q + 4);
        g.rearrange(ROT2).intoArray(s, q + 8); h.rearrange(ROT1).intoArray(s, q + 12);
    }
}
