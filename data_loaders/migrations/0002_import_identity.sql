-- mode: copy
-- 0002: import identity as data, the reporting round, named accounts, derived enrolment totals,
-- municipalities without a programme, school history, municipal totals to the cent, a national
-- reference series.
--
-- A copy migration: the new file is made from the DDL below (this release's schema.sql, kept here
-- as it was, since schema.sql moves on) and filled from the old database, attached as `migration_source`.
-- (DuckDB cannot alter a table that others reference, e.g. make municipality.plan_start nullable.)
--
-- Until now an import's id was appended to each row's `source` as " [import <id>]" and found
-- again with LIKE. It moves to an `import_id` column on every table (rows of the build get the
-- build's id), in the kept history too, and the import log learns what each file reported on.

-- The one DDL of the PMP dashboard. Tidy tables at the grain of the school year.
-- "No data" is a missing row or NULL, never 0. Every fact row carries `source`.
-- References between tables (a row's school, municipality, indicator, activity) are checked by
-- data_loaders/integrity.py inside every write, before it commits, not by FOREIGN KEY clauses:
-- DuckDB cannot update or replace a row that a foreign key points at, and a municipality's or a
-- school's own details must stay correctable for years.

CREATE TABLE municipality (
    code            VARCHAR PRIMARY KEY CHECK (regexp_matches(code, '^[A-Z]{2,6}$')),
    name_lv         VARCHAR NOT NULL,
    name_en         VARCHAR NOT NULL,
    is_synthetic    BOOLEAN NOT NULL,
    -- the programme's period and target years: NULL for a municipality without a programme yet
    plan_start      INTEGER CHECK (plan_start BETWEEN 2000 AND 2100),
    plan_end        INTEGER CHECK (plan_end BETWEEN 2000 AND 2100),
    target_year_1   INTEGER CHECK (target_year_1 BETWEEN 2000 AND 2100),
    target_year_2   INTEGER CHECK (target_year_2 BETWEEN 2000 AND 2100),
    source          VARCHAR NOT NULL,
    CHECK (plan_start <= plan_end),
    CHECK (target_year_1 < target_year_2),
    CHECK ((plan_start IS NULL) = (plan_end IS NULL)),
    import_id       VARCHAR             -- the build or import that wrote the row (import_log)
);

CREATE TABLE school (
    school_id       VARCHAR PRIMARY KEY CHECK (regexp_matches(school_id, '^[a-z0-9_]+$')),
    municipality    VARCHAR NOT NULL,
    name            VARCHAR NOT NULL,
    school_type     VARCHAR NOT NULL CHECK (school_type IN (
                        'secondary', 'basic', 'special_basic', 'state_gymnasium', 'primary',
                        'evening_secondary', 'boarding', 'music_basic', 'college', 'art',
                        'music_art', 'music', 'sports', 'youth_centre')),
    sector          VARCHAR NOT NULL CHECK (sector IN ('general', 'pre_vocational', 'interest', 'vocational')),
    is_municipal    BOOLEAN NOT NULL,
    merged_into     VARCHAR,
    merged_year     INTEGER CHECK (merged_year BETWEEN 2000 AND 2100),
    source          VARCHAR NOT NULL,
    note            VARCHAR,
    UNIQUE (municipality, name),
    CHECK ((merged_into IS NULL) = (merged_year IS NULL)),
    import_id       VARCHAR             -- the build or import that wrote the row (import_log)
);

-- A school's history: opened, closed, merged into another school, renamed (e.g. the 2021
-- territorial reform). `school.merged_into`/`merged_year` stay the school's current state.
CREATE TABLE school_event (
    school_id       VARCHAR NOT NULL,
    event           VARCHAR NOT NULL CHECK (event IN ('opened', 'closed', 'merged', 'renamed')),
    event_date      DATE NOT NULL CHECK (year(event_date) BETWEEN 1900 AND 2100),
    other_school_id VARCHAR,   -- merged: the school it became part of
    former_name     VARCHAR,                                -- renamed: the name until event_date
    source          VARCHAR NOT NULL,
    note            VARCHAR,
    PRIMARY KEY (school_id, event, event_date),
    CHECK ((event = 'merged') = (other_school_id IS NOT NULL)),
    CHECK ((event = 'renamed') = (former_name IS NOT NULL)),
    import_id       VARCHAR
);

CREATE TABLE enrolment (
    school_id       VARCHAR NOT NULL,
    school_year     VARCHAR NOT NULL CHECK (regexp_matches(school_year, '^[0-9]{4}/[0-9]{4}$')),
    start_year      INTEGER NOT NULL CHECK (start_year BETWEEN 2000 AND 2100),
    grade_band      VARCHAR NOT NULL CHECK (grade_band IN (
                        '1-3', '4', '5', '6', '7', '8', '9', '10', '11', '12', 'total')),
    pupils          INTEGER CHECK (pupils >= 0),
    classes         INTEGER CHECK (classes >= 0),
    source          VARCHAR NOT NULL,
    note            VARCHAR,
    CHECK (start_year = CAST(left(school_year, 4) AS INTEGER)
           AND CAST(right(school_year, 4) AS INTEGER) = start_year + 1),
    PRIMARY KEY (school_id, school_year, grade_band),
    CHECK (pupils IS NOT NULL OR classes IS NOT NULL),
    import_id       VARCHAR             -- the build or import that wrote the row (import_log)
);

CREATE TABLE support_staff (
    school_id       VARCHAR NOT NULL,
    school_year     VARCHAR NOT NULL CHECK (regexp_matches(school_year, '^[0-9]{4}/[0-9]{4}$')),
    start_year      INTEGER NOT NULL CHECK (start_year BETWEEN 2000 AND 2100),
    role            VARCHAR NOT NULL CHECK (role IN (
                        'psychologist', 'speech_therapist', 'special_educator', 'social_pedagogue',
                        'career_counsellor', 'teacher_assistant_nurse')),
    fte             DECIMAL(6, 3) NOT NULL CHECK (fte BETWEEN 0 AND 10),
    source          VARCHAR NOT NULL,
    note            VARCHAR,
    CHECK (start_year = CAST(left(school_year, 4) AS INTEGER)
           AND CAST(right(school_year, 4) AS INTEGER) = start_year + 1),
    PRIMARY KEY (school_id, school_year, role),
    import_id       VARCHAR             -- the build or import that wrote the row (import_log)
);

CREATE TABLE pumpurs (
    school_id       VARCHAR NOT NULL,
    period          VARCHAR NOT NULL CHECK (regexp_matches(period, '^[0-9]{4}/[0-9]{4}(-[0-9]{4}/[0-9]{4})?$')),
    start_year      INTEGER NOT NULL CHECK (start_year BETWEEN 2000 AND 2100),
    end_year        INTEGER NOT NULL CHECK (end_year BETWEEN 2000 AND 2100),
    semester        VARCHAR NOT NULL CHECK (semester IN ('I', 'II', 'all')),
    iap_count       INTEGER CHECK (iap_count >= 0),
    participants    INTEGER CHECK (participants >= 0),
    source          VARCHAR NOT NULL,
    note            VARCHAR,
    PRIMARY KEY (school_id, period, semester),
    CHECK (start_year <= end_year),
    CHECK (iap_count IS NOT NULL OR participants IS NOT NULL),
    import_id       VARCHAR             -- the build or import that wrote the row (import_log)
);

CREATE TABLE risk (
    municipality    VARCHAR NOT NULL,
    scope           VARCHAR NOT NULL,   -- a school_id, or the municipality code for a municipal figure
    period          VARCHAR NOT NULL CHECK (regexp_matches(period, '^[0-9]{4}/[0-9]{4}(-[0-9]{4}/[0-9]{4})?$')),
    start_year      INTEGER NOT NULL CHECK (start_year BETWEEN 2000 AND 2100),
    end_year        INTEGER NOT NULL CHECK (end_year BETWEEN 2000 AND 2100),
    risk_group      VARCHAR NOT NULL CHECK (risk_group IN ('learning_school', 'social_health', 'family', 'economic')),
    sub_risk        VARCHAR NOT NULL CHECK (sub_risk IN (
                        '', 'content_difficulty', 'lag_previous_stage', 'low_achievement',
                        'language_barrier', 'peer_conflicts', 'parents_not_supporting',
                        'long_absence', 'health', 'social_environment', 'low_income', 'other')),
    pupils          INTEGER CHECK (pupils >= 0),
    share_pct       DECIMAL(6, 2) CHECK (share_pct BETWEEN 0 AND 100),
    population      VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,
    note            VARCHAR,
    PRIMARY KEY (scope, period, risk_group, sub_risk),
    CHECK (start_year <= end_year),
    import_id       VARCHAR             -- the build or import that wrote the row (import_log)
);

CREATE TABLE outcome (
    municipality    VARCHAR NOT NULL,
    scope           VARCHAR NOT NULL,   -- a school_id, or the municipality code
    school_year     VARCHAR NOT NULL CHECK (regexp_matches(school_year, '^[0-9]{4}/[0-9]{4}$')),
    start_year      INTEGER NOT NULL CHECK (start_year BETWEEN 2000 AND 2100),
    level           VARCHAR NOT NULL CHECK (level IN ('basic', 'secondary', 'all')),
    indicator       VARCHAR NOT NULL CHECK (indicator IN (
                        'grade9_without_certificate', 'grade9_without_certificate_pct',
                        'grade12_without_certificate', 'insufficient_yearly_mark',
                        'insufficient_yearly_mark_pct', 'expelled', 'repeaters', 'repeaters_pct',
                        'low_exam_result', 'unexcused_hours_per_pupil', 'max_unexcused_hours_one_pupil',
                        'pupils_with_unexcused_absences', 'avg_unexcused_hours_of_those',
                        'special_needs', 'promoted_insufficient', 'promoted_insufficient_pct',
                        'dropped_out', 'dropped_out_pct', 'pupils_end_of_year', 'transferred_out',
                        'transferred_in', 'pupils_at_risk', 'extended_school_year')),
    subject         VARCHAR NOT NULL CHECK (subject IN ('', 'mathematics', 'english', 'latvian', 'social_sciences')),
    threshold       VARCHAR NOT NULL CHECK (threshold IN ('', '<5%', '<10%')),
    value           DECIMAL(12, 4) NOT NULL CHECK (value >= 0),
    unit            VARCHAR NOT NULL CHECK (unit IN ('pupils', 'pct', 'hours_per_pupil', 'hours')),
    source          VARCHAR NOT NULL,
    note            VARCHAR,
    CHECK (start_year = CAST(left(school_year, 4) AS INTEGER)
           AND CAST(right(school_year, 4) AS INTEGER) = start_year + 1),
    PRIMARY KEY (scope, school_year, level, indicator, subject, threshold),
    CHECK (unit <> 'pct' OR value <= 100),
    import_id       VARCHAR             -- the build or import that wrote the row (import_log)
);

CREATE TABLE indicator (
    municipality    VARCHAR NOT NULL,
    indicator_no    INTEGER NOT NULL CHECK (indicator_no BETWEEN 1 AND 99),
    breakdown       VARCHAR NOT NULL CHECK (breakdown IN ('', 'basic', 'secondary', 'extramural')),
    prevention_level VARCHAR NOT NULL CHECK (prevention_level IN ('universal', 'targeted', 'tailored')),
    name_lv         VARCHAR NOT NULL,
    name_en         VARCHAR NOT NULL,
    unit            VARCHAR NOT NULL,
    desired_trend   VARCHAR NOT NULL CHECK (desired_trend IN ('increase', 'decrease', 'hold_zero', 'keep_low')),
    baseline_value  DECIMAL(8, 3) CHECK (baseline_value BETWEEN 0 AND 100),
    baseline_year   VARCHAR,
    baseline_text   VARCHAR NOT NULL,
    data_source_lv  VARCHAR NOT NULL,
    data_source_en  VARCHAR NOT NULL,
    ikms_code       VARCHAR,
    metric_id       VARCHAR,
    source          VARCHAR NOT NULL,
    note            VARCHAR,
    PRIMARY KEY (municipality, indicator_no, breakdown),
    import_id       VARCHAR             -- the build or import that wrote the row (import_log)
);

CREATE TABLE indicator_target (
    municipality    VARCHAR NOT NULL,
    indicator_no    INTEGER NOT NULL,
    breakdown       VARCHAR NOT NULL,
    target_year     INTEGER NOT NULL CHECK (target_year BETWEEN 2000 AND 2100),
    target_value    DECIMAL(8, 3) CHECK (target_value BETWEEN 0 AND 100),
    comparison      VARCHAR NOT NULL CHECK (comparison IN ('reach', 'at_most')),
    target_text     VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,
    PRIMARY KEY (municipality, indicator_no, breakdown, target_year),
    import_id       VARCHAR             -- the build or import that wrote the row (import_log)
);

CREATE TABLE indicator_value (
    municipality    VARCHAR NOT NULL,
    indicator_no    INTEGER NOT NULL,
    breakdown       VARCHAR NOT NULL,
    period          VARCHAR NOT NULL,
    start_year      INTEGER NOT NULL CHECK (start_year BETWEEN 2000 AND 2100),
    value           DECIMAL(8, 3) NOT NULL CHECK (value BETWEEN 0 AND 100),
    source          VARCHAR NOT NULL,
    note            VARCHAR,
    PRIMARY KEY (municipality, indicator_no, breakdown, period),
    import_id       VARCHAR             -- the build or import that wrote the row (import_log)
);

CREATE TABLE activity (
    municipality    VARCHAR NOT NULL,
    activity_no     VARCHAR NOT NULL CHECK (regexp_matches(activity_no, '^[0-9]+\.[0-9]+$')),
    prevention_level VARCHAR NOT NULL CHECK (prevention_level IN ('universal', 'targeted', 'tailored')),
    goal_no         INTEGER NOT NULL CHECK (goal_no BETWEEN 1 AND 99),
    goal_lv         VARCHAR NOT NULL,
    goal_en         VARCHAR NOT NULL,
    activity_lv     VARCHAR NOT NULL,
    activity_en     VARCHAR NOT NULL,
    expected_result_lv VARCHAR,
    responsible_lv  VARCHAR NOT NULL,
    involved_lv     VARCHAR,
    funding_source_lv VARCHAR,
    funding_source_en VARCHAR,
    invested_funding_eur DECIMAL(12, 2) CHECK (invested_funding_eur >= 0),
    source          VARCHAR NOT NULL,
    note            VARCHAR,
    PRIMARY KEY (municipality, activity_no),
    import_id       VARCHAR             -- the build or import that wrote the row (import_log)
);

CREATE TABLE activity_year (
    municipality    VARCHAR NOT NULL,
    activity_no     VARCHAR NOT NULL,
    year            INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    active          BOOLEAN NOT NULL,
    source          VARCHAR NOT NULL,
    PRIMARY KEY (municipality, activity_no, year),
    import_id       VARCHAR             -- the build or import that wrote the row (import_log)
);

CREATE TABLE activity_report (
    municipality    VARCHAR NOT NULL,
    activity_no     VARCHAR NOT NULL,
    year            INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    status          VARCHAR NOT NULL CHECK (status IN ('planned', 'in_progress', 'done', 'not_done')),
    participants    INTEGER CHECK (participants >= 0),
    done_text       VARCHAR,
    impact_text     VARCHAR,
    factors_text    VARCHAR,
    source          VARCHAR NOT NULL,
    PRIMARY KEY (municipality, activity_no, year),
    import_id       VARCHAR             -- the build or import that wrote the row (import_log)
);

-- Figures stated for a whole municipality: checked against the per-school rows where they exist
-- (e.g. the stated speech-therapist total 3.25 FTE where the schools sum to 3.2), and the
-- municipality's own figure, "not split by school", where there are none.
CREATE TABLE stated_total (
    municipality    VARCHAR NOT NULL,
    topic           VARCHAR NOT NULL CHECK (topic IN ('enrolment', 'support_staff', 'pumpurs', 'outcome')),
    measure         VARCHAR NOT NULL,
    period          VARCHAR NOT NULL,
    semester        VARCHAR NOT NULL CHECK (semester IN ('', 'I', 'II', 'all')),
    value           DECIMAL(14, 3) NOT NULL CHECK (value >= 0),   -- euro amounts keep their cents
    unit            VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,
    note            VARCHAR,
    PRIMARY KEY (municipality, topic, measure, period, semester),
    CHECK ((measure IN ('funding_eur', 'funding_eur_cumulative')) = (unit = 'EUR')),
    import_id       VARCHAR             -- the build or import that wrote the row (import_log)
);

-- Reference series for the whole of Latvia (not a municipality): shown as a reference line beside
-- municipalities, never added to them. E.g. Pumpurs individual support plans per school year.
CREATE TABLE national_reference (
    measure         VARCHAR NOT NULL CHECK (measure IN ('pumpurs_iap_count')),
    period          VARCHAR NOT NULL CHECK (regexp_matches(period, '^[0-9]{4}/[0-9]{4}$')),
    start_year      INTEGER NOT NULL CHECK (start_year BETWEEN 2000 AND 2100),
    value           DECIMAL(14, 2) NOT NULL CHECK (value >= 0),
    unit            VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,
    note            VARCHAR,
    PRIMARY KEY (measure, period),
    CHECK (start_year = CAST(left(period, 4) AS INTEGER)
           AND CAST(right(period, 4) AS INTEGER) = start_year + 1),
    import_id       VARCHAR
);

CREATE TABLE import_log (
    import_id       VARCHAR PRIMARY KEY,
    imported_at     TIMESTAMP NOT NULL,
    imported_by     VARCHAR NOT NULL,
    file_name       VARCHAR NOT NULL,
    sha256          VARCHAR NOT NULL CHECK (length(sha256) = 64),
    rows_json       VARCHAR NOT NULL,
    result          VARCHAR NOT NULL CHECK (result IN ('built', 'imported', 'refused', 'restored')),
    -- what the file was (annex6, annex1, csv:<table>, build, restore) and what it reported on:
    -- the reporting round (who has sent their yearly report) is read from these
    kind            VARCHAR,
    municipality    VARCHAR,
    school_id       VARCHAR,
    period          VARCHAR,
    undoes          VARCHAR             -- a restore: the import it undid
);

-- Rows an import replaced, kept so that the import can be undone ("restore").
CREATE TABLE import_history (
    import_id       VARCHAR NOT NULL,   -- the import that replaced the row
    table_name      VARCHAR NOT NULL,
    row_json        VARCHAR NOT NULL,
    replaced_at     TIMESTAMP NOT NULL,
    row_import_id   VARCHAR             -- the build or import that had written the replaced row
);

-- ESF project Pumpurs: what the support consisted of, as shares printed for the whole project
-- period (Jēkabpils figure 1.2 and §1.4 text). `breakdown` names the base of the share:
-- 'measure' = all support measures, 'subject' = subject consultations, 'specialist' = support-
-- specialist consultations, 'funding' = project funding. Parts not printed have no row.
CREATE TABLE pumpurs_support (
    municipality    VARCHAR NOT NULL,
    period          VARCHAR NOT NULL CHECK (regexp_matches(period, '^[0-9]{4}/[0-9]{4}(-[0-9]{4}/[0-9]{4})?$')),
    start_year      INTEGER NOT NULL CHECK (start_year BETWEEN 2000 AND 2100),
    end_year        INTEGER NOT NULL CHECK (end_year BETWEEN 2000 AND 2100),
    breakdown       VARCHAR NOT NULL CHECK (breakdown IN ('measure', 'subject', 'specialist', 'funding')),
    item            VARCHAR NOT NULL CHECK (item IN (
                        'subject_consultations', 'specialist_consultations', 'economic_support',
                        'mathematics', 'latvian', 'english',
                        'psychologist', 'social_pedagogue', 'teacher', 'speech_therapist')),
    share_pct       DECIMAL(5, 2) NOT NULL CHECK (share_pct BETWEEN 0 AND 100),
    source          VARCHAR NOT NULL,
    note            VARCHAR,
    PRIMARY KEY (municipality, period, breakdown, item),
    CHECK (start_year <= end_year),
    import_id       VARCHAR             -- the build or import that wrote the row (import_log)
);

-- Named accounts for the app when no identity provider is configured (``python -m
-- data_loaders.accounts``); with ``st.login`` a row here gives the signed-in e-mail its role.
-- Passwords are stored only as argon2 hashes; a school reporter reaches one school's data.
CREATE TABLE account (
    username        VARCHAR PRIMARY KEY CHECK (regexp_matches(username, '^[A-Za-z0-9._@+-]{2,120}$')),
    display_name    VARCHAR NOT NULL,
    role            VARCHAR NOT NULL CHECK (role IN ('admin', 'school_reporter', 'viewer')),
    municipality    VARCHAR,
    school_id       VARCHAR,
    password_hash   VARCHAR,
    created_at      TIMESTAMP NOT NULL,
    disabled        BOOLEAN NOT NULL DEFAULT false,
    CHECK (role <> 'school_reporter' OR school_id IS NOT NULL)
);

-- The schema version of this file; data_loaders/migrations/NNNN_*.sql upgrade an older one.
CREATE TABLE schema_version (
    version         INTEGER PRIMARY KEY,
    applied_at      TIMESTAMP NOT NULL,
    description     VARCHAR NOT NULL
);

-- A school's pupils in a school year. Where the grade bands form a whole school (a contiguous run
-- from grade 1, 7 or 10 to grade 9 or 12, each with a count) the total is their sum and a printed
-- `total` row is kept beside it as `stated_pupils` (checked, never added); otherwise the `total`
-- row as reported. Every page reads pupils from here, never from the `total` row directly.
CREATE VIEW enrolment_total AS
WITH band_order (grade_band, n) AS (
    VALUES ('1-3', 3), ('4', 4), ('5', 5), ('6', 6), ('7', 7), ('8', 8), ('9', 9), ('10', 10), ('11', 11), ('12', 12)
),
bands AS (
    SELECT e.school_id, e.school_year, any_value(e.start_year) AS start_year,
           min(b.n) AS lowest, max(b.n) AS highest, count(*) AS n_bands, count(e.pupils) AS with_pupils,
           sum(e.pupils) AS pupils, sum(e.classes) AS classes, count(e.classes) AS with_classes,
           list(DISTINCT e.source ORDER BY e.source) AS source,
           any_value(e.import_id) AS import_id
    FROM enrolment e JOIN band_order b USING (grade_band)
    GROUP BY e.school_id, e.school_year
),
whole AS (
    SELECT * FROM bands
    WHERE with_pupils = n_bands AND lowest IN (3, 7, 10) AND highest IN (9, 12)
      AND n_bands = highest - lowest + 1  -- '1-3' counts as 3: no band missing in between
),
totals AS (
    SELECT * FROM enrolment WHERE grade_band = 'total'
)
SELECT
    coalesce(w.school_id, t.school_id)                         AS school_id,
    coalesce(w.school_year, t.school_year)                     AS school_year,
    coalesce(w.start_year, t.start_year)                       AS start_year,
    CASE WHEN w.school_id IS NOT NULL THEN w.pupils ELSE t.pupils END::INTEGER AS pupils,
    CASE WHEN w.school_id IS NOT NULL AND w.with_classes = w.n_bands THEN w.classes ELSE t.classes END::INTEGER
                                                               AS classes,
    CASE WHEN w.school_id IS NOT NULL THEN w.source ELSE [t.source] END AS source,   -- a list of sources
    t.note,
    CASE WHEN w.school_id IS NOT NULL THEN w.import_id ELSE t.import_id END AS import_id,
    w.school_id IS NOT NULL                                    AS from_bands,
    CASE WHEN w.school_id IS NOT NULL THEN t.pupils END::INTEGER AS stated_pupils,
    CASE WHEN w.school_id IS NOT NULL AND t.source IS NOT NULL THEN [t.source] END AS stated_source
FROM whole w
FULL JOIN totals t ON t.school_id = w.school_id AND t.school_year = w.school_year;

-- ---------------------------------------------------------------------------------------------
-- the rows of the old database
CREATE TEMP TABLE _built AS
    SELECT arg_max(import_id, imported_at) AS id FROM migration_source.import_log WHERE result = 'built';

INSERT INTO municipality (code, name_lv, name_en, is_synthetic, plan_start, plan_end, target_year_1, target_year_2, source, import_id)
    SELECT code, name_lv, name_en, is_synthetic, plan_start, plan_end, target_year_1, target_year_2, regexp_replace(source, ' \[import [^\]]+\]$', '') AS source,
           coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built))
    FROM migration_source.municipality;
INSERT INTO school (school_id, municipality, name, school_type, sector, is_municipal, merged_into, merged_year, source, note, import_id)
    SELECT school_id, municipality, name, school_type, sector, is_municipal, merged_into, merged_year, regexp_replace(source, ' \[import [^\]]+\]$', '') AS source, note,
           coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built))
    FROM migration_source.school WHERE merged_into IS NULL;
INSERT INTO school (school_id, municipality, name, school_type, sector, is_municipal, merged_into, merged_year, source, note, import_id)
    SELECT school_id, municipality, name, school_type, sector, is_municipal, merged_into, merged_year, regexp_replace(source, ' \[import [^\]]+\]$', '') AS source, note,
           coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built))
    FROM migration_source.school WHERE merged_into IS NOT NULL;
INSERT INTO enrolment (school_year, start_year, school_id, grade_band, pupils, classes, source, note, import_id)
    SELECT school_year, start_year, school_id, grade_band, pupils, classes, regexp_replace(source, ' \[import [^\]]+\]$', '') AS source, note,
           coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built))
    FROM migration_source.enrolment;
INSERT INTO support_staff (school_year, start_year, school_id, role, fte, source, note, import_id)
    SELECT school_year, start_year, school_id, role, fte, regexp_replace(source, ' \[import [^\]]+\]$', '') AS source, note,
           coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built))
    FROM migration_source.support_staff;
INSERT INTO pumpurs (period, start_year, end_year, school_id, semester, iap_count, participants, source, note, import_id)
    SELECT period, start_year, end_year, school_id, semester, iap_count, participants, regexp_replace(source, ' \[import [^\]]+\]$', '') AS source, note,
           coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built))
    FROM migration_source.pumpurs;
INSERT INTO risk (period, start_year, end_year, municipality, scope, risk_group, sub_risk, pupils, share_pct, population, source, note, import_id)
    SELECT period, start_year, end_year, municipality, scope, risk_group, sub_risk, pupils, share_pct, population, regexp_replace(source, ' \[import [^\]]+\]$', '') AS source, note,
           coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built))
    FROM migration_source.risk;
INSERT INTO outcome (school_year, start_year, municipality, scope, level, indicator, subject, threshold, value, unit, source, note, import_id)
    SELECT school_year, start_year, municipality, scope, level, indicator, subject, threshold, value, unit, regexp_replace(source, ' \[import [^\]]+\]$', '') AS source, note,
           coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built))
    FROM migration_source.outcome;
INSERT INTO indicator (municipality, indicator_no, breakdown, prevention_level, name_lv, name_en, unit, desired_trend, baseline_value, baseline_year, baseline_text, data_source_lv, data_source_en, ikms_code, metric_id, source, note, import_id)
    SELECT municipality, indicator_no, breakdown, prevention_level, name_lv, name_en, unit, desired_trend, baseline_value, baseline_year, baseline_text, data_source_lv, data_source_en, ikms_code, metric_id, regexp_replace(source, ' \[import [^\]]+\]$', '') AS source, note,
           coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built))
    FROM migration_source.indicator;
INSERT INTO indicator_target (municipality, indicator_no, breakdown, target_year, target_value, comparison, target_text, source, import_id)
    SELECT municipality, indicator_no, breakdown, target_year, target_value, comparison, target_text, regexp_replace(source, ' \[import [^\]]+\]$', '') AS source,
           coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built))
    FROM migration_source.indicator_target;
INSERT INTO indicator_value (municipality, indicator_no, breakdown, period, start_year, value, source, note, import_id)
    SELECT municipality, indicator_no, breakdown, period, start_year, value, regexp_replace(source, ' \[import [^\]]+\]$', '') AS source, note,
           coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built))
    FROM migration_source.indicator_value;
INSERT INTO activity (municipality, activity_no, prevention_level, goal_no, goal_lv, goal_en, activity_lv, activity_en, expected_result_lv, responsible_lv, involved_lv, funding_source_lv, funding_source_en, invested_funding_eur, source, note, import_id)
    SELECT municipality, activity_no, prevention_level, goal_no, goal_lv, goal_en, activity_lv, activity_en, expected_result_lv, responsible_lv, involved_lv, funding_source_lv, funding_source_en, invested_funding_eur, regexp_replace(source, ' \[import [^\]]+\]$', '') AS source, note,
           coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built))
    FROM migration_source.activity;
INSERT INTO activity_year (municipality, activity_no, year, active, source, import_id)
    SELECT municipality, activity_no, year, active, regexp_replace(source, ' \[import [^\]]+\]$', '') AS source,
           coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built))
    FROM migration_source.activity_year;
INSERT INTO activity_report (municipality, activity_no, year, status, participants, done_text, impact_text, factors_text, source, import_id)
    SELECT municipality, activity_no, year, status, participants, done_text, impact_text, factors_text, regexp_replace(source, ' \[import [^\]]+\]$', '') AS source,
           coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built))
    FROM migration_source.activity_report;
INSERT INTO stated_total (municipality, topic, measure, period, semester, value, unit, source, note, import_id)
    SELECT municipality, topic, measure, period, semester, value, unit, regexp_replace(source, ' \[import [^\]]+\]$', '') AS source, note,
           coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built))
    FROM migration_source.stated_total;
INSERT INTO pumpurs_support (period, start_year, end_year, municipality, breakdown, item, share_pct, source, note, import_id)
    SELECT period, start_year, end_year, municipality, breakdown, item, share_pct, regexp_replace(source, ' \[import [^\]]+\]$', '') AS source, note,
           coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built))
    FROM migration_source.pumpurs_support;

-- the history: the replaced row's import id moves out of its source text too
INSERT INTO import_history (import_id, table_name, row_json, replaced_at, row_import_id)
SELECT import_id, table_name,
       json_merge_patch(
           row_json,
           json_object('source', regexp_replace(json_extract_string(row_json, '$.source'), ' \[import [^\]]+\]$', ''),
                       'import_id', row_import_id))::VARCHAR,
       replaced_at, row_import_id
FROM (
    SELECT *, coalesce(
        nullif(regexp_extract(json_extract_string(row_json, '$.source'), ' \[import ([^\]]+)\]$', 1), ''),
        (SELECT id FROM _built)) AS row_import_id
    FROM migration_source.import_history
);

-- the log, with what each file was and reported on (read back from the sources its rows were
-- written with: "import: annex 6 <school> <year> (<file>)", "import: annex 1 <municipality> <year> ...")
CREATE TEMP TABLE _imported AS
WITH sources AS (
    SELECT import_id, source FROM enrolment UNION ALL SELECT import_id, source FROM outcome
    UNION ALL SELECT import_id, source FROM risk UNION ALL SELECT import_id, source FROM activity_report
    UNION ALL SELECT row_import_id, json_extract_string(row_json, '$.source') FROM import_history
)
SELECT import_id,
       any_value(regexp_extract(source, '^import: annex ([16]) (\S+) (\S+) \(', ['annex', 'scope', 'period'])) AS m
FROM sources
WHERE regexp_matches(source, '^import: annex [16] ')
GROUP BY import_id;

INSERT INTO import_log
SELECT l.import_id, l.imported_at, l.imported_by, l.file_name, l.sha256, l.rows_json, l.result,
       CASE l.result WHEN 'built' THEN 'build' WHEN 'restored' THEN 'restore'
                     WHEN 'imported' THEN coalesce('annex' || i.m.annex, 'csv') END,
       CASE WHEN i.m.annex = '1' THEN i.m.scope
            WHEN i.m.annex = '6' THEN (SELECT s.municipality FROM school s WHERE s.school_id = i.m.scope) END,
       CASE WHEN i.m.annex = '6' THEN i.m.scope END,
       i.m.period,
       CASE WHEN l.result = 'restored' THEN json_extract_string(l.rows_json, '$.undid') END
FROM migration_source.import_log l
LEFT JOIN _imported i ON i.import_id = l.import_id AND l.result = 'imported';
