-- Target values of every indicator of a municipality (NULL where the document says the target
-- will be set later); `comparison = 'at_most'` where the document prints "<".
SELECT
    t.municipality,
    t.indicator_no,
    t.breakdown,
    t.target_year,
    t.target_value::DOUBLE        AS target_value,
    t.comparison,
    t.target_text,
    [t.source]                    AS source
FROM indicator_target t
WHERE t.municipality = $municipality
ORDER BY t.indicator_no, t.breakdown, t.target_year
