#include "CSQLiteTuning.h"
#include <sqlite3.h>

int ez_sqlite_disable_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int ez_sqlite_defensive(void *db, int on, int *now) {
    return sqlite3_db_config((sqlite3 *)db, SQLITE_DBCONFIG_DEFENSIVE, on, now);
}
