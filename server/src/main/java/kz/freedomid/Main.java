package kz.freedomid;

import kz.freedomid.admin.Cli;

public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        boolean bareServe = args.length == 1 && args[0].equals("serve");
        System.exit(bareServe ? Cli.runServe() : Cli.run(args));
    }
}
