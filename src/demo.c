/*
 * The demo dataset. It is seed data written straight into a new database,
 * inside one transaction: it describes a past that operations could not
 * make (bookings that ended yesterday). Names are invented.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "demo.h"
#include "domain.h"
#include "hours.h"
#include "rights.h"
#include "rules.h"
#include "settings.h"
#include "tz.h"
#include "xmalloc.h"

#define ZONE	TZ_DEFAULT

static const char *const domains[] = {
	"univ-tlse2.fr", "etu.univ-tlse2.fr", "univ-tlse3.fr", "ut-capitole.fr",
	"insa-toulouse.fr", "inp-toulouse.fr", "enac.fr", "isae.fr",
	"mines-albi.fr", "univ-jfc.fr", "iut-tlse3.fr", NULL
};

static const struct {
	const char	*code, *name, *kind, *checkin;
	int		 jauge, occupancy;
	/* Weekly hours: Mon-Fri, Sat (minutes), -1 closed. */
	int		 wo, wc, so, sc;
} estabs[] = {
	{ "CAMPUS", "Campus Mirail", "campus", "", 0, 0, -1, -1, -1, -1 },
	{ "UJJ", "BU Univ. Jean Jaurès", "booking", "", 0, 0, -1, -1, -1, -1 },
	{ "BUC", "Bibliothèque universitaire centrale", "library", "BUC-4821",
	    400, 16, 480, 1200, 540, 1080 },
	{ "CLAP", "Bibliothèque CLAP", "library", "CLAP-1937", 120, 9,
	    510, 1080, -1, -1 },
	{ "CRL", "Centre de ressources Langues", "library", "CRL-5560", 80, 4,
	    540, 1080, -1, -1 },
	{ "CROG", "Centre de ressources Olympe de Gouges", "library",
	    "CROG-7302", 150, 22, 510, 1110, -1, -1 },
	{ "CRPLM", "Centre de ressources PLM", "library", "CRPLM-2648", 60, 3,
	    540, 1020, -1, -1 },
	{ "ESPE", "ESPE Saint-Agne", "library", "ESPE-3190", 90, 12,
	    480, 1140, 540, 720 },
};

/* Exclusive resources: code, name, type, holder, library, policy. */
static const struct {
	const char	*code, *name, *type, *holder, *library;
	int		 seats, gran, max, day, month, capacity, public;
} resources[] = {
#define GROUP(c, n, l) { c, n, "group_room", "UJJ", l, 6, 30, 120, 120, 240, \
	1, 1 }
	GROUP("BUC-G1", "Salle de groupe 1", "BUC"),
	GROUP("BUC-G2", "Salle de groupe 2", "BUC"),
	GROUP("BUC-G3", "Salle de groupe 3", "BUC"),
	GROUP("BUC-G4", "Salle de groupe 4", "BUC"),
	GROUP("BUC-G5", "Salle de groupe 5", "BUC"),
	GROUP("BUC-G6", "Salle de groupe 6", "BUC"),
	GROUP("CRL-G1", "Salle de groupe 1", "CRL"),
	GROUP("CRL-G2", "Salle de groupe 2", "CRL"),
	GROUP("CRL-G3", "Salle de groupe 3", "CRL"),
	GROUP("CROG-G1", "Salle de groupe 1", "CROG"),
	GROUP("CROG-G2", "Salle de groupe 2", "CROG"),
	GROUP("CLAP-G1", "Salle de groupe 1", "CLAP"),
	GROUP("CLAP-G2", "Salle de groupe 2", "CLAP"),
	GROUP("CRPLM-G1", "Salle de groupe 1", "CRPLM"),
#undef GROUP
	{ "ESPE-G1", "Salle de groupe 1", "group_room", "ESPE", "ESPE", 8, 60,
	    180, 180, 0, 1, 1 },
	{ "ESPE-G2", "Salle de groupe 2", "group_room", "ESPE", "ESPE", 8, 60,
	    180, 180, 0, 1, 1 },
	{ "BUC-C1", "Carrel 1", "carrel", "UJJ", "BUC", 1, 60, 240, 240, 0, 1,
	    1 },
	{ "BUC-C2", "Carrel 2", "carrel", "UJJ", "BUC", 1, 60, 240, 240, 0, 1,
	    1 },
	{ "BUC-C3", "Carrel 3", "carrel", "UJJ", "BUC", 1, 60, 240, 240, 0, 1,
	    1 },
	{ "BUC-C4", "Carrel 4", "carrel", "UJJ", "BUC", 1, 60, 240, 240, 0, 1,
	    1 },
	{ "BUC-VP1", "Vidéoprojecteur 1", "equipment", "UJJ", "BUC", 1, 60, 240,
	    0, 0, 1, 1 },
	{ "BUC-VP2", "Vidéoprojecteur 2", "equipment", "UJJ", "BUC", 1, 60, 240,
	    0, 0, 1, 1 },
	{ "BUC-AT-ZOTERO", "Atelier Zotero", "workshop", "UJJ", "BUC", 1, 30, 0,
	    0, 0, 12, 1 },
	{ "CROG-AT-BIBLIO", "Atelier recherche bibliographique", "workshop",
	    "UJJ", "CROG", 1, 30, 0, 0, 0, 10, 1 },
	{ "BUC-VISITE", "Visite guidée de la BUC", "visit", "UJJ", "BUC", 1, 30,
	    0, 0, 0, 15, 1 },
	{ "CROG-VISITE", "Visite guidée du CROG", "visit", "UJJ", "CROG", 1, 30,
	    0, 0, 0, 15, 1 },
	{ "CROG-FORM1", "Salle de formation", "training_room", "UJJ", "CROG",
	    20, 30, 0, 0, 0, 1, 0 },
	{ "CLAP-FORM1", "Salle de formation", "training_room", "UJJ", "CLAP",
	    16, 30, 0, 0, 0, 1, 0 },
};

/* Accounts and grants: perms as "P1 P2", scope fields. */
static const struct {
	const char	*login, *name;
	int		 superadmin;
	const char	*est, *perms, *types, *exclude, *library;
} grants[] = {
#define DESK "training_room,meeting_room"
	{ "desk.mirail", "Accueil BUC", 0, "UJJ", "P8", "", DESK, NULL },
	{ "desk.clap", "Accueil CLAP", 0, "UJJ", "P8", "", DESK, NULL },
	{ "desk.crl", "Accueil CRL", 0, "UJJ", "P8", "", DESK, NULL },
	{ "desk.crog", "Accueil CROG", 0, "UJJ", "P8", "", DESK, NULL },
	{ "desk.espe", "Accueil ESPE", 0, "ESPE", "P8", "", DESK, NULL },
#define REF(l, L, who) \
	{ "ref." l, who, 0, "UJJ", "P2 P3 P4 P6 P7 P8 P9", "group_room", "", \
	    L }, \
	{ "ref." l, who, 0, L, "P1 P2 P3 P4 P5 P6 P7", "", "", NULL }, \
	{ "ref." l, who, 0, "CAMPUS", "P2 P3 P4", "", "", NULL }
	REF("buc", "BUC", "Référente BUC (Alice Demo)"),
	REF("clap", "CLAP", "Référent CLAP (Bruno Demo)"),
	REF("crl", "CRL", "Référente CRL (Chloé Demo)"),
	REF("crog", "CROG", "Référent CROG (David Demo)"),
	REF("crplm", "CRPLM", "Référente CRPLM (Emma Demo)"),
#undef REF
	{ "ref.espe", "Référent ESPE (Félix Demo)", 0, "ESPE",
	    "P2 P3 P4 P6 P7 P8 P9", "group_room", "", "ESPE" },
	{ "ref.espe", NULL, 0, "ESPE", "P1 P2 P3 P4 P5 P6 P7", "", "", NULL },
	{ "ref.espe", NULL, 0, "CAMPUS", "P2 P3 P4", "", "", NULL },
	{ "ref.ateliers", "Référent ateliers (Gaël Demo)", 0, "UJJ", "P8 P9",
	    "workshop", "", NULL },
	{ "ref.visites.buc", "Visites BUC (Hugo Demo)", 0, "UJJ", "P8 P9",
	    "visit", "", "BUC" },
	{ "ref.visites.crog", "Visites CROG (Inès Demo)", 0, "UJJ", "P8 P9",
	    "visit", "", "CROG" },
	{ "ref.formation.crog", "Formation CROG (Jules Demo)", 0, "UJJ",
	    "P8 P9", "training_room", "", "CROG" },
	{ "ref.formation.clap", "Formation CLAP (Katia Demo)", 0, "UJJ",
	    "P8 P9", "training_room", "", "CLAP" },
	{ "ref.com", "Communication (Louis Demo)", 0, "CRL", "P1 P2", "", "",
	    NULL },
	{ "admin", "Super-administratrice (Maya Demo)", 1, NULL, NULL, NULL,
	    NULL, NULL },
#undef DESK
};

static const char *const patrons[][2] = {
	{ "nora.petit@etu.univ-tlse2.fr", "Nora Petit" },
	{ "yanis.moreau@etu.univ-tlse2.fr", "Yanis Moreau" },
	{ "lea.garnier@univ-tlse2.fr", "Léa Garnier" },
	{ "samir.roux@ut-capitole.fr", "Samir Roux" },
	{ "julie.faure@etu.univ-tlse2.fr", "Julie Faure" },
	{ "hugo.blanc@insa-toulouse.fr", "Hugo Blanc" },
	{ "ines.lambert@etu.univ-tlse2.fr", "Inès Lambert" },
	{ "tom.girard@univ-tlse3.fr", "Tom Girard" },
	{ "sarah.bonnet@etu.univ-tlse2.fr", "Sarah Bonnet" },
	{ "malik.francois@enac.fr", "Malik François" },
	{ "camille.mercier@etu.univ-tlse2.fr", "Camille Mercier" },
	{ "lucas.dupuis@isae.fr", "Lucas Dupuis" },
	{ "zoe.lefevre@etu.univ-tlse2.fr", "Zoé Lefèvre" },
	{ "adam.marchand@inp-toulouse.fr", "Adam Marchand" },
	{ "emma.caron@etu.univ-tlse2.fr", "Emma Caron" },
	{ "rayan.perrin@univ-jfc.fr", "Rayan Perrin" },
	{ "lina.brun@etu.univ-tlse2.fr", "Lina Brun" },
	{ "noah.fontaine@mines-albi.fr", "Noah Fontaine" },
	{ "jade.chevalier@etu.univ-tlse2.fr", "Jade Chevalier" },
	{ "leo.robin@iut-tlse3.fr", "Léo Robin" },
	{ "manon.gauthier@etu.univ-tlse2.fr", "Manon Gauthier" },
	{ "axel.masson@etu.univ-tlse2.fr", "Axel Masson" },
	{ "chloe.henry@ut-capitole.fr", "Chloé Henry" },
	{ "ethan.david@etu.univ-tlse2.fr", "Ethan David" },
};
#define NPATRONS	(sizeof patrons / sizeof patrons[0])

static int
run(struct store *s, const char *sql)
{
	return (sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 :
	    -1);
}

static int64_t
est_id(struct store *s, const char *code)
{
	struct establishment	e;

	if (code == NULL || establishment_find(s, code, &e) != GERR_OK)
		return (0);
	return (e.id);
}

enum gerr
demo_settings(struct store *s, struct gerror *err)
{
	const struct setting_info	*info;
	sqlite3_stmt			*st;
	size_t				 i;

	/* Each number setting at its default, written out so that
	 * 'guichet settings' shows it. */
	for (i = 0; i < SET__COUNT; i++) {
		info = setting_info((enum setting)i);
		if (info->flags & SETTING_LIST)
			continue;
		st = store_stmt(s, "INSERT OR REPLACE INTO setting VALUES "
		    "(?, ?)");
		sqlite3_bind_text(st, 1, info->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, info->def);
		if (store_step_done(st) != SQLITE_DONE)
			return (store_error(s, err, "writing the settings"));
	}
	for (i = 0; domains[i] != NULL; i++) {
		st = store_stmt(s, "INSERT OR IGNORE INTO allowed_domain "
		    "VALUES (?)");
		sqlite3_bind_text(st, 1, domains[i], -1, SQLITE_STATIC);
		if (store_step_done(st) != SQLITE_DONE)
			return (store_error(s, err, "writing the domains"));
	}
	return (GERR_OK);
}

static int
load_establishments(struct store *s)
{
	sqlite3_stmt	*st;
	size_t		 i;
	int		 wd;
	int64_t		 id;

	for (i = 0; i < sizeof estabs / sizeof estabs[0]; i++) {
		st = store_stmt(s, "INSERT INTO establishment (code, name, "
		    "kind, tz, jauge, occupancy, checkin_code) VALUES "
		    "(?, ?, ?, ?, ?, ?, ?)");
		sqlite3_bind_text(st, 1, estabs[i].code, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, estabs[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, estabs[i].kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, ZONE, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 5, estabs[i].jauge);
		sqlite3_bind_int(st, 6, estabs[i].occupancy);
		sqlite3_bind_text(st, 7, estabs[i].checkin, -1, SQLITE_STATIC);
		if (store_step_done(st) != SQLITE_DONE)
			return (-1);
		id = sqlite3_last_insert_rowid(s->db);
		for (wd = 1; wd <= 6; wd++) {
			int o = wd < 6 ? estabs[i].wo : estabs[i].so;
			int c = wd < 6 ? estabs[i].wc : estabs[i].sc;

			if (o < 0)
				continue;
			st = store_stmt(s, "INSERT INTO hours_weekly VALUES "
			    "(?, ?, ?, ?)");
			sqlite3_bind_int64(st, 1, id);
			sqlite3_bind_int(st, 2, wd);
			sqlite3_bind_int(st, 3, o);
			sqlite3_bind_int(st, 4, c);
			if (store_step_done(st) != SQLITE_DONE)
				return (-1);
		}
	}
	return (0);
}

static int
load_resources(struct store *s)
{
	sqlite3_stmt	*st;
	size_t		 i;

	for (i = 0; i < sizeof resources / sizeof resources[0]; i++) {
		st = store_stmt(s, "INSERT INTO resource (code, name, type, "
		    "establishment_id, library_id, capacity, seats, public, "
		    "granularity, min_duration, max_duration, day_quota, "
		    "month_quota, place, confirm_message) VALUES (?, ?, ?, ?, "
		    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
		sqlite3_bind_text(st, 1, resources[i].code, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, resources[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, resources[i].type, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, est_id(s, resources[i].holder));
		sqlite3_bind_int64(st, 5, est_id(s, resources[i].library));
		sqlite3_bind_int(st, 6, resources[i].capacity);
		sqlite3_bind_int(st, 7, resources[i].seats);
		sqlite3_bind_int(st, 8, resources[i].public);
		sqlite3_bind_int(st, 9, resources[i].gran);
		sqlite3_bind_int(st, 10, resources[i].gran);
		sqlite3_bind_int(st, 11, resources[i].max);
		sqlite3_bind_int(st, 12, resources[i].day);
		sqlite3_bind_int(st, 13, resources[i].month);
		sqlite3_bind_text(st, 14, i % 2 ? "1er étage" : "Rez-de-chaussée",
		    -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 15, "N'oubliez pas d'annuler votre "
		    "réservation en cas d'indisponibilité. Au-delà de 15 min "
		    "de retard, la réservation est annulée.", -1,
		    SQLITE_STATIC);
		if (store_step_done(st) != SQLITE_DONE)
			return (-1);
	}
	return (0);
}

static int
load_accounts(struct store *s)
{
	sqlite3_stmt	*st;
	char		*hash;
	const char	*last = "";
	size_t		 i;
	int64_t		 account = 0;
	unsigned	 perms, p;
	char		 buf[64], *tok, *save;
	int		 rc = 0;

	/* One argon2id hash of "demo" for every demo account: the demo says
	 * the password aloud anyway, and init stays fast. */
	hash = account_hash_password("demo");
	for (i = 0; i < sizeof grants / sizeof grants[0] && rc == 0; i++) {
		if (strcmp(last, grants[i].login) != 0) {
			st = store_stmt(s, "INSERT INTO account (login, name, "
			    "password_hash, superadmin) VALUES (?, ?, ?, ?)");
			sqlite3_bind_text(st, 1, grants[i].login, -1,
			    SQLITE_STATIC);
			store_bind_text(st, 2, grants[i].name);
			sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
			sqlite3_bind_int(st, 4, grants[i].superadmin);
			if (store_step_done(st) != SQLITE_DONE) {
				rc = -1;
				break;
			}
			account = sqlite3_last_insert_rowid(s->db);
			last = grants[i].login;
		}
		if (grants[i].est == NULL)
			continue;
		perms = 0;
		snprintf(buf, sizeof buf, "%s", grants[i].perms);
		for (tok = strtok_r(buf, " ", &save); tok != NULL;
		    tok = strtok_r(NULL, " ", &save))
			if (perm_parse(tok, &p) == 0)
				perms |= p;
		st = store_stmt(s, "INSERT INTO account_grant (account_id, "
		    "establishment_id, perms, scope_types, scope_exclude, "
		    "scope_library) VALUES (?, ?, ?, ?, ?, ?)");
		sqlite3_bind_int64(st, 1, account);
		sqlite3_bind_int64(st, 2, est_id(s, grants[i].est));
		sqlite3_bind_int(st, 3, (int)perms);
		sqlite3_bind_text(st, 4, grants[i].types, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, grants[i].exclude, -1, SQLITE_STATIC);
		store_bind_id(st, 6, est_id(s, grants[i].library));
		if (store_step_done(st) != SQLITE_DONE)
			rc = -1;
	}
	free(hash);
	return (rc);
}

static int
add_message(struct store *s, const char *est, const char *kind,
    const char *text, int64_t from, int64_t to)
{
	sqlite3_stmt	*st;

	char		 uid[UUID_LEN];

	uuid_make(uid);
	st = store_stmt(s, "INSERT INTO message (establishment_id, kind, text, "
	    "starts, ends, created_by, uid) VALUES (?, ?, ?, ?, ?, 'admin', "
	    "?)");
	sqlite3_bind_text(st, 6, uid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 1, est_id(s, est));
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, from);
	sqlite3_bind_int64(st, 5, to);
	return (store_step_done(st) == SQLITE_DONE ? 0 : -1);
}

static int
add_booking(struct store *s, int64_t resource, int64_t session,
    int64_t start, int64_t end, int patron, int places, const char *origin,
    const char *status, const char *reason, int64_t created)
{
	sqlite3_stmt	*st;
	char		 id[UUID_LEN];

	uuid_make(id);
	st = store_stmt(s, "INSERT INTO booking (id, resource_id, session_id, "
	    "start, end, email, name, phone, places, origin, status, "
	    "cancel_reason, created_by, created_at, changed_by, changed_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
	    "?14, ?13, ?14)");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, resource);
	store_bind_id(st, 3, session);
	sqlite3_bind_int64(st, 4, start);
	sqlite3_bind_int64(st, 5, end);
	sqlite3_bind_text(st, 6, patrons[patron][0], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, patrons[patron][1], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, patron % 3 == 0 ? "06 12 34 56 78" : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_int(st, 9, places);
	sqlite3_bind_text(st, 10, origin, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 13, strcmp(origin, "web") == 0 ||
	    strcmp(origin, "app") == 0 ? "" : "desk.mirail", -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, 14, created);
	return (store_step_done(st) == SQLITE_DONE ? 0 : -1);
}

/* Pick a status for a booking from the time it has relative to now. */
static const char *
pick_status(int64_t start, int64_t end, int64_t now, unsigned h)
{
	if (end <= now) {
		static const char *const past[] = { "present", "present",
		    "present", "no_show", "present", "cancelled", "expired",
		    "present", "no_show", "present" };
		return (past[h % 10]);
	}
	/* Under way: some not validated yet (late, R6's free-late). */
	if (start <= now)
		return (h % 2 == 0 ? "confirmed" : "present");
	if (h % 9 == 0)
		return ("cancelled");
	if (h % 7 == 0)
		return ("pending_confirmation");
	return ("confirmed");
}

/*
 * Patrons: the first (the README's example) has no demo booking of a
 * room, so that her booking works on any day (R3's quotas); the last
 * NEWCOMERS have never confirmed an address (R5): theirs are pending, or
 * expired, and nothing else.
 */
#define NEWCOMERS	3
#define REGULARS	(NPATRONS - NEWCOMERS)

/* Whether a live booking of this patron there fits every rule the demo
 * must obey: the room free (R7), the patron nowhere else then, and R3's
 * quotas of the day and the month. */
static int
fits(struct store *s, const struct resource *r, int64_t start, int64_t end,
    const char *email)
{
	sqlite3_stmt	*st;
	int32_t		 day = tz_local_day(ZONE, start);
	int		 y, m, d, busy, add = (int)((end - start) / 60);
	int64_t		 ms, me;

	st = store_stmt(s, "SELECT count(*) FROM booking WHERE start < ?2 AND "
	    "end > ?1 AND status IN ('pending_confirmation', 'confirmed', "
	    "'present') AND (resource_id = ?3 OR email = ?4)");
	sqlite3_bind_int64(st, 1, start);
	sqlite3_bind_int64(st, 2, end);
	sqlite3_bind_int64(st, 3, r->id);
	sqlite3_bind_text(st, 4, email, -1, SQLITE_STATIC);
	busy = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 1;
	sqlite3_reset(st);
	if (busy)
		return (0);
	if (r->day_quota > 0 && rules_patron_minutes(s, r, email,
	    tz_day_start(ZONE, day), tz_day_start(ZONE, day + 1), NULL) + add >
	    r->day_quota)
		return (0);
	tz_civil_from_days(day, &y, &m, &d);
	ms = tz_day_start(ZONE, tz_days_from_civil(y, m, 1));
	me = tz_day_start(ZONE, m == 12 ? tz_days_from_civil(y + 1, 1, 1) :
	    tz_days_from_civil(y, m + 1, 1));
	if (r->month_quota > 0 && rules_patron_minutes(s, r, email, ms, me,
	    NULL) + add > r->month_quota)
		return (0);
	return (1);
}

/* Whether a patron has no live booking over [start, end). */
static int
free_then(struct store *s, const char *email, int64_t start, int64_t end)
{
	sqlite3_stmt	*st;
	int		 busy;

	st = store_stmt(s, "SELECT count(*) FROM booking WHERE start < ?2 AND "
	    "end > ?1 AND status IN ('pending_confirmation', 'confirmed', "
	    "'present') AND email = ?3");
	sqlite3_bind_int64(st, 1, start);
	sqlite3_bind_int64(st, 2, end);
	sqlite3_bind_text(st, 3, email, -1, SQLITE_STATIC);
	busy = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 1;
	sqlite3_reset(st);
	return (!busy);
}

/* An hourly head count of each library over the last week (occupancy). */
static int
load_headcounts(struct store *s, int64_t now)
{
	sqlite3_stmt	*st;
	struct hours	 h;
	int32_t		 today = tz_local_day(ZONE, now), day;
	int64_t		 lib, at;
	int		 jauge, hour, count, peak;
	size_t		 i;

	for (i = 0; i < sizeof estabs / sizeof estabs[0]; i++) {
		if (estabs[i].jauge <= 0)
			continue;
		lib = est_id(s, estabs[i].code);
		jauge = estabs[i].jauge;
		for (day = today - 7; day <= today; day++) {
			if (hours_for_day(s, lib, day, &h) != GERR_OK)
				return (-1);
			if (!h.open)
				continue;
			for (hour = (h.open_min + 59) / 60; hour * 60 <
			    h.close_min; hour++) {
				at = tz_local_to_utc(ZONE, day, hour * 60);
				if (at > now)
					break;
				/* Fuller from late morning to afternoon. */
				peak = hour < 11 ? 25 : hour < 17 ? 70 : 40;
				count = jauge * (peak + (int)((unsigned)(day *
				    13 + hour * 7 + (int)i) % 20)) / 100;
				st = store_stmt(s, "INSERT OR REPLACE INTO "
				    "occupancy_log VALUES (?, ?, ?)");
				sqlite3_bind_int64(st, 1, lib);
				sqlite3_bind_int64(st, 2, at - at % 3600);
				sqlite3_bind_int(st, 3, count);
				if (store_step_done(st) != SQLITE_DONE)
					return (-1);
			}
		}
	}
	return (0);
}

static int
load_bookings(struct store *s, int64_t now)
{
	static const char *const origins[] = { "web", "app", "web", "phone",
	    "web", "walk-in", "app", "desk" };
	sqlite3_stmt	*st;
	struct resource	 r;
	struct hours	 h;
	int32_t		 today = tz_local_day(ZONE, now), day;
	int64_t		 start, end, id, closed_lib, created;
	unsigned	 hash;
	size_t		 i, tries;
	int		 slot, dur, patron, nslots, k, off, live;
	const char	*status, *origin;

	closed_lib = est_id(s, "CLAP");
	/* Days nearest today first: they get the patrons' quotas. */
	for (off = 0; off <= 2 * 14; off++) {
		day = today + (off % 2 ? -(off + 1) / 2 : off / 2);
		if (day > today + 10 || day < today - 14)
			continue;
	for (i = 0; i < sizeof resources / sizeof resources[0]; i++) {
		if (resource_find(s, resources[i].code, &r) != GERR_OK)
			return (-1);
		if (rtype_capacity(r.type))
			continue;
		{
			if (hours_for_day(s, r.library_id, day, &h) != GERR_OK)
				return (-1);
			if (!h.open || (r.library_id == closed_lib &&
			    day == today + 3))
				continue;
			/* Two or three bookings a day, spread on the grid. */
			nslots = (h.close_min - h.open_min) / 120;
			for (k = 0; k < nslots; k++) {
				hash = (unsigned)(day * 31 + (int)i * 17 + k *
				    7) * 2654435761u >> 7;
				if (hash % 3 != 0 && !(day == today && k ==
				    1))
					continue;
				slot = h.open_min + k * 120;
				slot -= slot % 60;
				if (slot < h.open_min)
					slot += 60;
				dur = r.max_duration >= 120 && hash % 2 ?
				    120 : 60;
				if (slot + dur > h.close_min)
					continue;
				/* The README books BUC-G3 at 18:00: its
				 * evenings stay free in the demo. */
				if (strcmp(r.code, "BUC-G3") == 0 && slot +
				    dur > 18 * 60)
					continue;
				start = tz_local_to_utc(ZONE, day, slot);
				end = tz_local_to_utc(ZONE, day, slot + dur);
				status = pick_status(start, end, now, hash);
				origin = origins[hash % 8];
				created = start - 86400 * (int64_t)(1 + hash %
				    5);
				/* R5: the unconfirmed are newcomers, booked
				 * on the web within the last two hours. */
				if (strcmp(status, "pending_confirmation") ==
				    0 || strcmp(status, "expired") == 0)
					origin = "web";
				if (strcmp(status, "pending_confirmation") ==
				    0)
					created = now - 60 * (int64_t)(10 +
					    hash % 90);
				/* R6: a walk-in is there from the start. */
				if (strcmp(origin, "walk-in") == 0 &&
				    (start > now || strcmp(status,
				    "confirmed") == 0))
					origin = "phone";
				if (strcmp(origin, "walk-in") == 0 &&
				    strcmp(status, "no_show") == 0)
					status = "present";
				if (created > start && strcmp(status,
				    "pending_confirmation") != 0)
					created = start - 3600;
				if (rtype_internal(r.type)) {
					origin = "desk";
					/* R6 asks no presence there. */
					if (strcmp(status, "no_show") == 0 ||
					    strcmp(status, "expired") == 0 ||
					    strcmp(status,
					    "pending_confirmation") == 0)
						status = "confirmed";
				}
				live = strcmp(status, "confirmed") == 0 ||
				    strcmp(status, "present") == 0 ||
				    strcmp(status, "pending_confirmation") == 0;
				/* A patron the rules let have it: newcomers
				 * for R5's statuses, regulars otherwise, never
				 * the README's example patron. */
				if (strcmp(status, "pending_confirmation") ==
				    0 || strcmp(status, "expired") == 0)
					patron = (int)(REGULARS + hash %
					    NEWCOMERS);
				else
					patron = 1 + (int)((hash / 3 +
					    (unsigned)k) % (REGULARS - 1));
				for (tries = 0; live && tries < REGULARS;
				    tries++) {
					if (fits(s, &r, start, end,
					    patrons[patron][0]))
						break;
					if (patron >= (int)REGULARS)
						patron = (int)(REGULARS +
						    (size_t)(patron + 1 -
						    (int)REGULARS) % NEWCOMERS);
					else
						patron = 1 + patron %
						    (int)(REGULARS - 1);
				}
				if (live && tries == REGULARS)
					continue;
				if (add_booking(s, r.id, 0, start, end, patron,
				    1, origin, status, strcmp(status,
				    "cancelled") == 0 ? "Demande de l'usager" :
				    "", created) != 0)
					return (-1);
			}
		}
	}
	}

	/* Sessions of workshops (Tue, Thu) and visits (Wed). */
	for (i = 0; i < sizeof resources / sizeof resources[0]; i++) {
		if (resource_find(s, resources[i].code, &r) != GERR_OK)
			return (-1);
		if (!rtype_capacity(r.type))
			continue;
		for (day = today - 7; day <= today + 21; day++) {
			int wd = tz_weekday(day);

			if (r.type == RTYPE_WORKSHOP ? (wd != 2 && wd != 4) :
			    wd != 3)
				continue;
			slot = r.type == RTYPE_WORKSHOP ? 14 * 60 : 11 * 60;
			start = tz_local_to_utc(ZONE, day, slot);
			end = tz_local_to_utc(ZONE, day, slot + 90);
			st = store_stmt(s, "INSERT INTO session (resource_id, "
			    "start, end, places) VALUES (?, ?, ?, ?)");
			sqlite3_bind_int64(st, 1, r.id);
			sqlite3_bind_int64(st, 2, start);
			sqlite3_bind_int64(st, 3, end);
			sqlite3_bind_int(st, 4, r.capacity);
			if (store_step_done(st) != SQLITE_DONE)
				return (-1);
			id = sqlite3_last_insert_rowid(s->db);
			/* Fill: the next session is nearly full. */
			nslots = day - today <= 2 && day >= today ?
			    r.capacity - 1 : (int)((unsigned)(day * 7 +
			    (int)i) % (unsigned)r.capacity);
			/* Patrons free at that time (no one in two places
			 * at once). */
			for (k = 0, patron = 0; k < nslots && patron <
			    (int)REGULARS; patron++) {
				if (!free_then(s, patrons[patron][0], start,
				    end))
					continue;
				/* R6: a session's attendance is taken at the
				 * desk, never freed: present or not taken. */
				status = end <= now && k % 5 ? "present" :
				    "confirmed";
				if (add_booking(s, r.id, id, start, end, patron,
				    1, k % 2 ? "web" : "phone", status, "",
				    start - 86400 * 3) != 0)
					return (-1);
				k++;
			}
		}
	}

	/* Patrons who have confirmed a booking once (R5). */
	return (run(s, "INSERT OR IGNORE INTO patron (email, confirmed) "
	    "SELECT DISTINCT email, max(status NOT IN ('pending_confirmation', "
	    "'expired')) FROM booking GROUP BY email"));
}

enum gerr
demo_load(struct store *s, struct gerror *err)
{
	int64_t		 now = clock_now(), d0;
	int32_t		 today = tz_local_day(ZONE, now);
	sqlite3_stmt	*st;
	enum gerr	 e;

	if ((e = store_begin(s, err)) != GERR_OK)
		return (e);
	if ((e = demo_settings(s, err)) != GERR_OK)
		goto fail;
	if (load_establishments(s) != 0 || load_resources(s) != 0 ||
	    load_accounts(s) != 0)
		goto storage;
	/* A closure: CLAP closed in three days for a staff meeting. */
	st = store_stmt(s, "INSERT INTO hours_date VALUES (?, ?, 1, 0, 0, "
	    "'Réunion générale des personnels')");
	sqlite3_bind_int64(st, 1, est_id(s, "CLAP"));
	sqlite3_bind_int(st, 2, today + 3);
	if (store_step_done(st) != SQLITE_DONE)
		goto storage;
	d0 = tz_day_start(ZONE, today);
	/* Messages that say what the data does: the closure of CLAP is in
	 * the hours (R4), the BUC's hours stay as they are. */
	if (add_message(s, "CAMPUS", "popup", "Grève : horaires habituels "
	    "maintenus dans toutes les bibliothèques", d0 - 86400, d0) != 0 ||
	    add_message(s, "BUC", "popup", "Suspension pédagogique : horaires "
	    "habituels, salles de groupe très demandées", d0, d0 + 3 * 86400)
	    != 0 ||
	    add_message(s, "CLAP", "event", "Les Mardis de la socio : "
	    "programme des conférences à l'accueil du CLAP", d0, d0 + 86400)
	    != 0 ||
	    add_message(s, "CAMPUS", "popup", "CLAP fermé dans trois jours "
	    "(réunion générale des personnels)", d0, d0 + 3 * 86400) != 0)
		goto storage;
	if (load_bookings(s, now) != 0 || load_headcounts(s, now) != 0)
		goto storage;
	return (store_commit(s, err));

storage:
	store_error(s, err, "loading the demo");
	e = GERR_STORAGE;
fail:
	store_rollback(s);
	return (e);
}
