-- Pumpurs plans (IAP) and supported pupils per school: per semester (or per whole period where a
-- programme reports only a span) when $grain = 'semester', per school over everything shown when
-- $grain = 'total' (the school ranking), or for all chosen schools together when $grain = 'all'.
-- Plans add up over semesters; pupils do not (one pupil can be supported in several semesters),
-- so the totals count pupils only from whole-period rows (semester 'all') and are NULL otherwise.
-- $municipal chooses the municipal schools (true) or the institutions reported apart, such as
-- a state college (false); the two are never added together.
-- $merged rolls a school closed in the school-network reform into the school it merged into
-- (following chains of mergers), so its history stays visible under its successor; otherwise
-- each school keeps its own rows and carries the name and year of the school it merged into.
WITH RECURSIVE
-- include: merge_roots.sql
rows AS (
    SELECT
        p.*,
        CASE WHEN $merged::BOOLEAN THEN r.root ELSE p.school_id END AS shown_id,
        s.name AS own_name
    FROM pumpurs p
    JOIN school s USING (school_id)
    JOIN roots r USING (school_id)
    WHERE s.municipality = $municipality
      AND s.is_municipal = $municipal::BOOLEAN
      -- a chosen school; in the merged view also the schools merged into it. (Written as one
      -- list_has_any: DuckDB 2.0 ignored the school filter when this was an OR of two conditions.)
      AND chosen_any($schools::VARCHAR[], CASE WHEN $merged::BOOLEAN THEN [p.school_id, r.root] ELSE [p.school_id] END)
      AND chosen_any($start_years::INTEGER[], range(p.start_year, p.end_year + 1))
),
absorbed AS (
    SELECT shown_id, string_agg(DISTINCT own_name, ', ' ORDER BY own_name) AS absorbed
    FROM rows WHERE school_id <> shown_id GROUP BY shown_id
),
grouped AS (
    SELECT
        CASE WHEN grouping(period) = 0 THEN 'semester' WHEN grouping(shown_id) = 0 THEN 'total' ELSE 'all' END
            AS grain,
        shown_id,
        period,
        semester,
        min(start_year)                          AS start_year,
        max(end_year)                            AS end_year,
        sum(iap_count)::BIGINT                   AS iap_count,
        CASE WHEN grouping(period) = 0 THEN sum(participants)
             ELSE sum(participants) FILTER (WHERE semester = 'all') END::BIGINT AS participants,
        count(*) FILTER (WHERE semester <> 'all') AS semesters,
        list(DISTINCT source ORDER BY source) AS source
    FROM rows
    GROUP BY GROUPING SETS ((shown_id, period, semester), (shown_id), ())
    HAVING count(*) > 0  -- no grand-total row when nothing is chosen
)
SELECT
    g.shown_id                                   AS school_id,
    s.name                                       AS school,
    t.name                                       AS merged_into_name,
    CASE WHEN NOT $merged::BOOLEAN THEN s.merged_year END AS merged_year,
    a.absorbed,
    g.period,
    g.start_year,
    g.end_year,
    g.semester,
    g.iap_count,
    g.participants,
    g.semesters,
    g.source
FROM grouped g
LEFT JOIN school s ON s.school_id = g.shown_id
LEFT JOIN school t ON t.school_id = s.merged_into AND NOT $merged::BOOLEAN
LEFT JOIN absorbed a ON a.shown_id = g.shown_id
WHERE g.grain = $grain
ORDER BY g.start_year, g.end_year, g.semester, g.iap_count DESC NULLS LAST, g.participants DESC NULLS LAST, school
