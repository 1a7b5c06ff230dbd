-- guichet schema, version 1 (PRAGMA user_version).
-- Instants are seconds since the epoch in UTC; local dates are computed in
-- the establishment's time zone. Every table is STRICT; foreign keys are on.

-- Global settings (R12): changed only by the super-administrator.
CREATE TABLE setting (
	key	TEXT PRIMARY KEY,
	value	TEXT NOT NULL
) STRICT;

-- R2's allow-list of e-mail domains, stored lower case.
CREATE TABLE allowed_domain (
	domain	TEXT PRIMARY KEY
) STRICT;

CREATE TABLE establishment (
	id		INTEGER PRIMARY KEY,
	code		TEXT NOT NULL UNIQUE,
	name		TEXT NOT NULL,
	kind		TEXT NOT NULL
	    CHECK (kind IN ('campus', 'booking', 'library')),
	tz		TEXT NOT NULL,
	jauge		INTEGER NOT NULL DEFAULT 0 CHECK (jauge >= 0),
	info		TEXT NOT NULL DEFAULT '',
	photo		TEXT NOT NULL DEFAULT '',
	checkin_code	TEXT NOT NULL DEFAULT '',
	occupancy	INTEGER NOT NULL DEFAULT 0 CHECK (occupancy >= 0)
) STRICT;

-- Weekly hours: one interval a weekday (1 Monday .. 7 Sunday), minutes of
-- the local day; a weekday without a row is closed.
CREATE TABLE hours_weekly (
	establishment_id INTEGER NOT NULL
	    REFERENCES establishment(id) ON DELETE CASCADE,
	weekday		INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
	open_min	INTEGER NOT NULL CHECK (open_min BETWEEN 0 AND 1440),
	close_min	INTEGER NOT NULL CHECK (close_min BETWEEN 0 AND 1440),
	PRIMARY KEY (establishment_id, weekday),
	CHECK (open_min < close_min)
) STRICT;

-- Exceptional dates: other hours, or a closure (closed = 1) with a reason.
CREATE TABLE hours_date (
	establishment_id INTEGER NOT NULL
	    REFERENCES establishment(id) ON DELETE CASCADE,
	day		INTEGER NOT NULL,	-- local day number
	closed		INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
	open_min	INTEGER NOT NULL DEFAULT 0,
	close_min	INTEGER NOT NULL DEFAULT 0,
	reason		TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (establishment_id, day)
) STRICT;

-- A bookable thing. establishment_id holds it (rights, quotas), library_id
-- is where it stands (opening hours, grouping).
CREATE TABLE resource (
	id		INTEGER PRIMARY KEY,
	code		TEXT NOT NULL UNIQUE,
	name		TEXT NOT NULL,
	type		TEXT NOT NULL CHECK (type IN ('group_room', 'carrel',
	    'seat', 'equipment', 'workshop', 'visit', 'training',
	    'training_room', 'meeting_room')),
	establishment_id INTEGER NOT NULL REFERENCES establishment(id),
	library_id	INTEGER NOT NULL REFERENCES establishment(id),
	capacity	INTEGER NOT NULL DEFAULT 1 CHECK (capacity >= 1),
	seats		INTEGER NOT NULL DEFAULT 1 CHECK (seats >= 1),
	public		INTEGER NOT NULL DEFAULT 1 CHECK (public IN (0, 1)),
	enabled		INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
	place		TEXT NOT NULL DEFAULT '',
	confirm_message	TEXT NOT NULL DEFAULT '',
	-- R3 policy, in minutes; 0 means no limit.
	granularity	INTEGER NOT NULL DEFAULT 30 CHECK (granularity > 0),
	min_duration	INTEGER NOT NULL DEFAULT 0 CHECK (min_duration >= 0),
	max_duration	INTEGER NOT NULL DEFAULT 0 CHECK (max_duration >= 0),
	day_quota	INTEGER NOT NULL DEFAULT 0 CHECK (day_quota >= 0),
	month_quota	INTEGER NOT NULL DEFAULT 0 CHECK (month_quota >= 0),
	places_max	INTEGER NOT NULL DEFAULT 1 CHECK (places_max >= 1)
) STRICT;

-- Sessions of capacity resources (workshop, visit, training).
CREATE TABLE session (
	id		INTEGER PRIMARY KEY,
	resource_id	INTEGER NOT NULL REFERENCES resource(id),
	start		INTEGER NOT NULL,
	end		INTEGER NOT NULL,
	places		INTEGER NOT NULL CHECK (places >= 1),
	UNIQUE (resource_id, start),
	CHECK (end > start)
) STRICT;

CREATE TABLE patron (
	email		TEXT PRIMARY KEY,
	confirmed	INTEGER NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1))
) STRICT;

CREATE TABLE booking (
	id		TEXT PRIMARY KEY,	-- UUID made by the creator
	resource_id	INTEGER NOT NULL REFERENCES resource(id),
	session_id	INTEGER REFERENCES session(id),
	start		INTEGER NOT NULL,
	end		INTEGER NOT NULL,
	email		TEXT NOT NULL,
	name		TEXT NOT NULL DEFAULT '',
	phone		TEXT NOT NULL DEFAULT '',
	places		INTEGER NOT NULL DEFAULT 1 CHECK (places >= 1),
	origin		TEXT NOT NULL CHECK (origin IN ('web', 'app', 'phone',
	    'walk-in', 'desk')),
	status		TEXT NOT NULL CHECK (status IN ('pending_confirmation',
	    'confirmed', 'present', 'cancelled', 'no_show', 'expired')),
	cancel_reason	TEXT NOT NULL DEFAULT '',
	created_by	TEXT NOT NULL DEFAULT '',
	created_at	INTEGER NOT NULL,
	changed_by	TEXT NOT NULL DEFAULT '',
	changed_at	INTEGER NOT NULL,
	version		INTEGER NOT NULL DEFAULT 1,
	CHECK (end > start)
) STRICT;
-- The searches around an instant (overlap R7, quotas R3, a day's grid)
-- bound start on both sides and filter on end and status: with those in
-- the index, rows that do not match are never read.
CREATE INDEX booking_resource_start ON booking (resource_id, start, end,
    status);
CREATE INDEX booking_email_start ON booking (email, start, end, status);
CREATE INDEX booking_start ON booking (start, end, status);
CREATE INDEX booking_live_start ON booking (start)
    WHERE status IN ('pending_confirmation', 'confirmed');
CREATE INDEX booking_session ON booking (session_id)
    WHERE session_id IS NOT NULL;

CREATE TABLE message (
	id		INTEGER PRIMARY KEY,
	uid		TEXT NOT NULL UNIQUE,	-- UUID made by the creator
	establishment_id INTEGER NOT NULL REFERENCES establishment(id),
	kind		TEXT NOT NULL CHECK (kind IN ('popup', 'event')),
	text		TEXT NOT NULL,
	starts		INTEGER NOT NULL,
	ends		INTEGER NOT NULL,
	created_by	TEXT NOT NULL DEFAULT '',
	CHECK (ends > starts)
) STRICT;

CREATE TABLE account (
	id		INTEGER PRIMARY KEY,
	login		TEXT NOT NULL UNIQUE,
	name		TEXT NOT NULL DEFAULT '',
	password_hash	TEXT NOT NULL,
	enabled		INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
	superadmin	INTEGER NOT NULL DEFAULT 0 CHECK (superadmin IN (0, 1))
) STRICT;

-- A grant: permissions P1-P9 as a bit mask (bit 0 is P1) on one
-- establishment. The scope narrows P8 and P9: comma-separated resource types
-- (empty: every public type), excluded types, one library, named resources.
CREATE TABLE account_grant (
	id		INTEGER PRIMARY KEY,
	account_id	INTEGER NOT NULL REFERENCES account(id)
	    ON DELETE CASCADE,
	establishment_id INTEGER NOT NULL REFERENCES establishment(id),
	perms		INTEGER NOT NULL CHECK (perms BETWEEN 0 AND 511),
	scope_types	TEXT NOT NULL DEFAULT '',
	scope_exclude	TEXT NOT NULL DEFAULT '',
	scope_library	INTEGER REFERENCES establishment(id),
	scope_resources	TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX account_grant_account ON account_grant (account_id);

-- Hourly head counts, for occupancy history.
CREATE TABLE occupancy_log (
	establishment_id INTEGER NOT NULL REFERENCES establishment(id),
	at		INTEGER NOT NULL,
	count		INTEGER NOT NULL CHECK (count >= 0),
	PRIMARY KEY (establishment_id, at)
) STRICT;

-- Every change to replicated data, in order: pulls read it after a cursor.
CREATE TABLE change_log (
	seq		INTEGER PRIMARY KEY AUTOINCREMENT,
	entity		TEXT NOT NULL,
	entity_id	TEXT NOT NULL,
	op_id		TEXT NOT NULL,
	at		INTEGER NOT NULL,
	data		TEXT NOT NULL
) STRICT;

-- On a desk with a backend: operations waiting to be pushed, in order.
CREATE TABLE outbox (
	seq		INTEGER PRIMARY KEY AUTOINCREMENT,
	op_id		TEXT NOT NULL UNIQUE,
	kind		TEXT NOT NULL,
	account		TEXT NOT NULL,
	payload		TEXT NOT NULL,
	created_at	INTEGER NOT NULL
) STRICT;

-- E-mails to patrons, queued by the backend that decided (never by a
-- desk's replica) in the transaction of the operation, sent over SMTP.
CREATE TABLE mail (
	id		INTEGER PRIMARY KEY,
	recipient	TEXT NOT NULL,
	subject		TEXT NOT NULL,
	body		TEXT NOT NULL,
	booking_id	TEXT NOT NULL DEFAULT '',
	created_at	INTEGER NOT NULL,
	sent_at		INTEGER NOT NULL DEFAULT 0,
	attempts	INTEGER NOT NULL DEFAULT 0,
	last_error	TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX mail_unsent ON mail (id) WHERE sent_at = 0;

-- Sync state of a desk replica: the pull cursor, the last sync and error.
CREATE TABLE sync_state (
	key		TEXT PRIMARY KEY,
	value		TEXT NOT NULL
) STRICT;

-- Operations the backend refused after an outage, for staff to handle.
CREATE TABLE conflict (
	op_id		TEXT PRIMARY KEY,
	kind		TEXT NOT NULL,
	account		TEXT NOT NULL,
	payload		TEXT NOT NULL,
	error		TEXT NOT NULL,
	message		TEXT NOT NULL,
	at		INTEGER NOT NULL,
	acknowledged_by	TEXT NOT NULL DEFAULT '',
	acknowledged_at	INTEGER NOT NULL DEFAULT 0
) STRICT;

-- The first result of each operation applied: a replay returns it again.
CREATE TABLE op_result (
	op_id		TEXT PRIMARY KEY,
	kind		TEXT NOT NULL,
	account		TEXT NOT NULL DEFAULT '',
	status		TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
	error		TEXT NOT NULL DEFAULT '',
	message		TEXT NOT NULL DEFAULT '',
	result		TEXT NOT NULL DEFAULT '',
	at		INTEGER NOT NULL
) STRICT;
