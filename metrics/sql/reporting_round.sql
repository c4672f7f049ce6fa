-- The yearly reporting round: for a school year, every general-education municipal school that
-- existed then, whether its yearly report (annex 6, or a table CSV for that school and year) has
-- been imported, when, by whom and from which file (the latest import not undone), and whether
-- the database holds figures for it from another source (the programme documents, the build).
-- The municipality's own activities report (annex 1) for the calendar year $report_year is the
-- last row (school_id NULL). An import undone by a restore does not count.
WITH live AS (
    SELECT l.*
    FROM import_log l
    WHERE l.result = 'imported'
      AND NOT EXISTS (SELECT 1 FROM import_log r WHERE r.undoes = l.import_id)
),
expected AS (  -- the schools open on 1 September of the school year (not merged or closed before it)
    SELECT s.school_id, s.name
    FROM school s
    WHERE s.municipality = $municipality AND s.sector = 'general' AND s.is_municipal
      AND (s.merged_year IS NULL OR s.merged_year > CAST(left($school_year, 4) AS INTEGER))
      AND NOT EXISTS (
          SELECT 1 FROM school_event e
          WHERE e.school_id = s.school_id AND e.event IN ('closed', 'merged')
            AND e.event_date <= make_date(CAST(left($school_year, 4) AS INTEGER), 9, 1))
      AND NOT EXISTS (
          SELECT 1 FROM school_event e
          WHERE e.school_id = s.school_id AND e.event = 'opened'
            AND e.event_date > make_date(CAST(left($school_year, 4) AS INTEGER), 9, 1))
),
sent AS (
    SELECT school_id, arg_max(import_id, imported_at) AS import_id, max(imported_at) AS imported_at,
           arg_max(imported_by, imported_at) AS imported_by, arg_max(file_name, imported_at) AS file_name,
           arg_max(kind, imported_at) AS kind, count(*) AS imports
    FROM live
    WHERE period = $school_year AND school_id IS NOT NULL
    GROUP BY school_id
),
figures AS (
    SELECT school_id FROM enrolment WHERE school_year = $school_year
    UNION SELECT scope FROM risk WHERE period = $school_year
    UNION SELECT scope FROM outcome WHERE school_year = $school_year
),
annex1 AS (
    SELECT arg_max(import_id, imported_at) AS import_id, max(imported_at) AS imported_at,
           arg_max(imported_by, imported_at) AS imported_by, arg_max(file_name, imported_at) AS file_name,
           arg_max(kind, imported_at) AS kind, count(*) AS imports
    FROM live
    WHERE municipality = $municipality AND kind = 'annex1' AND period = CAST($report_year AS VARCHAR)
    HAVING count(*) > 0
)
SELECT * FROM (
    SELECT 1 AS part, e.school_id, e.name, 'annex6' AS form,
           s.import_id IS NOT NULL AS received, s.imported_at, s.imported_by, s.file_name, s.kind, s.import_id,
           coalesce(s.imports, 0) AS imports,
           f.school_id IS NOT NULL AS has_figures
    FROM expected e
    LEFT JOIN sent s USING (school_id)
    LEFT JOIN (SELECT DISTINCT school_id FROM figures) f USING (school_id)
    UNION ALL
    SELECT 2, NULL, m.name_lv, 'annex1',
           a.import_id IS NOT NULL, a.imported_at, a.imported_by, a.file_name, a.kind, a.import_id,
           coalesce(a.imports, 0),
           EXISTS (SELECT 1 FROM activity_report r WHERE r.municipality = $municipality AND r.year = $report_year)
    FROM municipality m
    LEFT JOIN annex1 a ON true
    WHERE m.code = $municipality
)
ORDER BY part, received, name
