package kz.freedomid;

import kz.freedomid.admin.Cli;

public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(Cli.run(args));
    }
}
