package dev.outlast.store;

import dev.outlast.config.StorageConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The history store on an SQLite file, the default. */
class SqliteHistoryStoreTest extends HistoryStoreContract {

    @TempDir
    Path dir;

    @Override
    protected HistoryStore openStore() {
        return HistoryStore.open(StorageConfig.sqlite(dir.resolve("history.db")));
    }

    @Override
    protected HistoryStore reopen() {
        return openStore();
    }
}
