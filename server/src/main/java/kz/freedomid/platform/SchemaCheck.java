package kz.freedomid.platform;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.sql.DataSource;

/**
 * Whether every migration script we ship is already applied, unchanged, according to Flyway's own history table: then
 * a start need not run Flyway at all, which saves about a quarter of a second of the time to ready (Flyway's scanner,
 * plugins and validation run cold at every start). Anything else (a pending, changed, failed or unknown migration, no
 * history yet, a history this check does not understand) answers false and Flyway runs and decides as always.
 * The checksum is Flyway's: CRC-32 over the UTF-8 bytes of each line without its line ending, a byte-order mark dropped.
 */
final class SchemaCheck {
    private static final java.util.Set<String> MARKERS = java.util.Set.of("SCHEMA", "TABLE");
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+(?:[._]\\d+)*)__.+\\.sql");

    private SchemaCheck() {}

    static boolean upToDate(DataSource dataSource, List<String> locations) {
        Map<String, Integer> shipped;
        Map<String, Integer> applied;
        try {
            shipped = shippedScripts(locations);
            applied = appliedScripts(dataSource);
        } catch (SQLException | IOException | UncheckedIOException | URISyntaxException e) {
            return false;
        }
        return applied != null && !shipped.isEmpty() && shipped.equals(applied);
    }

    /** Version to checksum of each successful versioned SQL migration; null when there is anything else. */
    private static Map<String, Integer> appliedScripts(DataSource dataSource) throws SQLException {
        Map<String, Integer> applied = new HashMap<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT \"version\", \"checksum\", \"type\", \"success\" FROM \"flyway_schema_history\"")) {
            while (rows.next()) {
                String version = rows.getString(1);
                int checksum = rows.getInt(2);
                boolean noChecksum = rows.wasNull();
                // Flyway's marker of having made the schema or the history table itself (H2), not a migration.
                if (version == null && MARKERS.contains(rows.getString(3)) && rows.getBoolean(4)) continue;
                if (version == null || noChecksum || !"SQL".equals(rows.getString(3)) || !rows.getBoolean(4)) return null;
                if (applied.put(version, checksum) != null) return null;
            }
        }
        return applied;
    }

    static Map<String, Integer> shippedScripts(List<String> locations) throws IOException, URISyntaxException {
        Map<String, Integer> scripts = new HashMap<>();
        ClassLoader loader = SchemaCheck.class.getClassLoader();
        for (String location : locations) {
            for (String name : list(loader, location)) {
                Matcher m = VERSIONED.matcher(name);
                if (!m.matches()) continue;
                String version = m.group(1).replace('_', '.');
                try (var in = loader.getResourceAsStream(location + "/" + name)) {
                    if (in == null || scripts.put(version, checksum(in)) != null) throw new IOException("ambiguous " + name);
                }
            }
        }
        return scripts;
    }

    private static List<String> list(ClassLoader loader, String location) throws IOException, URISyntaxException {
        URL url = loader.getResource(location);
        List<String> names = new ArrayList<>();
        if (url == null) return names;
        if ("jar".equals(url.getProtocol())) {
            JarURLConnection connection = (JarURLConnection) url.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                String prefix = location + "/";
                jar.stream().map(e -> e.getName())
                        .filter(n -> n.startsWith(prefix) && n.indexOf('/', prefix.length()) < 0 && n.length() > prefix.length())
                        .forEach(n -> names.add(n.substring(prefix.length())));
            }
        } else {
            try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                files.filter(Files::isRegularFile).forEach(p -> names.add(p.getFileName().toString()));
            }
        }
        return names;
    }

    static int checksum(java.io.InputStream in) throws IOException {
        CRC32 crc = new CRC32();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line = reader.readLine();
        if (line != null && line.startsWith("\uFEFF")) line = line.substring(1);
        for (; line != null; line = reader.readLine()) crc.update(line.getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }
}
