package kz.freedomid.user;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** The list of common passwords shipped with the server ({@code security/common-passwords.txt}), loaded once. */
final class CommonPasswords {
    private static final Set<String> LIST = load();

    private CommonPasswords() {}

    static boolean contains(String password) {
        return LIST.contains(password.toLowerCase(Locale.ROOT));
    }

    private static Set<String> load() {
        Set<String> words = new HashSet<>(16_384);
        try (InputStream in = CommonPasswords.class.getResourceAsStream("/security/common-passwords.txt")) {
            if (in == null) throw new IllegalStateException("security/common-passwords.txt is missing from the build");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) words.add(line.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the common password list", e);
        }
        return Set.copyOf(words);
    }
}
