package io.testum.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What every command has: the terminal of the invocation, the API it is signed in to, and a way to
 * say the command line is wrong (exit code 2).
 */
abstract class BaseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    Terminal terminal() {
        return ((Testumctl) spec.root().userObject()).terminal();
    }

    PrintStream out() {
        return terminal().out();
    }

    PrintStream err() {
        return terminal().err();
    }

    /** The API as the caller is signed in (or as {@code TESTUM_URL} and {@code TESTUM_TOKEN} say). */
    Api api() {
        return Api.open(terminal());
    }

    /** Asks for a secret on the terminal; without one, a usage error that names the option to use instead. */
    String prompt(String question, String instead) {
        Terminal t = terminal();
        if (t.password() == null) {
            throw usage("no terminal to ask on; " + instead);
        }
        char[] typed = t.password().apply(question);
        if (typed == null || typed.length == 0) {
            throw usage("nothing was typed; " + instead);
        }
        String secret = new String(typed);
        java.util.Arrays.fill(typed, '\0');
        return secret;
    }

    /** A wrong command line, explained: testumctl prints it with a pointer to {@code --help} and exits with 2. */
    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /**
     * {@code --output table|json|yaml} (and {@code --json}, short for {@code --output json}) of a command
     * that shows what the API answers: a table or a summary for people, or the API's own fields as JSON
     * or YAML. Without either, the global {@code testumctl --output FORMAT} counts, else {@code table}.
     */
    static final class JsonOption {

        @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
        CommandSpec mixee;

        @picocli.CommandLine.Option(names = "--output", paramLabel = "table|json|yaml", completionCandidates = Output.Formats.class,
                converter = Output.FormatConverter.class,
                description = "table (default): for people; json or yaml: the API's fields as it answers them.")
        Output.Format format;

        @picocli.CommandLine.Option(names = "--json", description = "Short for --output json.")
        boolean json;

        /** The format asked for here, else globally, else {@code table}. */
        Output.Format format() {
            if (json) {
                return Output.Format.JSON;
            }
            if (format != null) {
                return format;
            }
            Output.Format global = mixee == null ? null : ((Testumctl) mixee.root().userObject()).output();
            return global == null ? Output.Format.TABLE : global;
        }

        /** JSON or YAML: print the API's answer as it is, not a table or a summary. */
        boolean structured() {
            return format() != Output.Format.TABLE;
        }

        /** {@code value} as JSON or YAML. */
        void print(PrintStream out, Object value) {
            Output.structured(out, format(), value);
        }
    }

    /** The name of what {@code add} makes: {@code add NAME} or {@code add --name NAME}. */
    static final class NameArgument {
        @picocli.CommandLine.Parameters(arity = "0..1", paramLabel = "NAME", description = "Its name (or --name).")
        String positional;

        @picocli.CommandLine.Option(names = "--name", paramLabel = "NAME", description = "Its name.")
        String option;

        /** The name given once, else a usage error that shows {@code example}. */
        String of(BaseCommand command, String example) {
            if (option != null && positional != null) {
                throw command.usage(command.spec.qualifiedName() + " takes one NAME (or --name), got " + positional + " and --name "
                        + option);
            }
            String name = option != null ? option : positional;
            if (name == null) {
                throw command.usage(command.spec.qualifiedName() + " needs a NAME, e.g. " + example);
            }
            return name;
        }
    }

    /** A run's {@code targets} as the API takes them: platforms by name and/or a label selector. */
    static java.util.Map<String, Object> targets(java.util.List<String> platforms, java.util.Map<String, String> selector) {
        java.util.Map<String, Object> targets = new java.util.LinkedHashMap<>();
        if (!platforms.isEmpty()) {
            targets.put("platforms", platforms);
        }
        if (!selector.isEmpty()) {
            targets.put("selector", selector);
        }
        return targets;
    }

    /** Puts {@code value} into a request body as {@code field}, when the command line gave it. */
    static void putGiven(java.util.Map<String, Object> body, String field, Object value) {
        if (value != null) {
            body.put(field, value);
        }
    }

    /** {@code path}, with {@code ?q=query} when a query is given. */
    static String withQuery(String path, String query) {
        return path + (query == null ? "" : "?q=" + Api.encode(query));
    }

    /** Prints a listing: {@code items} in the format {@code output} names, a table of {@code columns} by default. */
    Integer printList(JsonOption output, java.util.List<java.util.Map<String, Object>> items, java.util.List<Output.Column> columns) {
        if (output.structured()) {
            output.print(out(), items);
        } else {
            Output.table(out(), items, columns);
        }
        return 0;
    }

    /** {@code KIND show NAME}: one object of a collection, as field lines or in the format {@code --output} names. */
    abstract static class Showing extends BaseCommand {

        @picocli.CommandLine.Mixin
        NameArgument name = new NameArgument();

        @picocli.CommandLine.Mixin
        JsonOption output = new JsonOption();

        /** The collection's path, e.g. {@code /api/access}. */
        abstract String path();

        /** A command line that shows one, for the usage error without a name. */
        abstract String example();

        @Override
        public Integer call() {
            java.util.Map<String, Object> item = Api.object(api().get(path() + "/" + Api.encode(name.of(this, example()))));
            if (output.structured()) {
                output.print(out(), item);
            } else {
                Output.fields(out(), item);
            }
            return 0;
        }
    }

    /** {@code KIND remove NAME...}: deletes each named object of a collection, saying so per name. */
    abstract static class Removal extends BaseCommand {

        @picocli.CommandLine.Parameters(arity = "1..*", paramLabel = "NAME", description = "What to remove, by name.")
        java.util.List<String> names;

        /** The collection's path, e.g. {@code /api/keys}, and what one item is called, e.g. {@code key}. */
        abstract String path();

        abstract String kind();

        @Override
        public Integer call() {
            Api api = api();
            for (String name : names) {
                api.delete(path() + "/" + Api.encode(name));
                out().println(kind() + " " + name + " removed");
            }
            return 0;
        }
    }

    /**
     * A command that only groups subcommands ({@code platforms}, {@code keys}, ...): alone, it is a
     * usage error that names its subcommands.
     */
    abstract static class Group extends BaseCommand {
        @Override
        public Integer call() {
            throw usage(spec.name() + " needs a subcommand: " + String.join(", ", spec.subcommands().keySet().stream()
                    .filter(name -> spec.subcommands().get(name).getCommandName().equals(name)).toList()));
        }
    }
}
