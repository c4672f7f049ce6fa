-- Pumpurs per semester in the municipal schools: plans (IAP), supported pupils, participating
-- schools and participants as a share of all pupils of the participating schools.
-- Every semester from the first to the last that any institution of the municipality (or a
-- printed total) names is listed, so a semester in which no municipal school reported anything
-- appears with `schools_reporting = 0` ("not reported") instead of disappearing or reading 0.
-- A programme that reports only a whole span (semester 'all') gives one row for the span.
-- The share is recomputed (sum of participants / sum of pupils, never an average of school
-- shares) for single-year periods where every participating school has a pupil count.
-- With $merged a chosen school brings the schools merged into it (as in pumpurs_school_semesters).
WITH RECURSIVE
-- include: merge_roots.sql
inst AS (
    SELECT s.school_id, s.is_municipal, r.root
    FROM school s JOIN roots r USING (school_id)
    WHERE s.municipality = $municipality
),
named AS (  -- semesters named by any row or printed total: they bound the expected range
    SELECT p.period, p.semester, p.start_year * 2 + (p.semester = 'II')::INTEGER AS ord, p.source
    FROM pumpurs p JOIN inst USING (school_id)
    WHERE p.semester IN ('I', 'II') AND p.start_year = p.end_year
    UNION ALL
    SELECT period, semester, CAST(left(period, 4) AS INTEGER) * 2 + (semester = 'II')::INTEGER, source
    FROM stated_total
    WHERE municipality = $municipality AND topic = 'pumpurs' AND semester IN ('I', 'II')
),
named_sources AS (
    SELECT period, semester, list(DISTINCT source ORDER BY source) AS source FROM named GROUP BY ALL
),
grid AS (
    SELECT
        (o // 2)::INTEGER || '/' || (o // 2 + 1)::INTEGER AS period,
        (o // 2)::INTEGER AS start_year,
        (o // 2)::INTEGER AS end_year,
        CASE WHEN o % 2 = 0 THEN 'I' ELSE 'II' END AS semester
    FROM (SELECT unnest(range(min(ord), max(ord) + 1)) AS o FROM named HAVING count(*) > 0)
    UNION
    SELECT DISTINCT p.period, p.start_year, p.end_year, p.semester
    FROM pumpurs p JOIN inst USING (school_id)
    WHERE inst.is_municipal AND p.semester = 'all'
),
municipal AS (
    SELECT p.*, inst.root, e.pupils
    FROM pumpurs p
    JOIN inst USING (school_id)
    LEFT JOIN enrolment_total e
        ON e.school_id = p.school_id AND e.start_year = p.start_year
        AND p.start_year = p.end_year
    WHERE inst.is_municipal
),
reporting AS (  -- all municipal schools, whatever schools are chosen
    SELECT period, semester, count(DISTINCT school_id) AS schools_reporting FROM municipal GROUP BY ALL
),
chosen AS (
    SELECT
        period,
        semester,
        sum(iap_count)::BIGINT AS iap_count,
        sum(participants)::BIGINT AS participants,
        count(DISTINCT school_id) AS schools,
        sum(pupils) FILTER (WHERE participants IS NOT NULL)::BIGINT AS pupils_in_schools,
        CASE WHEN count(participants) > 0 AND count(participants) = count(pupils) FILTER (WHERE participants IS NOT NULL)
             THEN round(100.0 * sum(participants) / sum(pupils) FILTER (WHERE participants IS NOT NULL), 1)
        END AS share_pct,
        list(DISTINCT source ORDER BY source) AS source
    FROM municipal
    WHERE chosen_any($schools::VARCHAR[], CASE WHEN $merged::BOOLEAN THEN [school_id, root] ELSE [school_id] END)
    GROUP BY ALL
)
SELECT
    g.period,
    g.start_year,
    g.end_year,
    g.semester,
    c.iap_count,
    c.participants,
    coalesce(c.schools, 0) AS schools,
    coalesce(r.schools_reporting, 0) AS schools_reporting,
    c.pupils_in_schools,
    c.share_pct,
    coalesce(c.source, n.source) AS source
FROM grid g
LEFT JOIN chosen c USING (period, semester)
LEFT JOIN reporting r USING (period, semester)
LEFT JOIN named_sources n USING (period, semester)
WHERE chosen_any($start_years::INTEGER[], range(g.start_year, g.end_year + 1))
ORDER BY g.start_year, g.end_year, g.semester
