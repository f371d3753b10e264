package io.tidemark;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.tidemark.storage.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Starts Tidemark. Without {@code tidemark.db.url} it first starts an embedded, real PostgreSQL whose data
 * lives in {@code tidemark.embedded-postgres.data-dir}, so {@code java -jar} works with nothing installed.
 */
@QuarkusMain
public final class TidemarkMain {

    private static final Logger LOG = Logger.getLogger(TidemarkMain.class);

    private TidemarkMain() {
    }

    public static void main(String... args) throws Exception {
        Config config = ConfigProvider.getConfig();
        if (config.getOptionalValue("tidemark.db.url", String.class).isEmpty()) {
            startEmbeddedPostgres(config);
        }
        Quarkus.run(args);
    }

    /**
     * {@code ./data/postgres}; as root, PostgreSQL runs as nobody, so when nobody cannot enter the working
     * directory (e.g. under /root) the data goes to /var/lib/tidemark/postgres instead.
     */
    private static Path defaultDataDir() {
        Path local = Path.of("data", "postgres");
        if (EmbeddedPostgres.canUse(local)) {
            return local;
        }
        Path system = Path.of("/var/lib/tidemark/postgres");
        LOG.infof("the embedded PostgreSQL runs as nobody, which cannot enter %s: keeping its data in %s",
                local.toAbsolutePath().getParent(), system);
        return system;
    }

    private static void startEmbeddedPostgres(Config config) throws Exception {
        Path dataDir = config.getOptionalValue("tidemark.embedded-postgres.data-dir", String.class)
                .map(Path::of).orElseGet(TidemarkMain::defaultDataDir).toAbsolutePath();
        int port = config.getOptionalValue("tidemark.embedded-postgres.port", Integer.class).orElse(54329);
        EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir, port);
        postgres.createDatabaseIfMissing("tidemark");
        LOG.infof("no tidemark.db.url configured: using embedded PostgreSQL on 127.0.0.1:%d, data in %s",
                postgres.port(), dataDir);
        System.setProperty("tidemark.db.url", postgres.reactiveUrl("tidemark"));
        System.setProperty("tidemark.db.username", postgres.user());
        if (config.getOptionalValue("tidemark.embedded-postgres.stop-on-exit", Boolean.class).orElse(true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::stop, "embedded-postgres-stop"));
        }
    }
}
