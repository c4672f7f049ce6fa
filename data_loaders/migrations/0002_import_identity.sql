-- 0002: import identity as data, the reporting round, named accounts, derived enrolment totals.
--
-- Until now an import's id was appended to each row's `source` as " [import <id>]" and found
-- again with LIKE. It moves to an `import_id` column on every table (rows of the build get the
-- build's id), in the kept history too, and the import log learns what each file reported on.

CREATE TEMP TABLE _built AS
    SELECT arg_max(import_id, imported_at) AS id FROM import_log WHERE result = 'built';

-- Rows of tables other tables point at (municipality, school, indicator, activity) keep NULL: DuckDB
-- cannot update a row that a foreign key references, and they were only ever written by the build.
ALTER TABLE municipality ADD COLUMN import_id VARCHAR;
ALTER TABLE school ADD COLUMN import_id VARCHAR;
ALTER TABLE enrolment ADD COLUMN import_id VARCHAR;
ALTER TABLE support_staff ADD COLUMN import_id VARCHAR;
ALTER TABLE pumpurs ADD COLUMN import_id VARCHAR;
ALTER TABLE risk ADD COLUMN import_id VARCHAR;
ALTER TABLE outcome ADD COLUMN import_id VARCHAR;
ALTER TABLE indicator ADD COLUMN import_id VARCHAR;
ALTER TABLE indicator_target ADD COLUMN import_id VARCHAR;
ALTER TABLE indicator_value ADD COLUMN import_id VARCHAR;
ALTER TABLE activity ADD COLUMN import_id VARCHAR;
ALTER TABLE activity_year ADD COLUMN import_id VARCHAR;
ALTER TABLE activity_report ADD COLUMN import_id VARCHAR;
ALTER TABLE stated_total ADD COLUMN import_id VARCHAR;
ALTER TABLE pumpurs_support ADD COLUMN import_id VARCHAR;

UPDATE enrolment SET import_id = coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built)),
    source = regexp_replace(source, ' \[import [^\]]+\]$', '');
UPDATE support_staff SET import_id = coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built)),
    source = regexp_replace(source, ' \[import [^\]]+\]$', '');
UPDATE pumpurs SET import_id = coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built)),
    source = regexp_replace(source, ' \[import [^\]]+\]$', '');
UPDATE risk SET import_id = coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built)),
    source = regexp_replace(source, ' \[import [^\]]+\]$', '');
UPDATE outcome SET import_id = coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built)),
    source = regexp_replace(source, ' \[import [^\]]+\]$', '');
UPDATE indicator_target SET import_id = coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built)),
    source = regexp_replace(source, ' \[import [^\]]+\]$', '');
UPDATE indicator_value SET import_id = coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built)),
    source = regexp_replace(source, ' \[import [^\]]+\]$', '');
UPDATE activity_year SET import_id = coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built)),
    source = regexp_replace(source, ' \[import [^\]]+\]$', '');
UPDATE activity_report SET import_id = coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built)),
    source = regexp_replace(source, ' \[import [^\]]+\]$', '');
UPDATE stated_total SET import_id = coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built)),
    source = regexp_replace(source, ' \[import [^\]]+\]$', '');
UPDATE pumpurs_support SET import_id = coalesce(nullif(regexp_extract(source, ' \[import ([^\]]+)\]$', 1), ''), (SELECT id FROM _built)),
    source = regexp_replace(source, ' \[import [^\]]+\]$', '');

ALTER TABLE import_history ADD COLUMN row_import_id VARCHAR;
UPDATE import_history SET
    row_import_id = coalesce(
        nullif(regexp_extract(json_extract_string(row_json, '$.source'), ' \[import ([^\]]+)\]$', 1), ''),
        (SELECT id FROM _built));
UPDATE import_history SET row_json = json_merge_patch(
    row_json,
    json_object(
        'source', regexp_replace(json_extract_string(row_json, '$.source'), ' \[import [^\]]+\]$', ''),
        'import_id', row_import_id))::VARCHAR;

ALTER TABLE import_log ADD COLUMN kind VARCHAR;
ALTER TABLE import_log ADD COLUMN municipality VARCHAR;
ALTER TABLE import_log ADD COLUMN school_id VARCHAR;
ALTER TABLE import_log ADD COLUMN period VARCHAR;
ALTER TABLE import_log ADD COLUMN undoes VARCHAR;
UPDATE import_log SET kind = 'build' WHERE result = 'built';
UPDATE import_log SET kind = 'restore', undoes = json_extract_string(rows_json, '$.undid') WHERE result = 'restored';
-- what an earlier import reported on, read back from the sources its rows were written with
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
UPDATE import_log l SET
    kind = 'annex' || i.m.annex,
    school_id = CASE WHEN i.m.annex = '6' THEN i.m.scope END,
    municipality = CASE WHEN i.m.annex = '1' THEN i.m.scope
                        ELSE (SELECT s.municipality FROM school s WHERE s.school_id = i.m.scope) END,
    period = i.m.period
FROM _imported i
WHERE l.import_id = i.import_id AND l.result = 'imported';
UPDATE import_log SET kind = 'csv' WHERE result = 'imported' AND kind IS NULL;

-- Named accounts for the app when no identity provider is configured (``python -m
-- data_loaders.accounts``); with ``st.login`` a row here gives the signed-in e-mail its role.
-- Passwords are stored only as argon2 hashes; a school reporter reaches one school's data.
CREATE TABLE account (
    username        VARCHAR PRIMARY KEY CHECK (regexp_matches(username, '^[A-Za-z0-9._@+-]{2,120}$')),
    display_name    VARCHAR NOT NULL,
    role            VARCHAR NOT NULL CHECK (role IN ('admin', 'school_reporter', 'viewer')),
    municipality    VARCHAR REFERENCES municipality(code),
    school_id       VARCHAR REFERENCES school(school_id),
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
           string_agg(DISTINCT e.source, '; ' ORDER BY e.source) AS source,
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
    CASE WHEN w.school_id IS NOT NULL THEN w.source ELSE t.source END AS source,
    t.note,
    CASE WHEN w.school_id IS NOT NULL THEN w.import_id ELSE t.import_id END AS import_id,
    w.school_id IS NOT NULL                                    AS from_bands,
    CASE WHEN w.school_id IS NOT NULL THEN t.pupils END::INTEGER AS stated_pupils,
    CASE WHEN w.school_id IS NOT NULL THEN t.source END        AS stated_source
FROM whole w
FULL JOIN totals t ON t.school_id = w.school_id AND t.school_year = w.school_year;
