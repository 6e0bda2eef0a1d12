package kz.freedomid.admin;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import kz.freedomid.App;
import kz.freedomid.keys.SigningKeys;
import kz.freedomid.platform.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", description = "List the signing keys: state (next, active, retiring, retired) and times; "
        + "never key material.")
final class KeysList implements Callable<Integer> {
    @Option(names = "--json", description = "Print one JSON object on one line.") boolean json;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try (App app = Cli.domain()) {
            List<SigningKeys.KeyInfo> keys = app.keyAdmin.list();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.write(Map.of("keys", AdminKeyRoutes.views(keys))));
                return 0;
            }
            for (SigningKeys.KeyInfo k : keys) {
                out.printf("%s  %-5s  %-8s  signs from %s%s%n", k.kid(), k.alg(), k.state(), Json.timestamp(k.activatesAt()),
                        k.retiresAt() == null ? "" : ("retired".equals(k.state()) ? ", retired " : ", retires ")
                                + Json.timestamp(k.retiresAt()));
            }
            if (keys.isEmpty()) out.println("No signing keys yet: the server makes them when it starts.");
        }
        return 0;
    }
}
