-- The one DDL of the PMP dashboard. Tidy tables at the grain of the school year.
-- "No data" is a missing row or NULL, never 0. Every fact row carries `source`.

CREATE TABLE municipality (
    code            VARCHAR PRIMARY KEY CHECK (regexp_matches(code, '^[A-Z]{2,6}$')),
    name_lv         VARCHAR NOT NULL,
    name_en         VARCHAR NOT NULL,
    is_synthetic    BOOLEAN NOT NULL,
    plan_start      INTEGER NOT NULL CHECK (plan_start BETWEEN 2000 AND 2100),
    plan_end        INTEGER NOT NULL CHECK (plan_end BETWEEN 2000 AND 2100),
    target_year_1   INTEGER NOT NULL,
    target_year_2   INTEGER NOT NULL,
    source          VARCHAR NOT NULL,
    CHECK (plan_start <= plan_end),
    CHECK (target_year_1 < target_year_2)
);

CREATE TABLE school (
    school_id       VARCHAR PRIMARY KEY CHECK (regexp_matches(school_id, '^[a-z0-9_]+$')),
    municipality    VARCHAR NOT NULL REFERENCES municipality(code),
    name            VARCHAR NOT NULL,
    school_type     VARCHAR NOT NULL CHECK (school_type IN (
                        'secondary', 'basic', 'special_basic', 'state_gymnasium', 'primary',
                        'evening_secondary', 'boarding', 'music_basic', 'college', 'art',
                        'music_art', 'music', 'sports', 'youth_centre')),
    sector          VARCHAR NOT NULL CHECK (sector IN ('general', 'pre_vocational', 'interest', 'vocational')),
    is_municipal    BOOLEAN NOT NULL,
    merged_into     VARCHAR REFERENCES school(school_id),
    merged_year     INTEGER CHECK (merged_year BETWEEN 2000 AND 2100),
    source          VARCHAR NOT NULL,
    note            VARCHAR,
    UNIQUE (municipality, name),
    CHECK ((merged_into IS NULL) = (merged_year IS NULL))
);

CREATE TABLE enrolment (
    school_id       VARCHAR NOT NULL REFERENCES school(school_id),
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
    CHECK (pupils IS NOT NULL OR classes IS NOT NULL)
);

CREATE TABLE support_staff (
    school_id       VARCHAR NOT NULL REFERENCES school(school_id),
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
    PRIMARY KEY (school_id, school_year, role)
);

CREATE TABLE pumpurs (
    school_id       VARCHAR NOT NULL REFERENCES school(school_id),
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
    CHECK (iap_count IS NOT NULL OR participants IS NOT NULL)
);

CREATE TABLE risk (
    municipality    VARCHAR NOT NULL REFERENCES municipality(code),
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
    CHECK (start_year <= end_year)
);

CREATE TABLE outcome (
    municipality    VARCHAR NOT NULL REFERENCES municipality(code),
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
    CHECK (unit <> 'pct' OR value <= 100)
);

CREATE TABLE indicator (
    municipality    VARCHAR NOT NULL REFERENCES municipality(code),
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
    PRIMARY KEY (municipality, indicator_no, breakdown)
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
    FOREIGN KEY (municipality, indicator_no, breakdown) REFERENCES indicator(municipality, indicator_no, breakdown)
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
    FOREIGN KEY (municipality, indicator_no, breakdown) REFERENCES indicator(municipality, indicator_no, breakdown)
);

CREATE TABLE activity (
    municipality    VARCHAR NOT NULL REFERENCES municipality(code),
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
    PRIMARY KEY (municipality, activity_no)
);

CREATE TABLE activity_year (
    municipality    VARCHAR NOT NULL,
    activity_no     VARCHAR NOT NULL,
    year            INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    active          BOOLEAN NOT NULL,
    source          VARCHAR NOT NULL,
    PRIMARY KEY (municipality, activity_no, year),
    FOREIGN KEY (municipality, activity_no) REFERENCES activity(municipality, activity_no)
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
    FOREIGN KEY (municipality, activity_no) REFERENCES activity(municipality, activity_no)
);

-- Figures the documents state for a whole municipality that the per-school rows must be checked
-- against (e.g. the stated speech-therapist total 3.25 FTE where the schools sum to 3.2).
CREATE TABLE stated_total (
    municipality    VARCHAR NOT NULL REFERENCES municipality(code),
    topic           VARCHAR NOT NULL CHECK (topic IN ('enrolment', 'support_staff', 'pumpurs', 'outcome')),
    measure         VARCHAR NOT NULL,
    period          VARCHAR NOT NULL,
    semester        VARCHAR NOT NULL CHECK (semester IN ('', 'I', 'II', 'all')),
    value           DECIMAL(12, 3) NOT NULL CHECK (value >= 0),
    unit            VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,
    note            VARCHAR,
    PRIMARY KEY (municipality, topic, measure, period, semester)
);

CREATE TABLE import_log (
    import_id       VARCHAR PRIMARY KEY,
    imported_at     TIMESTAMP NOT NULL,
    imported_by     VARCHAR NOT NULL,
    file_name       VARCHAR NOT NULL,
    sha256          VARCHAR NOT NULL CHECK (length(sha256) = 64),
    rows_json       VARCHAR NOT NULL,
    result          VARCHAR NOT NULL CHECK (result IN ('built', 'imported', 'refused', 'restored'))
);

-- Rows an import replaced, kept so that the import can be undone ("restore").
CREATE TABLE import_history (
    import_id       VARCHAR NOT NULL,
    table_name      VARCHAR NOT NULL,
    row_json        VARCHAR NOT NULL,
    replaced_at     TIMESTAMP NOT NULL
);

-- ESF project Pumpurs: what the support consisted of, as shares printed for the whole project
-- period (Jēkabpils figure 1.2 and §1.4 text). `breakdown` names the base of the share:
-- 'measure' = all support measures, 'subject' = subject consultations, 'specialist' = support-
-- specialist consultations, 'funding' = project funding. Parts not printed have no row.
CREATE TABLE pumpurs_support (
    municipality    VARCHAR NOT NULL REFERENCES municipality(code),
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
    CHECK (start_year <= end_year)
);
