package kz.freedomid.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts {@code kz.freedomid.Main} in a child JVM with the test classpath and only the given FREEDOM_ID_* settings. */
public final class ChildJvm {
    public record Started(Process process, Path out, Path err) {
        public String stdout() throws IOException {
            return Files.readString(out);
        }

        public String stderr() throws IOException {
            return Files.readString(err);
        }
    }

    private ChildJvm() {}

    public static Started start(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath(), "kz.freedomid.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("FREEDOM_ID_"));
        builder.environment().put("FREEDOM_ID_LOG_LEVEL", "WARN");
        builder.environment().putAll(env);
        Path out = Files.createTempFile("freedom-id", ".out");
        Path err = Files.createTempFile("freedom-id", ".err");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Started(process, out, err);
    }

    private static String classpath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
