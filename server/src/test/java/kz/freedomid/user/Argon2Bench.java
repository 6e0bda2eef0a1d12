package kz.freedomid.user;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Not a test (run by hand): ms per Argon2id derivation at the OWASP parameters (m=19456, t=2, p=1), Bouncy Castle's
 * generator against {@link Argon2id}, after a warm-up; one thread with the two taking turns (CPU time and wall time:
 * min and median, since a shared machine only ever adds time), then two threads at once, and bytes allocated per
 * derivation. The vector G is measured too when the JVM has the Vector API. Usage, after
 * {@code mvn -pl server -am test-compile}:
 * <pre>
 * java --add-modules jdk.incubator.vector \
 *     -cp server/target/classes:server/target/test-classes:$(ls ~/.m2/repository/org/bouncycastle/bcprov-jdk18on/1.86/*.jar) \
 *     kz.freedomid.user.Argon2Bench [rounds, default 40]
 * </pre>
 */
public final class Argon2Bench {
    private static final int M = 19_456;
    private static final int T = 2;
    private static final int P = 1;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        byte[] salt = new byte[16];
        List<String> names = new ArrayList<>(List.of("Bouncy Castle", "Argon2id scalar"));
        List<Supplier<Derivation>> kinds = new ArrayList<>();
        kinds.add(() -> password -> Argon2idTest.bouncyCastle(password, salt, null, null, M, T, P, 32));
        kinds.add(ours(salt, false));
        if (Argon2id.vectorized()) {
            names.add("Argon2id vector");
            kinds.add(ours(salt, true));
        } else {
            System.out.println("(no vector G: run with --add-modules jdk.incubator.vector on a CPU with AVX2 to add it)");
        }
        int n = kinds.size();
        List<Derivation> derivations = kinds.stream().map(Supplier::get).toList();
        for (int i = 0; i < 15; i++) {
            for (Derivation d : derivations) d.derive(("warm" + i).getBytes());
        }
        long[][] cpu = new long[n][rounds];
        long[][] wall = new long[n][rounds];
        long[][] allocated = new long[n][rounds];
        for (int i = 0; i < rounds; i++) {
            for (int k = 0; k < n; k++) { // taking turns, so that a busy spell on a shared machine hits all alike
                long a0 = THREADS.getCurrentThreadAllocatedBytes();
                long c0 = THREADS.getCurrentThreadCpuTime();
                long w0 = System.nanoTime();
                derivations.get(k).derive(("password-" + i).getBytes());
                wall[k][i] = System.nanoTime() - w0;
                cpu[k][i] = THREADS.getCurrentThreadCpuTime() - c0;
                allocated[k][i] = THREADS.getCurrentThreadAllocatedBytes() - a0;
            }
        }
        System.out.printf("one thread, %d derivations each, m=%d t=%d p=%d%n", rounds, M, T, P);
        for (int k = 0; k < n; k++) {
            System.out.printf("  %-16s cpu min %6.2f median %6.2f ms | wall min %6.2f median %6.2f ms | %,d bytes"
                            + " allocated | speed-up (median cpu) %.2fx%n", names.get(k), min(cpu[k]), median(cpu[k]),
                    min(wall[k]), median(wall[k]), bytesPerDerivation(allocated[k]), median(cpu[0]) / median(cpu[k]));
        }
        System.out.println("two threads at once, " + rounds / 2 + " derivations each");
        double[] parallel = new double[n];
        for (int k = 0; k < n; k++) {
            parallel[k] = parallel(kinds.get(k), rounds / 2);
            System.out.printf("  %-16s %6.2f ms per derivation per thread | speed-up %.2fx%n", names.get(k), parallel[k],
                    parallel[0] / parallel[k]);
        }
    }

    private static Supplier<Derivation> ours(byte[] salt, boolean vector) {
        return () -> {
            long[] memory = new long[Argon2id.memoryLongs(M, P)]; // one per thread, as PasswordHasher keeps them
            return password -> Argon2id.hash(password, salt, null, null, M, T, P, 32, memory, vector);
        };
    }

    /** Wall ms per derivation with two threads each running {@code count} of them. */
    private static double parallel(Supplier<Derivation> kind, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            long w0 = System.nanoTime();
            for (int t = 0; t < 2; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    Derivation d = kind.get();
                    for (int i = 0; i < count; i++) d.derive(("p" + thread + "-" + i).getBytes());
                }));
            }
            for (Future<?> f : done) f.get();
            return (System.nanoTime() - w0) / 1e6 / count;
        } finally {
            pool.shutdown();
        }
    }

    private static double min(long[] nanos) {
        return Arrays.stream(nanos).min().orElseThrow() / 1e6;
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }

    private static long bytesPerDerivation(long[] bytes) {
        long[] sorted = bytes.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private interface Derivation {
        byte[] derive(byte[] password);
    }
}
