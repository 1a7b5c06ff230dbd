/*
 * The one door: idempotency by operation id, the change log, the outbox
 * of a desk, and refusal of malformed operations before anything is
 * written.
 */
#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "fixture.h"
#include "record.h"
#include "xmalloc.h"

#define OP1	"6f1c1f3e-3b1a-4c55-9a0e-0d6f2f1a7b01"
#define OP2	"6f1c1f3e-3b1a-4c55-9a0e-0d6f2f1a7b02"
#define OP3	"6f1c1f3e-3b1a-4c55-9a0e-0d6f2f1a7b03"

static json_t *
book_payload(const char *resource, const char *start, const char *end,
    const char *email)
{
	return (json_pack("{s:s,s:s,s:s,s:s}", "resource", resource, "start",
	    start, "end", end, "email", email));
}

static int64_t
count(const char *table)
{
	char	sql[128];

	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	return (fx_sql_int(sql));
}

START_TEST(test_replayed_booking_gets_first_result)
{
	json_t		*r1 = NULL, *r2 = NULL;
	int64_t		 bookings = count("booking"), log;

	fx_assert_ok(fx_op_id(fx_desk, OP1, "book", book_payload("T-G1",
	    "2026-11-27T10:00", "2026-11-27T11:00", FX_EMAIL), &r1));
	log = count("change_log");
	/* The same id again, even with another payload: the first result. */
	fx_assert_ok(fx_op_id(fx_desk, OP1, "book", book_payload("T-G1",
	    "2026-11-27T12:00", "2026-11-27T13:00", FX_EMAIL2), &r2));
	ck_assert_ptr_nonnull(r1);
	ck_assert_ptr_nonnull(r2);
	ck_assert(json_equal(r1, r2));
	ck_assert_int_eq(count("booking"), bookings + 1);
	ck_assert_int_eq(count("change_log"), log);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM op_result WHERE "
	    "op_id = '" OP1 "' AND status = 'applied'"), 1);
	json_decref(r1);
	json_decref(r2);
	/* The id of another account's operation, or of another kind, gets
	 * nothing of the first result. */
	r2 = NULL;
	fx_assert_gerr(fx_op_id(fx_admin, OP1, "book", book_payload("T-G1",
	    "2026-11-27T12:00", "2026-11-27T13:00", FX_EMAIL2), &r2),
	    GERR_BAD_REQUEST, NULL);
	ck_assert_ptr_null(r2);
	fx_assert_gerr(fx_op_id(fx_desk, OP1, "cancel", json_pack("{s:s,s:s}",
	    "id", "x", "reason", "y"), NULL), GERR_BAD_REQUEST, NULL);
	ck_assert_int_eq(count("booking"), bookings + 1);
	/* An operation without a caller's id (the sweeper's) leaves no
	 * result to replay. */
	log = count("op_result");
	fx_assert_ok(fx_op(fx_system, "sweep", json_object(), NULL));
	ck_assert_int_eq(count("op_result"), log);
}
END_TEST

/* A refused operation replays as refused, even once it would pass. */
START_TEST(test_a_replayed_refusal_stays_refused)
{
	char	id[UUID_LEN], first[sizeof fx_err.msg];

	fx_assert_ok(fx_book(fx_desk, "T-G1", "2026-11-27T10:00",
	    "2026-11-27T11:00", FX_EMAIL, id));
	fx_assert_gerr(fx_op_id(fx_desk, OP2, "book", book_payload("T-G1",
	    "2026-11-27T10:00", "2026-11-27T11:00", FX_EMAIL2), NULL),
	    GERR_SLOT_TAKEN, "(R7)");
	snprintf(first, sizeof first, "%s", fx_err.msg);
	fx_assert_ok(fx_op(fx_desk, "cancel", json_pack("{s:s,s:s}", "id", id,
	    "reason", "moved"), NULL));
	fx_assert_gerr(fx_op_id(fx_desk, OP2, "book", book_payload("T-G1",
	    "2026-11-27T10:00", "2026-11-27T11:00", FX_EMAIL2), NULL),
	    GERR_SLOT_TAKEN, NULL);
	/* The first refusal's message, figures and rule included. */
	ck_assert_str_eq(fx_err.msg, first);
	/* A new id is a new operation. */
	fx_assert_ok(fx_op_id(fx_desk, OP3, "book", book_payload("T-G1",
	    "2026-11-27T10:00", "2026-11-27T11:00", FX_EMAIL2), NULL));
}
END_TEST

/* A booking keeps the id its creator made (offline desks). */
START_TEST(test_booking_keeps_its_creators_id)
{
	json_t	*p = book_payload("T-G1", "2026-11-27T10:00",
	    "2026-11-27T11:00", FX_EMAIL);

	json_object_set_new(p, "id", json_string(OP1));
	fx_assert_ok(fx_op(fx_desk, "book", p, NULL));
	ck_assert_int_eq(fx_status(OP1), STATUS_CONFIRMED);
	p = book_payload("T-G2", "2026-11-27T10:00", "2026-11-27T11:00",
	    FX_EMAIL2);
	json_object_set_new(p, "id", json_string(OP1));
	fx_assert_gerr(fx_op(fx_desk, "book", p, NULL), GERR_BAD_STATE, NULL);
	p = book_payload("T-G2", "2026-11-27T10:00", "2026-11-27T11:00",
	    FX_EMAIL2);
	json_object_set_new(p, "id", json_string("not-a-uuid"));
	fx_assert_gerr(fx_op(fx_desk, "book", p, NULL), GERR_BAD_REQUEST,
	    NULL);
}
END_TEST

START_TEST(test_each_write_logs_one_change_in_order)
{
	char	id[UUID_LEN];
	int64_t	n = count("change_log"), seq, next;

	seq = fx_sql_int("SELECT coalesce(max(seq), 0) FROM change_log");
	fx_assert_ok(fx_book(fx_desk, "T-G1", "2026-11-27T10:00",
	    "2026-11-27T11:00", FX_EMAIL, id));
	ck_assert_int_eq(count("change_log"), n + 1);
	next = fx_sql_int("SELECT max(seq) FROM change_log");
	ck_assert_int_gt(next, seq);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM change_log WHERE "
	    "entity = 'booking' AND seq = (SELECT max(seq) FROM change_log) "
	    "AND entity_id = (SELECT id FROM booking WHERE email = '"
	    FX_EMAIL "')"), 1);
	seq = next;
	fx_assert_ok(fx_op(fx_desk, "change", json_pack("{s:s,s:s}", "id", id,
	    "end", "2026-11-27T11:30"), NULL));
	ck_assert_int_eq(count("change_log"), n + 2);
	next = fx_sql_int("SELECT max(seq) FROM change_log");
	ck_assert_int_gt(next, seq);
	seq = next;
	/* A refusal logs nothing. */
	fx_assert_gerr(fx_op(fx_desk, "change", json_pack("{s:s,s:s}", "id",
	    id, "end", "2026-11-27T13:00"), NULL), GERR_TOO_LONG, "(R3)");
	ck_assert_int_eq(count("change_log"), n + 2);
	fx_assert_ok(fx_op(fx_desk, "cancel", json_pack("{s:s,s:s}", "id", id,
	    "reason", "ill"), NULL));
	ck_assert_int_eq(count("change_log"), n + 3);
	ck_assert_int_gt(fx_sql_int("SELECT max(seq) FROM change_log"), seq);
	/* In order, one op id per row. */
	ck_assert_int_eq(fx_sql_int("SELECT count(DISTINCT op_id) FROM "
	    "change_log WHERE entity_id = (SELECT id FROM booking WHERE "
	    "email = '" FX_EMAIL "')"), 3);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM change_log a JOIN "
	    "change_log b ON b.seq > a.seq AND b.at < a.at"), 0);
}
END_TEST

/* user_version migrations: forward, all or nothing, never backward. */
START_TEST(test_migrations_go_forward_all_or_nothing)
{
	struct store	*s;
	struct gerror	 err;
	char		 path[600];
	sqlite3		*db;
	FILE		*f;

	snprintf(path, sizeof path, "%s.v1", fx_db_path());
	/* A version 1 database, as an older guichet left it. */
	ck_assert_int_eq(store_open(path, STORE_CREATE, &s, &err), GERR_OK);
	store_close(s);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "DROP TABLE session_token; DROP "
	    "TABLE login_attempt; ALTER TABLE change_log DROP COLUMN made_at; "
	    "ALTER TABLE conflict DROP COLUMN made_at; ALTER TABLE conflict "
	    "DROP COLUMN detail; PRAGMA user_version = 1", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	ck_assert_msg(store_open(path, 0, &s, &err) == GERR_OK, "%s", err.msg);
	ck_assert_int_eq(fx_sql_int("SELECT 1"), 1);
	store_close(s);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "SELECT count(*) FROM session_token",
	    NULL, NULL, NULL), SQLITE_OK);
	/* A newer database than this guichet is refused, untouched. */
	ck_assert_int_eq(sqlite3_exec(db, "PRAGMA user_version = 99", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	ck_assert_int_eq(store_open(path, 0, &s, &err), GERR_STORAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "newer than this guichet"));
	/* A file that is not a database is named as such. */
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("not a database, just some words long enough for a header\n",
	    f);
	fclose(f);
	unlink(strcat(path, "-wal"));
	path[strlen(path) - 4] = '\0';
	ck_assert_int_eq(store_open(path, 0, &s, &err), GERR_STORAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "not a guichet database"));
	unlink(path);
}
END_TEST

/* An integer the first row of sql on db gives, or -1. */
static long long
db_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*st;
	long long	 v = -1;

	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
	    SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return (v);
}

/*
 * A database at path (fx_db_path() and ".vN") as version `version` of the
 * schema left it: made as now, then sql undoes what came after, and
 * user_version says so. Open, for the test's checks before migrating.
 */
static sqlite3 *
db_as_version(char *path, size_t len, int version, const char *sql)
{
	struct store	*s;
	struct gerror	 err;
	sqlite3		*db;
	char		 pragma[64];

	snprintf(path, len, "%s.v%d", fx_db_path(), version);
	ck_assert_int_eq(store_open(path, STORE_CREATE, &s, &err), GERR_OK);
	store_close(s);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK,
	    "%s", sqlite3_errmsg(db));
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", version);
	ck_assert_int_eq(sqlite3_exec(db, pragma, NULL, NULL, NULL),
	    SQLITE_OK);
	return (db);
}

/*
 * Migration 4 (issue 12): a version 3 database, its change_log with
 * AUTOINCREMENT and its patron and op_result with a rowid, comes out
 * rebuilt, every row kept (seq included), and the next change still
 * numbered above the last one a desk may have pulled.
 */
START_TEST(test_migration_4_rebuilds_and_keeps_rows)
{
	struct store	*s;
	struct gerror	 err;
	char		 path[600];
	sqlite3		*db;

	/* The tables as version 3 made them, with rows. */
	db = db_as_version(path, sizeof path, 3, "DROP TABLE change_log; "
	    "DROP TABLE patron; DROP TABLE op_result;"
	    "CREATE TABLE change_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
	    "entity TEXT NOT NULL, entity_id TEXT NOT NULL, op_id TEXT NOT "
	    "NULL, at INTEGER NOT NULL, data TEXT NOT NULL, made_at INTEGER "
	    "NOT NULL DEFAULT 0) STRICT;"
	    "CREATE TABLE patron (email TEXT PRIMARY KEY, confirmed INTEGER "
	    "NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1))) STRICT;"
	    "CREATE TABLE op_result (op_id TEXT PRIMARY KEY, kind TEXT NOT "
	    "NULL, account TEXT NOT NULL DEFAULT '', status TEXT NOT NULL "
	    "CHECK (status IN ('applied', 'rejected')), error TEXT NOT NULL "
	    "DEFAULT '', message TEXT NOT NULL DEFAULT '', result TEXT NOT "
	    "NULL DEFAULT '', at INTEGER NOT NULL) STRICT;"
	    "INSERT INTO change_log VALUES (7, 'booking', 'b1', 'o1', 100, "
	    "'{}', 90), (12, 'booking', 'b2', 'o2', 200, '{\"a\":1}', 0);"
	    "INSERT INTO patron VALUES ('a@univ-tlse.fr', 1), "
	    "('b@univ-tlse.fr', 0);"
	    "INSERT INTO op_result VALUES ('o1', 'book', 'desk', 'applied', "
	    "'', '', '{}', 100), ('o2', 'cancel', 'desk', 'rejected', "
	    "'bad_state', 'no', '', 200);");
	sqlite3_close(db);

	ck_assert_msg(store_open(path, 0, &s, &err) == GERR_OK, "%s", err.msg);
	store_close(s);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(db_int(db, "PRAGMA user_version"), STORE_VERSION);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM sqlite_schema "
	    "WHERE name IN ('patron', 'op_result') AND sql LIKE "
	    "'%WITHOUT ROWID'"), 2);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM sqlite_schema "
	    "WHERE name = 'change_log' AND sql LIKE '%AUTOINCREMENT%'"), 0);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM sqlite_schema "
	    "WHERE name LIKE '%\\_4' ESCAPE '\\'"), 0);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM change_log WHERE "
	    "(seq = 7 AND entity_id = 'b1' AND made_at = 90) OR (seq = 12 AND "
	    "data = '{\"a\":1}')"), 2);
	ck_assert_int_eq(db_int(db, "SELECT confirmed FROM patron WHERE "
	    "email = 'a@univ-tlse.fr'"), 1);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM patron"), 2);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM op_result WHERE "
	    "(op_id = 'o1' AND result = '{}') OR (op_id = 'o2' AND error = "
	    "'bad_state' AND message = 'no')"), 2);
	/* The next change follows the last. */
	ck_assert_int_eq(sqlite3_exec(db, "INSERT INTO change_log (entity, "
	    "entity_id, op_id, at, data) VALUES ('booking', 'b3', 'o3', 300, "
	    "'{}')", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(db_int(db, "SELECT seq FROM change_log WHERE "
	    "entity_id = 'b3'"), 13);
	sqlite3_close(db);
	unlink(path);
}
END_TEST

/* How many ephemeral tables a booking's INSERT opens, by its program. */
static int
ephemeral_opens(sqlite3 *db)
{
	sqlite3_stmt	*st;
	int		 n = 0;

	ck_assert_int_eq(sqlite3_prepare_v2(db, "EXPLAIN INSERT INTO booking "
	    "(id, resource_id, start, end, email, origin, status, created_at, "
	    "changed_at) VALUES ('b9', 1, 1, 2, '', 'desk', 'confirmed', 1, "
	    "1)", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		n += strcmp((const char *)sqlite3_column_text(st, 1),
		    "OpenEphemeral") == 0;
	sqlite3_finalize(st);
	return (n);
}

/*
 * Migration 5 (issue 12): a version 4 booking table, its CHECKs on
 * origin and status lists of constants, comes out rebuilt with every row
 * and index kept; its INSERT then builds no ephemeral index, and the
 * CHECKs still refuse what is not a status or an origin.
 */
START_TEST(test_migration_5_checks_without_an_ephemeral_index)
{
	struct store	*s;
	struct gerror	 err;
	char		 path[600];
	sqlite3		*db;

	db = db_as_version(path, sizeof path, 4, "DROP TABLE booking;"
	    "CREATE TABLE booking (id TEXT PRIMARY KEY, resource_id INTEGER "
	    "NOT NULL REFERENCES resource(id), session_id INTEGER REFERENCES "
	    "session(id), start INTEGER NOT NULL, end INTEGER NOT NULL, email "
	    "TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL "
	    "DEFAULT '', places INTEGER NOT NULL DEFAULT 1 CHECK (places >= "
	    "1), origin TEXT NOT NULL CHECK (origin IN ('web', 'app', "
	    "'phone', 'walk-in', 'desk')), status TEXT NOT NULL CHECK (status "
	    "IN ('pending_confirmation', 'confirmed', 'present', 'cancelled', "
	    "'no_show', 'expired')), cancel_reason TEXT NOT NULL DEFAULT '', "
	    "created_by TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, "
	    "changed_by TEXT NOT NULL DEFAULT '', changed_at INTEGER NOT "
	    "NULL, version INTEGER NOT NULL DEFAULT 1, CHECK (end > start)) "
	    "STRICT;"
	    "CREATE INDEX booking_start ON booking (start, end, status);"
	    "INSERT INTO establishment (id, code, name, kind, tz) VALUES (1, "
	    "'L', 'Library', 'library', 'Europe/Paris');"
	    "INSERT INTO resource (id, code, name, type, establishment_id, "
	    "library_id) VALUES (1, 'L-G1', 'Room', 'group_room', 1, 1);"
	    "INSERT INTO booking VALUES ('b1', 1, NULL, 100, 200, "
	    "'a@univ-tlse.fr', 'Ana', '', 2, 'phone', 'present', '', 'desk', "
	    "90, 'desk', 95, 3), ('b2', 1, NULL, 300, 400, '', '', '', 1, "
	    "'desk', 'cancelled', 'why', 'admin', 91, 'admin', 96, 1);");
	ck_assert_int_eq(ephemeral_opens(db), 2);
	sqlite3_close(db);

	ck_assert_msg(store_open(path, 0, &s, &err) == GERR_OK, "%s", err.msg);
	store_close(s);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(db_int(db, "PRAGMA user_version"), STORE_VERSION);
	ck_assert_int_eq(ephemeral_opens(db), 0);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM booking WHERE "
	    "(id = 'b1' AND email = 'a@univ-tlse.fr' AND name = 'Ana' AND "
	    "places = 2 AND origin = 'phone' AND status = 'present' AND "
	    "created_at = 90 AND changed_at = 95 AND version = 3) OR (id = "
	    "'b2' AND status = 'cancelled' AND cancel_reason = 'why')"), 2);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM sqlite_schema WHERE "
	    "tbl_name = 'booking' AND type = 'index' AND name LIKE "
	    "'booking\\_%' ESCAPE '\\'"), 5);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM sqlite_schema "
	    "WHERE name LIKE '%\\_5' ESCAPE '\\'"), 0);
	/* Every status and origin still passes, anything else does not. */
	ck_assert_int_eq(sqlite3_exec(db, "INSERT INTO booking (id, "
	    "resource_id, start, end, email, origin, status, created_at, "
	    "changed_at) VALUES ('c1', 1, 1, 2, '', 'web', "
	    "'pending_confirmation', 1, 1), ('c2', 1, 1, 2, '', 'app', "
	    "'no_show', 1, 1), ('c3', 1, 1, 2, '', 'walk-in', 'expired', 1, "
	    "1)", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "INSERT INTO booking (id, "
	    "resource_id, start, end, email, origin, status, created_at, "
	    "changed_at) VALUES ('c4', 1, 1, 2, '', 'desk', 'lost', 1, 1)",
	    NULL, NULL, NULL), SQLITE_CONSTRAINT);
	ck_assert_int_eq(sqlite3_exec(db, "UPDATE booking SET origin = 'fax' "
	    "WHERE id = 'b1'", NULL, NULL, NULL), SQLITE_CONSTRAINT);
	sqlite3_close(db);
	unlink(path);
}
END_TEST

/*
 * op_book hands the row it has just written to the e-mail and the record
 * instead of reading it back (issue 12): what it logs and answers is the
 * row as booking_find reads it, a desk's phone booking with every field
 * and a patron's pending one alike.
 */
START_TEST(test_book_result_is_the_row)
{
	const struct account	*who[2] = { fx_desk, fx_patron };
	json_t			*payload[2], *res, *row;
	struct booking		 b;
	struct resource		 r;
	size_t			 i;

	payload[0] = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "resource",
	    "T-G1", "start", "2026-11-27T10:00", "end", "2026-11-27T11:00",
	    "email", FX_EMAIL, "name", "Zoé Martin", "phone", "05 61 00 00 00",
	    "origin", "phone");
	payload[1] = book_payload("T-G2", "2026-11-27T14:00",
	    "2026-11-27T15:30", "new.patron@univ-tlse2.fr");
	fx_assert_ok(resource_find(fx_store, "T-G1", &r));
	for (i = 0; i < 2; i++) {
		fx_assert_ok(fx_op(who[i], "book", payload[i], &res));
		fx_assert_ok(booking_find(fx_store, json_string_value(
		    json_object_get(res, "id")), &b));
		row = record_booking(&b, r.tz);
		ck_assert_msg(json_equal(res, row), "answered %s, the row is %s",
		    json_dumps(res, JSON_SORT_KEYS), json_dumps(row,
		    JSON_SORT_KEYS));
		json_decref(res);
		json_decref(row);
	}
	ck_assert_int_eq(b.status, STATUS_PENDING);
	fx_mail_compose();
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM mail WHERE "
	    "recipient = 'new.patron@univ-tlse2.fr' AND subject LIKE "
	    "'Confirmez%' AND body LIKE '%T-G2%'"), 1);
}
END_TEST

/*
 * An operation queues its e-mail and mail_compose writes it after the
 * commit (issue 12): the text is the booking's as it was when queued,
 * even if the booking changed since, and writing twice writes nothing
 * more.
 */
START_TEST(test_mail_written_after_the_operation_as_it_was)
{
	char	id[UUID_LEN], sql[256];

	fx_assert_ok(fx_book(fx_desk, "T-G1", "2026-11-27T10:00",
	    "2026-11-27T11:00", FX_EMAIL, id));
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM mail WHERE "
	    "body = '' AND subject = '' AND recipient = '" FX_EMAIL "'"), 1);
	fx_assert_ok(fx_op(fx_desk, "change", json_pack("{s:s,s:s,s:s}", "id",
	    id, "start", "2026-11-27T14:00", "end", "2026-11-27T15:00"),
	    NULL));
	fx_mail_compose();
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM mail WHERE "
	    "body = ''"), 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM mail WHERE booking_id "
	    "= '%s' AND subject LIKE 'R_servation confirm_e : %%de 10 h 00 _ "
	    "11 h 00' AND body LIKE 'Bonjour,%%T-G1%%key=%%'", id);
	ck_assert_int_eq(fx_sql_int(sql), 1);
	fx_sql("UPDATE mail SET subject = 'kept'");
	fx_mail_compose();
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM mail WHERE "
	    "subject <> 'kept'"), 0);
	/* A row no text can be written for (a damaged kind) is marked
	 * given up, and the others are still written. */
	fx_sql("INSERT INTO mail (recipient, subject, body, booking_id, "
	    "created_at, kind) VALUES ('" FX_EMAIL "', '', '', 'x', 1, 99)");
	fx_assert_ok(fx_book(fx_desk, "T-G2", "2026-11-27T10:00",
	    "2026-11-27T11:00", FX_EMAIL, NULL));
	fx_mail_compose();
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM mail WHERE "
	    "booking_id = 'x' AND attempts >= 10 AND last_error LIKE "
	    "'nothing to send%'"), 1);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM mail WHERE "
	    "body = '' OR (booking_id <> 'x' AND attempts > 0)"), 0);
}
END_TEST

START_TEST(test_only_a_desk_queues_its_operations)
{
	char	id[UUID_LEN];

	ck_assert_int_eq(count("outbox"), 0);
	/* Standalone: no outbox. */
	fx_assert_ok(fx_book(fx_desk, "T-G1", "2026-11-27T10:00",
	    "2026-11-27T11:00", FX_EMAIL, id));
	ck_assert_int_eq(count("outbox"), 0);
	fx_store->desk = 1;
	fx_assert_ok(fx_op_id(fx_desk, OP1, "book", book_payload("T-G2",
	    "2026-11-27T10:00", "2026-11-27T11:00", FX_EMAIL2), NULL));
	ck_assert_int_eq(count("outbox"), 1);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM outbox WHERE "
	    "op_id = '" OP1 "' AND kind = 'book' AND account = 'desk.mirail' "
	    "AND payload LIKE '%T-G2%'"), 1);
	/* A refusal queues nothing; neither does a replay. */
	fx_assert_gerr(fx_op_id(fx_desk, OP2, "book", book_payload("T-G2",
	    "2026-11-27T10:30", "2026-11-27T11:30", FX_EMAIL), NULL),
	    GERR_SLOT_TAKEN, "(R7)");
	fx_assert_ok(fx_op_id(fx_desk, OP1, "book", book_payload("T-G2",
	    "2026-11-27T10:00", "2026-11-27T11:00", FX_EMAIL2), NULL));
	ck_assert_int_eq(count("outbox"), 1);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM outbox WHERE "
	    "op_id = '" OP2 "'"), 0);
	fx_assert_ok(fx_op_id(fx_desk, OP3, "cancel", json_pack("{s:s,s:s}",
	    "id", id, "reason", "ill"), NULL));
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM outbox WHERE "
	    "op_id = '" OP3 "' AND seq > (SELECT seq FROM outbox WHERE "
	    "op_id = '" OP1 "')"), 1);
}
END_TEST

/* Malformed operations: bad_request, nothing written. */
START_TEST(test_malformed_operations_write_nothing)
{
	static const char *const bad_times[] = {
		"2026-13-01T10:00", "2026-11-27T25:00", "2026-11-27",
		"27/11/2026 10:00", "2026-11-27T10:00+1", "2026-11-27T10:00Zz",
		"2026-11-31T10:00", "tomorrow", "",
	};
	int64_t	 bookings = count("booking"), log = count("change_log");
	int64_t	 results = count("op_result");
	json_t	*p, *res = NULL;
	size_t	 i;

	fx_assert_gerr(fx_op(fx_desk, "teleport", json_object(), NULL),
	    GERR_BAD_REQUEST, NULL);
	ck_assert_ptr_nonnull(strstr(fx_err.msg, "teleport"));
	fx_assert_gerr(fx_op(fx_desk, "book", json_array(), NULL),
	    GERR_BAD_REQUEST, NULL);
	fx_assert_gerr(fx_op(fx_desk, "book", json_string("T-G1"), NULL),
	    GERR_BAD_REQUEST, NULL);
	fx_assert_gerr(fx_op_id(fx_desk, "1234", "book", book_payload("T-G1",
	    "2026-11-27T10:00", "2026-11-27T11:00", FX_EMAIL), NULL),
	    GERR_BAD_REQUEST, NULL);
	/* Nothing at all was recorded for these. */
	ck_assert_int_eq(count("op_result"), results);

	/* Texts no record would cut, and a version that is not a number. */
	p = book_payload("T-G1", "2026-11-27T10:00", "2026-11-27T11:00",
	    FX_EMAIL);
	json_object_set_new(p, "name", json_string("\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
	    "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"));
	fx_assert_gerr(fx_op(fx_desk, "book", p, NULL), GERR_BAD_TEXT, "(R16)");
	ck_assert_ptr_nonnull(strstr(fx_err.msg, "'name' has 134 characters"));

	/* Missing or mistyped fields, named in the message. */
	p = book_payload("T-G1", "2026-11-27T10:00", "2026-11-27T11:00",
	    FX_EMAIL);
	json_object_del(p, "email");
	fx_assert_gerr(fx_op(fx_desk, "book", p, NULL), GERR_BAD_REQUEST,
	    "'email'");
	p = book_payload("T-G1", "2026-11-27T10:00", "2026-11-27T11:00",
	    FX_EMAIL);
	json_object_del(p, "end");
	fx_assert_gerr(fx_op(fx_desk, "book", p, NULL), GERR_BAD_REQUEST,
	    "'end'");
	p = book_payload("T-G1", "2026-11-27T10:00", "2026-11-27T11:00",
	    FX_EMAIL);
	json_object_set_new(p, "email", json_integer(42));
	fx_assert_gerr(fx_op(fx_desk, "book", p, NULL), GERR_BAD_REQUEST,
	    "'email'");
	p = book_payload("T-G1", "2026-11-27T10:00", "2026-11-27T11:00",
	    FX_EMAIL);
	json_object_set_new(p, "places", json_string("two"));
	fx_assert_gerr(fx_op(fx_desk, "book", p, NULL), GERR_BAD_REQUEST,
	    "'places'");
	p = book_payload("T-G1", "2026-11-27T10:00", "2026-11-27T11:00",
	    FX_EMAIL);
	json_object_set_new(p, "origin", json_string("pigeon"));
	fx_assert_gerr(fx_op(fx_desk, "book", p, NULL), GERR_BAD_REQUEST,
	    "pigeon");
	fx_assert_gerr(fx_op(fx_desk, "book", book_payload("NOPE-1",
	    "2026-11-27T10:00", "2026-11-27T11:00", FX_EMAIL), NULL),
	    GERR_NOT_FOUND, "NOPE-1");
	for (i = 0; i < sizeof bad_times / sizeof bad_times[0]; i++) {
		fx_assert_gerr(fx_op(fx_desk, "book", book_payload("T-G1",
		    bad_times[i], "2026-11-27T11:00", FX_EMAIL), NULL),
		    GERR_BAD_REQUEST, "ISO 8601");
		fx_assert_gerr(fx_op(fx_desk, "book", book_payload("T-G1",
		    "2026-11-27T10:00", bad_times[i], FX_EMAIL), NULL),
		    GERR_BAD_REQUEST, "ISO 8601");
	}
	/* Other kinds. */
	fx_assert_gerr(fx_op(fx_desk, "cancel", json_pack("{s:s}", "reason",
	    "x"), NULL), GERR_BAD_REQUEST, "'id'");
	fx_assert_gerr(fx_op(fx_desk, "free_late", json_pack("{s:s}", "ids",
	    "abc"), NULL), GERR_BAD_REQUEST, "'ids'");
	fx_assert_gerr(fx_op(fx_admin, "hours_week", json_pack("{s:s,s:i,"
	    "s:s,s:s}", "establishment", "TST", "weekday", 8, "open", "08:00",
	    "close", "20:00"), NULL), GERR_BAD_REQUEST, "'weekday'");
	fx_assert_gerr(fx_op(fx_admin, "hours_week", json_pack("{s:s,s:i,"
	    "s:s,s:s}", "establishment", "TST", "weekday", 5, "open", "8h",
	    "close", "20:00"), NULL), GERR_BAD_REQUEST, "'open'");
	fx_assert_gerr(fx_op(fx_admin, "hours_week", json_pack("{s:s,s:i,"
	    "s:s,s:s}", "establishment", "TST", "weekday", 5, "open", "20:00",
	    "close", "08:00"), NULL), GERR_BAD_REQUEST, NULL);
	fx_assert_gerr(fx_op(fx_admin, "close", json_pack("{s:s,s:s,s:s}",
	    "establishment", "TST", "date", "2026-02-30", "reason", "x"),
	    NULL), GERR_BAD_REQUEST, "2026-02-30");
	fx_assert_gerr(fx_op(fx_admin, "resource_set", json_pack("{s:s,s:i}",
	    "resource", "T-G1", "granularity", 0), NULL), GERR_BAD_REQUEST,
	    "'granularity'");
	fx_assert_gerr(fx_op(fx_admin, "resource_set", json_pack("{s:s,s:i}",
	    "resource", "T-G1", "colour", 3), NULL), GERR_BAD_REQUEST,
	    "'colour'");
	fx_assert_gerr(fx_op(fx_admin, "message_add", json_pack("{s:s,s:s,"
	    "s:s,s:s,s:s}", "establishment", "TST", "kind", "banner", "text",
	    "x", "from", "2026-11-27T10:00", "to", "2026-11-28T10:00"), NULL),
	    GERR_BAD_REQUEST, "banner");

	ck_assert_int_eq(count("booking"), bookings);
	ck_assert_int_eq(count("change_log"), log);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM hours_weekly h JOIN "
	    "establishment e ON e.id = h.establishment_id WHERE "
	    "e.code = 'TST' AND open_min = 0 AND close_min = 1440"), 7);
	ck_assert_int_eq(fx_sql_int("SELECT granularity FROM resource WHERE "
	    "code = 'T-G1'"), 30);
	/* And the store still works. */
	fx_assert_ok(fx_op(fx_desk, "book", book_payload("T-G1",
	    "2026-11-27T10:00", "2026-11-27T11:00", FX_EMAIL), &res));
	ck_assert_ptr_nonnull(res);
	json_decref(res);
}
END_TEST

/* Every kind of the table reaches its handler, and only the sweep is
 * kept off the outbox. */
/*
 * Group commit (store_batch_begin, the server's writer): operations share
 * one transaction, each in its own savepoint; a refusal undoes only its
 * own writes and keeps its own answer, and the batch commits the others
 * (with the refusal's record) at once. A batch rolled back leaves nothing.
 */
START_TEST(test_batch_keeps_each_ops_own_answer)
{
	int64_t	bookings = count("booking"), log = count("change_log");

	fx_assert_ok(store_batch_begin(fx_store, &fx_err));
	fx_assert_ok(fx_op_id(fx_desk, OP1, "book", book_payload("T-G1",
	    "2026-11-27T10:00", "2026-11-27T11:00", FX_EMAIL), NULL));
	/* The same slot: refused (R7) after its checks wrote nothing. */
	fx_assert_gerr(fx_op_id(fx_desk, OP2, "book", book_payload("T-G1",
	    "2026-11-27T10:30", "2026-11-27T11:30", FX_EMAIL2), NULL),
	    GERR_SLOT_TAKEN, "R7");
	fx_assert_ok(fx_op_id(fx_desk, OP3, "book", book_payload("T-G1",
	    "2026-11-27T12:00", "2026-11-27T13:00", FX_EMAIL2), NULL));
	/* Still one transaction: another connection sees none of it. */
	ck_assert(!sqlite3_get_autocommit(fx_store->db));
	fx_assert_ok(store_batch_commit(fx_store, &fx_err));
	ck_assert_int_eq(count("booking"), bookings + 2);
	ck_assert_int_eq(count("change_log"), log + 2);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM op_result WHERE "
	    "op_id = '" OP2 "' AND status = 'rejected' AND error = "
	    "'slot_taken'"), 1);
	/* The refusal replays as refused. */
	fx_assert_gerr(fx_op_id(fx_desk, OP2, "book", book_payload("T-G1",
	    "2026-11-27T15:00", "2026-11-27T16:00", FX_EMAIL2), NULL),
	    GERR_SLOT_TAKEN, NULL);

	/* Rolled back: neither the booking nor its record stays. */
	fx_assert_ok(store_batch_begin(fx_store, &fx_err));
	fx_assert_ok(fx_op_id(fx_desk, "6f1c1f3e-3b1a-4c55-9a0e-0d6f2f1a7b04",
	    "book", book_payload("T-G2", "2026-11-27T10:00",
	    "2026-11-27T11:00", FX_EMAIL), NULL));
	store_batch_rollback(fx_store);
	ck_assert_int_eq(count("booking"), bookings + 2);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM op_result WHERE "
	    "op_id = '6f1c1f3e-3b1a-4c55-9a0e-0d6f2f1a7b04'"), 0);
	/* And the connection is back to a transaction an operation. */
	fx_assert_ok(fx_op_id(fx_desk, "6f1c1f3e-3b1a-4c55-9a0e-0d6f2f1a7b04",
	    "book", book_payload("T-G2", "2026-11-27T10:00",
	    "2026-11-27T11:00", FX_EMAIL), NULL));
	ck_assert(sqlite3_get_autocommit(fx_store->db));
	ck_assert_int_eq(count("booking"), bookings + 3);
}
END_TEST

START_TEST(test_every_kind_reaches_its_handler)
{
	const char	*kind;
	size_t		 i;

	for (i = 0; (kind = op_kind(i)) != NULL; i++) {
		fx_op(fx_admin, kind, json_pack("{s:s}", "zzz", "zzz"), NULL);
		ck_assert_msg(strstr(fx_err.msg, "is not an operation") == NULL,
		    "%s: %s", kind, fx_err.msg);
		ck_assert_int_eq(op_kind_local(kind), strcmp(kind, "sweep") ==
		    0);
	}
	ck_assert_uint_ge(i, 16);
	ck_assert_int_eq(op_kind_local("frobnicate"), 0);
}
END_TEST

/*
 * xappend (the query lists): an array grown one element at a time has
 * room for each new element, keeps the earlier ones, and is reallocated
 * only when its count reaches a power of two (query_grid copied each row
 * of a day's bookings at every booking: a seventh of bench_core's
 * instructions).
 */
START_TEST(test_xappend_grows_by_doubling)
{
	struct item {
		size_t	 n;
		char	 pad[120];
	}		*v = NULL, *was;
	size_t		 n, moves = 0, reallocs = 0;

	for (n = 0; n < 5000; n++) {
		was = v;
		v = xappend(v, n, sizeof *v);
		if (n == 0 || (n & (n - 1)) == 0)
			reallocs++;
		else
			ck_assert_ptr_eq(v, was);	/* room was left */
		moves += v != was;
		ck_assert(malloc_usable_size(v) >= (n + 1) * sizeof *v);
		v[n].n = n;
		memset(v[n].pad, (int)(n & 0xff), sizeof v[n].pad);
	}
	for (n = 0; n < 5000; n++) {
		ck_assert_uint_eq(v[n].n, n);
		ck_assert_int_eq(v[n].pad[119], (char)(n & 0xff));
	}
	ck_assert_uint_eq(reallocs, 14);	/* 0, 1, 2, 4 ... 4096 */
	ck_assert_uint_le(moves, reallocs);
	free(v);
}
END_TEST

Suite *
suite_ops(void)
{
	Suite	*s = suite_create("ops");
	TCase	*tc;

	tc = tcase_create("door");
	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, test_replayed_booking_gets_first_result);
	tcase_add_test(tc, test_a_replayed_refusal_stays_refused);
	tcase_add_test(tc, test_booking_keeps_its_creators_id);
	tcase_add_test(tc, test_each_write_logs_one_change_in_order);
	tcase_add_test(tc, test_only_a_desk_queues_its_operations);
	tcase_add_test(tc, test_migrations_go_forward_all_or_nothing);
	tcase_add_test(tc, test_migration_4_rebuilds_and_keeps_rows);
	tcase_add_test(tc, test_migration_5_checks_without_an_ephemeral_index);
	tcase_add_test(tc, test_book_result_is_the_row);
	tcase_add_test(tc, test_mail_written_after_the_operation_as_it_was);
	tcase_add_test(tc, test_malformed_operations_write_nothing);
	tcase_add_test(tc, test_every_kind_reaches_its_handler);
	tcase_add_test(tc, test_batch_keeps_each_ops_own_answer);
	tcase_add_test(tc, test_xappend_grows_by_doubling);
	suite_add_tcase(s, tc);
	return (s);
}
