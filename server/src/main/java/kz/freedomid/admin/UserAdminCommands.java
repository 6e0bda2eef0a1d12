package kz.freedomid.admin;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import kz.freedomid.App;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.FreedomException;
import kz.freedomid.platform.Json;
import kz.freedomid.user.Card;
import kz.freedomid.user.CardService;
import kz.freedomid.user.Patch;
import kz.freedomid.user.UserInput;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code freedom-id user …}: the admin API's user and card operations on the command line, audited as {@code cli}. */
final class UserAdminCommands {
    private UserAdminCommands() {}

    static UUID userId(String raw) {
        return PartnerService.parseUuid(raw).orElseThrow(() -> new IllegalArgumentException("FREEDOM_ID must be a UUID"));
    }

    /** Runs an operation that may be refused by the user rules: field errors go to stderr with exit code 2. */
    static int run(CommandLine.Model.CommandSpec spec, Function<App, Integer> operation) {
        try (App app = Cli.domain()) {
            return operation.apply(app);
        } catch (FreedomException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(e.error().message());
            e.fieldErrors().forEach((field, messages) -> messages.forEach(m -> err.println("  " + field + ": " + m)));
            return 2;
        }
    }

    static int print(CommandLine.Model.CommandSpec spec, String id, Optional<UserAdmin.Account> account) {
        if (account.isEmpty()) {
            spec.commandLine().getErr().println("No user with freedom_id " + id);
            return 1;
        }
        spec.commandLine().getOut().println(Json.write(AdminUserRoutes.view(account.get())));
        return 0;
    }

    @Command(name = "show", description = "Show a user with their additional phones, emails and cards (JSON).")
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "FREEDOM_ID") String id;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return run(spec, app -> print(spec, id, app.userAdmin.find(userId(id))));
        }
    }

    @Command(name = "search", description = "Find users by phone or email, their own or an additional one (JSON lines).")
    static final class Search implements Callable<Integer> {
        @Option(names = "--phone") String phone;
        @Option(names = "--email") String email;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (phone == null && email == null) throw new IllegalArgumentException("Give --phone or --email");
            return run(spec, app -> {
                app.userAdmin.search(phone, email, 200).forEach(u ->
                        spec.commandLine().getOut().println(Json.write(AdminUserRoutes.summary(u))));
                return 0;
            });
        }
    }

    @Command(name = "update", description = "Change a user's fields; options not given stay, \"\" clears one (not the phone).")
    static final class Update implements Callable<Integer> {
        @Parameters(paramLabel = "FREEDOM_ID") String id;
        @Option(names = "--phone") String phone;
        @Option(names = "--email") String email;
        @Option(names = "--firstname") String firstname;
        @Option(names = "--lastname") String lastname;
        @Option(names = "--patronymic") String patronymic;
        @Option(names = "--date-of-birth", description = "YYYY-MM-DD") String dateOfBirth;
        @Option(names = "--gender", description = "M or F") String gender;
        @Option(names = "--country", description = "ISO 3166-1 alpha-3, e.g. KAZ") String country;
        @Option(names = "--nationality") String nationality;
        @Option(names = "--identifier") String identifier;
        @Option(names = "--phones", split = ",", description = "The additional phones, comma-separated (replaces them)")
        List<String> phones;
        @Option(names = "--emails", split = ",", description = "The additional emails, comma-separated (replaces them)")
        List<String> emails;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            UserInput input = new UserInput(patch(phone), patch(email), patch(firstname), patch(lastname), patch(patronymic),
                    patch(dateOfBirth), patch(gender), patch(country), patch(nationality), patch(identifier),
                    phones == null ? Patch.keep() : Patch.put(phones.stream().filter(p -> !p.isBlank()).toList()),
                    emails == null ? Patch.keep() : Patch.put(emails.stream().filter(e -> !e.isBlank()).toList()));
            return run(spec, app -> print(spec, id, Optional.of(app.userAdmin.update(userId(id), input, PartnerAdmin.CLI))));
        }

        private static Patch<String> patch(String value) {
            return value == null ? Patch.keep() : value.isEmpty() ? Patch.clear() : Patch.put(value);
        }
    }

    @Command(name = "block", description = "Block a user: no sign-in; every session and token ends, partners are called back.")
    static final class Block implements Callable<Integer> {
        @Parameters(paramLabel = "FREEDOM_ID") String id;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return run(spec, app -> print(spec, id, app.userAdmin.block(userId(id), PartnerAdmin.CLI)));
        }
    }

    @Command(name = "unblock", description = "Let a blocked user sign in again.")
    static final class Unblock implements Callable<Integer> {
        @Parameters(paramLabel = "FREEDOM_ID") String id;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return run(spec, app -> print(spec, id, app.userAdmin.unblock(userId(id), PartnerAdmin.CLI)));
        }
    }

    @Command(name = "delete", description = "Delete a user with their tokens, sessions, consents and cards.")
    static final class Delete implements Callable<Integer> {
        @Parameters(paramLabel = "FREEDOM_ID") String id;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return run(spec, app -> {
                if (!app.userAdmin.delete(userId(id), PartnerAdmin.CLI)) {
                    spec.commandLine().getErr().println("No user with freedom_id " + id);
                    return 1;
                }
                spec.commandLine().getOut().println("Deleted " + id);
                return 0;
            });
        }
    }

    @Command(name = "card", description = "A user's cards (masked numbers only).",
            subcommands = {CardList.class, CardAdd.class, CardRemove.class})
    static final class Cards {}

    @Command(name = "list", description = "List a user's cards (JSON lines).")
    static final class CardList implements Callable<Integer> {
        @Parameters(paramLabel = "FREEDOM_ID") String id;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return run(spec, app -> {
                if (app.userAdmin.find(userId(id)).isEmpty()) {
                    spec.commandLine().getErr().println("No user with freedom_id " + id);
                    return 1;
                }
                app.userAdmin.cards(userId(id)).forEach(c -> spec.commandLine().getOut().println(Json.write(c.released())));
                return 0;
            });
        }
    }

    @Command(name = "add", description = "Attach a card. Only the masked number: a full card number is refused.")
    static final class CardAdd implements Callable<Integer> {
        @Parameters(paramLabel = "FREEDOM_ID") String id;
        @Option(names = "--masked-pan", required = true, description = "e.g. 440043******1234") String maskedPan;
        @Option(names = "--brand", required = true, description = "VISA, MASTERCARD, MIR, UNIONPAY, AMEX, JCB or OTHER") String brand;
        @Option(names = "--expiry", required = true, description = "MM/YY") String expiry;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return run(spec, app -> {
                Card card = app.userAdmin.attachCard(userId(id), new CardService.NewCard(maskedPan, brand, expiry), PartnerAdmin.CLI);
                spec.commandLine().getOut().println(Json.write(card.released()));
                return 0;
            });
        }
    }

    @Command(name = "remove", description = "Remove a card from a user.")
    static final class CardRemove implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FREEDOM_ID") String id;
        @Parameters(index = "1", paramLabel = "CARD_ID") String cardId;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return run(spec, app -> {
                UUID card = PartnerService.parseUuid(cardId).orElseThrow(() -> new IllegalArgumentException("CARD_ID must be a UUID"));
                if (!app.userAdmin.removeCard(userId(id), card, PartnerAdmin.CLI)) {
                    spec.commandLine().getErr().println("No such card on that user");
                    return 1;
                }
                spec.commandLine().getOut().println("Removed " + cardId);
                return 0;
            });
        }
    }
}
