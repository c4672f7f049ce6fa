-- What the Pumpurs support consisted of: shares as printed for the project period. Each
-- `breakdown` has its own base (all measures, subject consultations, specialist consultations,
-- funding), so shares are compared only within a breakdown.
SELECT
    period,
    start_year,
    end_year,
    breakdown,
    item,
    share_pct::DOUBLE AS share_pct,
    note,
    [source] AS source
FROM pumpurs_support
WHERE municipality = $municipality
  AND chosen_any($start_years::INTEGER[], range(start_year, end_year + 1))
ORDER BY CASE breakdown WHEN 'measure' THEN 1 WHEN 'subject' THEN 2 WHEN 'specialist' THEN 3 ELSE 4 END,
         share_pct DESC
