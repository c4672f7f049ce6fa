-- Shared by the Pumpurs SQL files, which include it after WITH RECURSIVE ("-- include: merge_roots.sql",
-- expanded by metrics/query.py). roots: each school of $municipality with the school it is rolled into
-- in the merged view, following chains of mergers (a school merged into one that merged again).
chain(school_id, root, depth) AS (
    SELECT school_id, school_id, 0 FROM school WHERE municipality = $municipality
    UNION ALL
    SELECT c.school_id, s.merged_into, c.depth + 1
    FROM chain c JOIN school s ON s.school_id = c.root
    WHERE s.merged_into IS NOT NULL AND c.depth < 20
),
roots AS (SELECT school_id, arg_max(root, depth) AS root FROM chain GROUP BY school_id),
