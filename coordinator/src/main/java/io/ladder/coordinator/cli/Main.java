package io.ladder.coordinator.cli;

import io.ladder.coordinator.console.Terminal;
import io.ladder.learner.bench.LearnerBench;
import io.ladder.proto.UserError;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code ladder <command> [options]}: the command-line entry point. User mistakes (a flag, a
 * file, a model folder) print one line and exit 2; anything else is a bug and prints a trace.
 */
@Command(name = "ladder", synopsisSubcommandLabel = "COMMAND",
        description = {"Curriculum RL (GRPO, RLOO, SOAR, ExIt) for language models.",
            "`ladder COMMAND --help` lists a command's options."},
        // inherited by every command: options in the order declared, each with its default
        scope = ScopeType.INHERIT, showDefaultValues = true, sortOptions = false, sortSynopsis = false,
        subcommands = {
            PolicyCommands.Generate.class, PolicyCommands.Score.class, PolicyCommands.ChatTemplateCommand.class,
            PolicyCommands.InitModel.class, PolicyCommands.Export.class, TrainCommand.class, PretrainCommand.class,
            TaskCommands.ArithmeticDataset.class, TaskCommands.Grade.class, TaskCommands.Eval.class,
            TaskCommands.EvalSelfImprove.class, TaskCommands.FilterHard.class, SoarPlanCommand.class,
            SoarCommands.Questions.class, SoarCommands.Diversity.class, BenchCommands.Generate.class,
            BenchCommands.Memory.class, LearnerBench.class, ReportCommands.Report.class, ReportCommands.Compare.class,
            ToolCommands.Tasks.class,
            ToolCommands.Episodes.class,
            Main.Completion.class, Main.Help.class})
public final class Main implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help and exit.")
    boolean help;

    /** Inherited by every command: the libraries' log lines and native warnings on the terminal too. */
    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Also show Ray's, DJL's and libtorch's log lines (by default they go to ladder.log in the run folder).")
    void verbose(boolean v) {
        Terminal.setVerbose(v);
    }

    @Spec
    CommandSpec spec;

    Main() {} // tests read the commands' model from it

    /** No command: the list of commands, and the exit code of a usage mistake. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    public static void main(String[] argv) {
        // Ladder's own errors keep the terminal when a job moves native stderr into its run folder
        System.exit(run(argv, System.out, Terminal.claimStderr()));
    }

    public static int run(String[] argv, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main());
        PrintWriter usage = new PrintWriter(out, true);
        cl.setOut(usage);
        cl.setErr(new PrintWriter(err, true));
        cl.setExpandAtFiles(false); // a prompt may start with @
        cl.setOverwrittenOptionsAllowed(true); // the last --flag given wins
        cl.registerConverter(Double.class, Main::finite);
        cl.registerConverter(double.class, Main::finite);
        cl.setParameterExceptionHandler((e, args) -> {
            err.println(e.getCommandLine().getCommandSpec().qualifiedName() + ": " + mistake(e, args));
            return 2;
        });
        cl.setExecutionExceptionHandler((e, command, parsed) -> {
            String who = command.getCommandSpec().qualifiedName();
            if (e instanceof io.ladder.proto.JobFailure) { // a job that started and stopped: one line, the trace in its run folder
                err.println(who + ": " + e.getMessage());
                return 1;
            }
            if (e instanceof UserError || e instanceof IllegalArgumentException) {
                // the user's input (a file, a folder, a value validated by the code that uses it): one line
                err.println(who + ": " + e.getMessage());
                return 2;
            }
            err.println(who + ": internal error: " + e);
            e.printStackTrace(err);
            return 1;
        });
        try {
            return cl.execute(argv);
        } finally {
            usage.flush();
        }
    }

    private static double finite(String s) {
        try {
            double d = Double.parseDouble(s.trim());
            if (!Double.isNaN(d) && !Double.isInfinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new TypeConversionException("not a number");
    }

    /** One line for a mistake on the command line, naming the flag and, for a typo, what was meant. */
    private static String mistake(ParameterException e, String[] args) {
        CommandSpec command = e.getCommandLine().getCommandSpec();
        List<String> unmatched = e.getCommandLine().getUnmatchedArguments();
        if (!(e instanceof UnmatchedArgumentException) && !unmatched.isEmpty()) {
            // picocli checks required flags first, but "--modle" should be named, not "--model is required"
            e = new UnmatchedArgumentException(e.getCommandLine(), unmatched);
        }
        if (e instanceof UnmatchedArgumentException u) {
            String arg = u.getUnmatched().get(0);
            String typed = arg.startsWith("-") && arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            List<String> meant = closest(typed, u.getSuggestions());
            if (u.isUnknownOption()) {
                List<String> known = optionNames(command);
                return "unknown option " + typed + (!meant.isEmpty() ? didYouMean(meant)
                        : known.isEmpty() ? "" : " (known: " + String.join(", ", known) + ")");
            }
            if (command.parent() == null) {
                return "unknown command \"" + arg + "\"" + (meant.isEmpty()
                        ? " (commands: " + String.join(", ", command.subcommands().keySet()) + ")" : didYouMean(meant));
            }
            return "unexpected argument \"" + arg + "\" (options start with --)";
        }
        if (e instanceof MissingParameterException m) {
            List<String> given = new ArrayList<>();
            List<String> absent = new ArrayList<>();
            for (ArgSpec a : m.getMissing()) {
                String name = a.isOption() ? ((OptionSpec) a).longestName() : a.paramLabel();
                (typed(name, args) ? given : absent).add(name);
            }
            if (!given.isEmpty()) {
                return given.get(0) + " needs a value";
            }
            return String.join(" and ", absent) + (absent.size() == 1 ? " is required" : " are required");
        }
        if (e.getArgSpec() instanceof OptionSpec o && e.getValue() != null) {
            Class<?> type = o.type().isArray() ? o.type().getComponentType() : o.type();
            String kind = type == int.class || type == long.class || type == Integer.class || type == Long.class ? "an integer"
                    : type == double.class || type == Double.class ? "a number" : null;
            if (kind != null) {
                String what = o.type().isArray() ? "a comma-separated list of " + kind.substring(kind.indexOf(' ') + 1) + "s" : kind;
                return o.longestName() + " must be " + what + ", got \"" + e.getValue() + "\"";
            }
        }
        return e.getMessage().lines().findFirst().orElse("");
    }

    /** Whether the flag itself is on the command line (then it is its value that is missing). */
    private static boolean typed(String flag, String[] args) {
        for (String a : args) {
            if (a.equals(flag) || a.startsWith(flag + "=")) {
                return true;
            }
        }
        return false;
    }

    private static List<String> optionNames(CommandSpec command) {
        List<String> names = new ArrayList<>();
        for (OptionSpec o : command.options()) {
            if (!o.usageHelp() && !o.hidden()) {
                names.add(o.longestName());
            }
        }
        return names;
    }

    private static String didYouMean(List<String> meant) {
        return " (did you mean " + String.join(" or ", meant) + "?)";
    }

    /**
     * Picocli's suggestions that are a typo away (an edit distance of at most a quarter of the
     * word, and 1 for short words), closest first: picocli offers its three most similar names
     * even when none is close, and "frobnicate" should not suggest "chat-template".
     */
    static List<String> closest(String typed, List<String> suggestions) {
        String word = typed.replaceFirst("^-+", "");
        int limit = Math.max(1, word.length() / 4);
        List<String> near = new ArrayList<>();
        for (String s : suggestions) {
            if (distance(word, s.replaceFirst("^-+", "")) <= limit) {
                near.add(s);
            }
        }
        near.sort(Comparator.comparingInt(s -> distance(word, s.replaceFirst("^-+", ""))));
        return near.size() > 2 ? near.subList(0, 2) : near;
    }

    /** Edit distance where swapping two neighbouring letters counts as one edit ("trian", "train"). */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** {@code ladder completion}: bash completion of commands and flags. */
    @Command(name = "completion", description = {"Print a bash completion script for ladder.",
        "Load it in a shell with: source <(bin/ladder completion)"})
    static final class Completion implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            out.print(AutoComplete.bash("ladder", spec.root().commandLine()));
            out.flush();
            return 0;
        }
    }

    /** {@code ladder help [COMMAND]}: the same as {@code ladder [COMMAND] --help}. */
    @Command(name = "help", helpCommand = true, description = "Show the commands, or one command's options.")
    static final class Help implements Callable<Integer> {
        @Parameters(paramLabel = "COMMAND", arity = "0..1", description = "A command. Default: list the commands.")
        String command;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            CommandLine root = spec.root().commandLine();
            CommandLine target = command == null ? root : root.getSubcommands().get(command);
            if (target == null) {
                throw new UnmatchedArgumentException(root, List.of(command));
            }
            target.usage(root.getOut());
            return 0;
        }
    }
}
