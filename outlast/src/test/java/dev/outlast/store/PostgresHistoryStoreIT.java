package dev.outlast.store;

import dev.outlast.config.StorageConfig;
import dev.outlast.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The history store on a real PostgreSQL started for this class. */
class PostgresHistoryStoreIT extends HistoryStoreContract {

    private static PostgresServer postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected HistoryStore openStore() {
        return HistoryStore.open(StorageConfig.postgres(postgres.jdbcUrl(), null, null));
    }

    @Override
    protected HistoryStore reopen() {
        return openStore();
    }
}
