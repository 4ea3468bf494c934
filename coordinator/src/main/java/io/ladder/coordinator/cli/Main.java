package io.ladder.coordinator.cli;

import io.ladder.proto.UserError;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ladder <command> [options]}: the command-line entry point. User mistakes (a flag, a
 * file, a model folder) print one line and exit 2; anything else is a bug and prints a trace.
 */
public final class Main {
    /** One subcommand. */
    public interface Command {
        String summary();

        int run(List<String> args) throws Exception;
    }

    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("generate", new PolicyCommands.Generate());
        COMMANDS.put("score", new PolicyCommands.Score());
        COMMANDS.put("chat-template", new PolicyCommands.ChatTemplateCommand());
        COMMANDS.put("init-model", new PolicyCommands.InitModel());
        COMMANDS.put("export", new PolicyCommands.Export());
        COMMANDS.put("train", new TrainCommand());
        COMMANDS.put("pretrain", new PretrainCommand());
        COMMANDS.put("arithmetic-dataset", new TaskCommands.ArithmeticDataset());
        COMMANDS.put("grade", new TaskCommands.Grade());
        COMMANDS.put("eval", new TaskCommands.Eval());
        COMMANDS.put("eval-self-improve", new TaskCommands.EvalSelfImprove());
        COMMANDS.put("filter-hard", new TaskCommands.FilterHard());
        COMMANDS.put("soar-plan", new SoarPlanCommand());
        COMMANDS.put("soar-questions", new SoarCommands.Questions());
        COMMANDS.put("question-diversity", new SoarCommands.Diversity());
        COMMANDS.put("bench-generate", new BenchCommands.Generate());
        COMMANDS.put("bench-memory", new BenchCommands.Memory());
    }

    private Main() {}

    public static void main(String[] argv) {
        System.exit(run(argv, System.out, System.err));
    }

    public static int run(String[] argv, PrintStream out, PrintStream err) {
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("help") || argv[0].equals("-h")) {
            usage(out);
            return argv.length == 0 ? 2 : 0;
        }
        Command c = COMMANDS.get(argv[0]);
        if (c == null) {
            err.println("ladder: unknown command \"" + argv[0] + "\" (commands: " + String.join(", ", COMMANDS.keySet()) + ")");
            return 2;
        }
        try {
            return c.run(Arrays.asList(argv).subList(1, argv.length));
        } catch (UserError e) { // the user's input: one line naming what is wrong
            err.println("ladder " + argv[0] + ": " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            // Validation of user-supplied values (sampling parameters, prompt length, ...).
            err.println("ladder " + argv[0] + ": " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("ladder " + argv[0] + ": internal error: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    private static void usage(PrintStream out) {
        out.println("usage: ladder <command> [options]   (ladder <command> --help for its options)");
        for (Map.Entry<String, Command> e : COMMANDS.entrySet()) {
            out.printf("  %-16s %s%n", e.getKey(), e.getValue().summary());
        }
    }
}
