#ifndef CSQLITE_TUNING_H
#define CSQLITE_TUNING_H

/// Turns off SQLite's memory statistics for the whole process (SQLITE_CONFIG_MEMSTATUS):
/// otherwise every allocation SQLite makes takes a global mutex to count itself. Must run
/// before the first connection opens; returns SQLite's result code (0 = SQLITE_OK).
/// A C function because sqlite3_config is variadic, which Swift cannot call.
int ez_sqlite_disable_memstatus(void);

#endif
