package io.ladder.coordinator.cli;

import io.ladder.coordinator.report.CompareReport;
import io.ladder.coordinator.report.RunFolder;
import io.ladder.coordinator.report.RunReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What a user looks at after (or during) a run: one run's report, and runs compared across seeds. */
final class ReportCommands {
    private ReportCommands() {}

    /** {@code ladder report RUN_DIR}: report.html with every plot inline. */
    @Command(name = "report", description = "A run's report.html: its plots, inline, one file.")
    static final class Report implements Callable<Integer> {
        @Parameters(paramLabel = "RUN_DIR", description = "A run folder (one still going is reported as far as it goes).")
        Path run;

        @Option(names = "--out", paramLabel = "FILE.html", description = "Where to write it. Default: RUN_DIR/report.html.")
        Path outFile;

        @Override
        public Integer call() throws IOException {
            RunFolder folder = RunFolder.read(run);
            Path out = OutputPaths.file("out", outFile != null ? outFile : run.resolve("report.html"));
            RunReport.build(folder).write(out);
            System.out.println("report: " + out + (folder.finished() ? "" : " (the run is still going: "
                    + folder.stepsDone() + " of " + folder.spec().getSteps() + " steps so far)"));
            return 0;
        }
    }

    /** {@code ladder compare RUN_DIR...}: methods × seeds as mean ± sd, the reward curves overlaid. */
    @Command(name = "compare", description = "Runs by method and seed: mean ± sd, reward curves.")
    static final class Compare implements Callable<Integer> {
        @Parameters(paramLabel = "RUN_DIR", arity = "1..*", description = "Run folders: the seeds of one or more methods.")
        List<Path> runs = new ArrayList<>();

        @Option(names = "--out", paramLabel = "FILE.html", defaultValue = "compare.html", description = "The comparison page.")
        Path outFile;

        @Option(names = "--group-by", paramLabel = "spec|name|folder", defaultValue = "spec", converter = GroupByConverter.class,
                description = "What makes runs one method: the same spec but for seed, name and placement; the same name "
                        + "(for specs that differ per seed, e.g. in a seed's own data file); or the same run-folder name "
                        + "(an experiment with one folder per seed: s1/soar, s2/soar, ...).")
        CompareReport.GroupBy groupBy;

        @Override
        public Integer call() throws IOException {
            List<RunFolder> folders = new ArrayList<>();
            for (Path r : runs) {
                folders.add(RunFolder.read(r));
            }
            Path out = OutputPaths.file("out", outFile);
            CompareReport c = new CompareReport(folders, groupBy);
            c.page().write(out);
            System.out.print(c.markdown());
            System.out.println();
            System.out.println("comparison: " + out);
            return 0;
        }
    }

    static final class GroupByConverter implements picocli.CommandLine.ITypeConverter<CompareReport.GroupBy> {
        @Override
        public CompareReport.GroupBy convert(String v) {
            return switch (v) {
                case "spec" -> CompareReport.GroupBy.SPEC;
                case "name" -> CompareReport.GroupBy.NAME;
                case "folder" -> CompareReport.GroupBy.FOLDER;
                default -> throw new picocli.CommandLine.TypeConversionException("expected spec, name or folder, got \"" + v + "\"");
            };
        }
    }
}
