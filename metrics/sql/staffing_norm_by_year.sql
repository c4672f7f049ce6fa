-- Schools against the support-staff norm: psychologist, speech therapist, social pedagogue and
-- special educator each at least $norm FTE. A role a reporting school does not list counts as
-- missing; a school with no staff report for the year is "no data", not "below the norm".
WITH reporting AS (
    SELECT DISTINCT st.school_id, st.school_year, st.start_year
    FROM support_staff st
    JOIN school s USING (school_id)
    WHERE s.municipality = $municipality
      AND (len($schools::VARCHAR[]) = 0 OR list_contains($schools::VARCHAR[], st.school_id))
      AND (len($years::VARCHAR[]) = 0 OR list_contains($years::VARCHAR[], st.school_year))
),
per_school AS (
    SELECT
        r.school_id,
        r.school_year,
        r.start_year,
        count(st.role) FILTER (WHERE st.fte >= $norm) AS roles_meeting,
        string_agg(DISTINCT st.source, '; ') AS source
    FROM reporting r
    LEFT JOIN support_staff st
        ON st.school_id = r.school_id AND st.school_year = r.school_year
       AND st.role IN ('psychologist', 'speech_therapist', 'social_pedagogue', 'special_educator')
    GROUP BY ALL
)
SELECT
    school_year,
    start_year,
    count(*)                                     AS schools_reporting,
    count(*) FILTER (WHERE roles_meeting = 4)    AS schools_meeting_norm,
    count(*) FILTER (WHERE roles_meeting < 4)    AS schools_below_norm,
    string_agg(DISTINCT source, '; ')            AS source
FROM per_school
GROUP BY school_year, start_year
ORDER BY start_year
