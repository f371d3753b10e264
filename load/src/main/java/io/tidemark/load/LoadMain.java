package io.tidemark.load;

import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;

/** Command-mode entry point: parse options, run the fleet, print the report; exit code 0 only if all was acked. */
@QuarkusMain
public class LoadMain implements QuarkusApplication {

    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    @Override
    public int run(String... args) throws Exception {
        List<String> arguments = List.of(args);
        if (!arguments.isEmpty() && arguments.get(0).equals("query")) {
            return QueryBench.run(arguments); // query TARGET START_MS ROUNDS: the W1 queries Q1 and Q2
        }
        if (!arguments.isEmpty() && arguments.get(0).equals("remote-write")) {
            // the same fleet through Prometheus remote write: --target is the HTTP address
            return RemoteWriteBench.run(arguments.subList(1, arguments.size()), System.out, System.err);
        }
        if (arguments.contains("--help") || arguments.contains("-h")) {
            System.out.print(LoadOptions.USAGE);
            return 0;
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(arguments, Instant.now());
        } catch (LoadOptions.UsageException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(LoadOptions.USAGE);
            return EXIT_USAGE;
        }

        RunReport report = new FleetSimulator(options, System.err).run();
        System.out.print(report.toText());
        if (options.json() != null) {
            try {
                Files.writeString(options.json(), report.toJson());
            } catch (IOException e) {
                System.err.println("error: cannot write " + options.json() + ": " + e.getMessage());
                return EXIT_FAILED;
            }
        }
        return report.ok() ? 0 : EXIT_FAILED;
    }
}
