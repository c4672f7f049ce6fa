-- The filter predicate of every metric, written once: an empty choice means "all".
-- `metrics.query.run_sql` defines these macros on the cursor before it runs a metric's SQL; to run
-- a metric's SQL by hand (duckdb shell), run this file first.
--   chosen(choice, value)       the value is chosen: the choice is empty or holds it
--   chosen_any(choice, values)  any of the values is chosen (a span of years, a school and the
--                               school it merged into)
-- Cast the bound list where it is passed (`chosen($schools::VARCHAR[], e.school_id)`): an empty
-- list has no type of its own.
CREATE OR REPLACE TEMP MACRO chosen(choice, value) AS len(choice) = 0 OR list_contains(choice, value);
CREATE OR REPLACE TEMP MACRO chosen_any(choice, values) AS len(choice) = 0 OR list_has_any(choice, values);
