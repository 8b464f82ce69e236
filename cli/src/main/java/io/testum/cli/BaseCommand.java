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

    /** A wrong command line, explained: testumctl prints it with a pointer to {@code --help} and exits with 2. */
    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
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
