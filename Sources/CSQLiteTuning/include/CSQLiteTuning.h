#ifndef CSQLITE_TUNING_H
#define CSQLITE_TUNING_H

/// Turns off SQLite's memory statistics for the whole process (SQLITE_CONFIG_MEMSTATUS):
/// otherwise every allocation SQLite makes takes a global mutex to count itself. Must run
/// before the first connection opens; returns SQLite's result code (0 = SQLITE_OK).
/// A C function because sqlite3_config is variadic, which Swift cannot call.
int ez_sqlite_disable_memstatus(void);

/// Sets the connection's SQLITE_DBCONFIG_DEFENSIVE flag (`db`: its `sqlite3 *`) to `on` (1 or
/// 0; -1 leaves it) and stores the flag as it then is in `*now`; returns SQLite's result code.
/// A defensive connection refuses writes to `sqlite_master` even with `writable_schema`: a
/// SQLite built with it on by default would refuse a schema rewrite. Variadic in C, as above.
int ez_sqlite_defensive(void *db, int on, int *now);

#endif
