"""SQL floors: the app's result computed by one hand-written SQL statement, the limit of this PostgreSQL.

The app's time divided by its floor's is how much the application adds (ORM, Python, rendering,
storing the snapshot) to the least the database must do for the same numbers. Each floor is checked
against the app's own output, so a floor that computes something easier cannot pass unnoticed.

- ``village_ranking_floor``: every county's yearly village ranking (scores and competition ranks) from
  the fifteen default indicators of ``apps.rankings.indicators``, with the app's floating-point order
  of operations and Python's rounding (round half to even of the exact binary value).
- ``city_dashboard_floor``: every figure of the city dashboard's panels (``apps.dashboard.selectors``).
"""

from __future__ import annotations

import datetime
import json
import time
from decimal import Decimal

from django.db import connection, transaction

# 2**-60 written out exactly: a double x >= 2**-8 is floor(x) + k * 2**-60 for a whole k.
TWO_TO_MINUS_60 = "0.000000000000000000867361737988403547205962240695953369140625"

# The normalised value (0-100) of each default village indicator, as the columns of ``normalised``.
RANKING_INDICATORS = (
    "branch_rating",
    "branch_rectification",
    "cadre_age",
    "cadre_education",
    "cadre_reserves",
    "one_shoulder",
    "secretary_wealth_leader",
    "secretary_post",
    "income_total",
    "income_growth",
    "income_operating_share",
    "team_duty_rate",
    "team_evaluation",
    "households_paired",
    "morality_participation",
)

VILLAGE_RANKING_SQL = """
WITH subjects AS (
    SELECT v.id, v.county_id
    FROM villages_village v
    WHERE v.retired_on IS NULL OR v.retired_on > %(last)s
),
branch_rating AS (
    SELECT l.village_id,
           min(CASE latest.level WHEN 'advanced' THEN 100 WHEN 'ordinary' THEN 60 ELSE 0 END)::float8 AS raw
    FROM villages_partyorganisationvillage l
    JOIN villages_partyorganisation o ON o.id = l.organisation_id
    JOIN LATERAL (
        SELECT r.level FROM villages_rating r
        WHERE r.organisation_id = l.organisation_id AND r.year <= %(year)s
        ORDER BY r.year DESC LIMIT 1
    ) latest ON true
    WHERE o.dissolved_on IS NULL OR o.dissolved_on >= %(first)s
    GROUP BY l.village_id
),
branch_rectification AS (
    SELECT l.village_id, min(CASE WHEN c.deadline < %(last)s THEN 0 ELSE 50 END)::float8 AS raw
    FROM villages_rectification c
    JOIN villages_partyorganisation o ON o.id = c.organisation_id
    JOIN villages_partyorganisationvillage l ON l.organisation_id = c.organisation_id
    JOIN villages_village v ON v.id = l.village_id AND v.county_id = o.county_id
    WHERE c.status IN ('identified', 'rectifying', 'extended') AND c.opened_on <= %(last)s
    GROUP BY l.village_id
),
in_office AS (  -- two-committee cadres holding a position in the village on the period's last day
    SELECT DISTINCT p.village_id, p.cadre_id
    FROM cadres_cadreposition p
    WHERE p.role IN ('secretary', 'director', 'clerk', 'member')
      AND p.start_date <= %(last)s AND (p.end_date IS NULL OR p.end_date > %(last)s)
),
cadres AS (
    SELECT i.village_id,
           count(*) AS cadres,
           avg(EXTRACT(YEAR FROM age(%(last)s::date, c.birth_date))::integer) AS average_age,
           count(*) FILTER (WHERE coalesce(
               (SELECT d.previous_education FROM cadres_degreeenrolment d
                WHERE d.cadre_id = c.id AND d.completed_on > %(last)s ORDER BY d.completed_on LIMIT 1),
               c.education) IN ('bachelor_plus', 'college')) AS college
    FROM in_office i JOIN cadres_cadre c ON c.id = i.cadre_id
    GROUP BY i.village_id
),
reserves AS (
    SELECT r.village_id, count(*) AS reserves
    FROM cadres_reservecadre r
    WHERE r.since <= %(last)s AND (r.until IS NULL OR r.until > %(last)s)
    GROUP BY r.village_id
),
leaders AS (
    SELECT p.village_id,
           max(p.cadre_id) FILTER (WHERE p.role = 'secretary') AS secretary,
           max(p.cadre_id) FILTER (WHERE p.role = 'director') AS director,
           bool_or(c.is_wealth_leader) FILTER (WHERE p.role = 'secretary') AS wealth_leader
    FROM cadres_cadreposition p JOIN cadres_cadre c ON c.id = p.cadre_id
    WHERE p.role IN ('secretary', 'director')
      AND p.start_date <= %(last)s AND (p.end_date IS NULL OR p.end_date > %(last)s)
    GROUP BY p.village_id
),
incomes AS (  -- the latest record up to the year, and the total of the year before it
    SELECT DISTINCT ON (i.village_id) i.village_id, v.county_id, i.total, i.operating,
           (SELECT p.total FROM collective_economy_income p
            WHERE p.village_id = i.village_id AND p.year = i.year - 1) AS previous_total
    FROM collective_economy_income i JOIN villages_village v ON v.id = i.village_id
    WHERE i.year <= %(year)s
    ORDER BY i.village_id, i.year DESC
),
income_top AS (
    SELECT county_id, max(total::float8) AS top FROM incomes GROUP BY county_id
),
duty_days AS (
    SELECT t.village_id,
           sum(greatest(least(coalesce(m.end_date, %(last)s), %(last)s) - greatest(m.start_date, %(first)s) + 1, 0))
               AS days
    FROM assistance_workteammember m JOIN assistance_workteam t ON t.id = m.team_id
    WHERE m.start_date <= %(last)s AND (m.end_date IS NULL OR m.end_date >= %(first)s)
    GROUP BY t.village_id
),
duty_logs AS (
    SELECT t.village_id, count(*) AS logs
    FROM assistance_dutylog d
    JOIN assistance_workteammember m ON m.id = d.member_id
    JOIN assistance_workteam t ON t.id = m.team_id
    WHERE d.on_duty AND d.date BETWEEN %(first)s AND %(last)s
    GROUP BY t.village_id
),
evaluations AS (
    SELECT t.village_id,
           avg(CASE e.grade WHEN 'excellent' THEN 100 WHEN 'good' THEN 80 WHEN 'fair' THEN 60
                            WHEN 'poor' THEN 0 END) AS points
    FROM assistance_evaluation e
    JOIN assistance_workteammember m ON m.id = e.member_id
    JOIN assistance_workteam t ON t.id = m.team_id
    WHERE e.year = %(year)s
    GROUP BY t.village_id
),
households AS (
    SELECT h.village_id, count(*) AS total,
           count(*) FILTER (WHERE h.paired_cadre_id IS NOT NULL AND EXISTS (
               SELECT 1 FROM assistance_assistancemeasure a
               WHERE a.household_id = h.id AND a.date BETWEEN %(year_first)s AND %(year_last)s)) AS helped
    FROM assistance_household h
    WHERE h.status IN ('poor', 'monitored', 'relapsed') AND h.registered_on <= %(last)s
    GROUP BY h.village_id
),
morality AS (
    SELECT r.village_id, count(*) AS total,
           count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM morality_bank_award a
               WHERE a.resident_id = r.id AND a.status = 'approved' AND a.points > 0
                 AND a.date BETWEEN %(first)s AND %(last)s)) AS active
    FROM morality_bank_resident r
    GROUP BY r.village_id
),
normalised AS (  -- NULL: no data, the indicator is left out for the village (its weight spread)
    SELECT s.id, s.county_id,
        br.raw AS branch_rating,
        coalesce(rc.raw, 100) AS branch_rectification,
        -- greatest() and least() skip NULLs: every clamp of a value that may be missing sits in a CASE
        CASE WHEN c.average_age IS NOT NULL
             THEN greatest(0, least(100, 100 * (c.average_age::float8 - 65) / (35 - 65))) END AS cadre_age,
        CASE WHEN c.cadres > 0 THEN greatest(0, least(100, (100 * c.college)::float8 / c.cadres)) END
            AS cadre_education,
        greatest(0, least(100, 100 * coalesce(rs.reserves, 0)::float8 / 2)) AS cadre_reserves,
        CASE WHEN l.secretary IS NOT NULL AND l.secretary = l.director THEN 100 ELSE 0 END::float8 AS one_shoulder,
        CASE WHEN l.wealth_leader THEN 100 ELSE 0 END::float8 AS secretary_wealth_leader,
        CASE WHEN l.secretary IS NOT NULL THEN 100 ELSE 0 END::float8 AS secretary_post,
        CASE WHEN top.top > 0 THEN greatest(0, least(100, 100 * coalesce(i.total::float8, 0) / top.top))
             ELSE 0 END AS income_total,
        CASE WHEN i.previous_total <> 0 THEN greatest(0, least(100, 50 +
            (((i.total - i.previous_total) * 100)::numeric(60, 30) / i.previous_total)::float8 / 2)) END
            AS income_growth,
        CASE WHEN i.total <> 0 THEN greatest(0, least(100,
            ((100 * i.operating)::numeric(60, 30) / i.total)::float8)) ELSE 0 END AS income_operating_share,
        CASE WHEN dd.days <> 0 THEN greatest(0, least(100,
            (100 * coalesce(dl.logs, 0))::float8 / dd.days)) END AS team_duty_rate,
        CASE WHEN ev.points IS NOT NULL THEN greatest(0, least(100, ev.points::float8)) END AS team_evaluation,
        CASE WHEN hh.total > 0 THEN greatest(0, least(100, (100 * hh.helped)::float8 / hh.total)) END
            AS households_paired,
        CASE WHEN mo.total > 0 THEN greatest(0, least(100, (100 * mo.active)::float8 / mo.total)) END
            AS morality_participation
    FROM subjects s
    LEFT JOIN branch_rating br ON br.village_id = s.id
    LEFT JOIN branch_rectification rc ON rc.village_id = s.id
    LEFT JOIN cadres c ON c.village_id = s.id
    LEFT JOIN reserves rs ON rs.village_id = s.id
    LEFT JOIN leaders l ON l.village_id = s.id
    LEFT JOIN incomes i ON i.village_id = s.id
    LEFT JOIN income_top top ON top.county_id = s.county_id
    LEFT JOIN duty_days dd ON dd.village_id = s.id
    LEFT JOIN duty_logs dl ON dl.village_id = s.id
    LEFT JOIN evaluations ev ON ev.village_id = s.id
    LEFT JOIN households hh ON hh.village_id = s.id
    LEFT JOIN morality mo ON mo.village_id = s.id
),
weighted AS (
    SELECT n.id, n.county_id, {weighted} AS weighted, {total_weight} AS total_weight
    FROM normalised n
),
scored AS (
    SELECT w.id, w.county_id,
           CASE WHEN w.total_weight = 0 THEN 0::numeric ELSE
               -- Python's round(x, 2): half to even on the exact value of the double x
               (cents.whole + CASE WHEN cents.rest > 0.5 OR (cents.rest = 0.5 AND mod(cents.whole, 2) = 1)
                                   THEN 1 ELSE 0 END) / 100
           END AS score
    FROM weighted w
    CROSS JOIN LATERAL (SELECT w.weighted / nullif(w.total_weight, 0) AS x) q
    CROSS JOIN LATERAL (
        SELECT (floor(q.x)::numeric
                + ((q.x - floor(q.x)) * 1152921504606846976::float8)::bigint::numeric * {two_to_minus_60}) * 100
               AS exact
    ) e
    CROSS JOIN LATERAL (SELECT floor(e.exact) AS whole, e.exact - floor(e.exact) AS rest) cents
)
SELECT county_id, id, round(score, 2), rank() OVER (PARTITION BY county_id ORDER BY score DESC)
FROM scored
"""


def village_ranking_sql(weights: dict[str, float]) -> str:
    """The statement for ``weights`` (the app's order: floating-point sums are not associative)."""
    unknown = set(weights) - set(RANKING_INDICATORS)
    if unknown:
        raise ValueError(f"the floor has no SQL for {sorted(unknown)}")
    weighted, total = "0::float8", "0::float8"
    for code, weight in weights.items():
        w = f"{float(weight)!r}::float8"
        weighted = f"({weighted} + coalesce(n.{code} * {w}, 0))"
        total = f"({total} + CASE WHEN n.{code} IS NULL THEN 0 ELSE {w} END)"
    return VILLAGE_RANKING_SQL.format(weighted=weighted, total_weight=total, two_to_minus_60=TWO_TO_MINUS_60)


def _period_params(year: int) -> dict:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return {"year": year, "first": first, "last": last, "year_first": first, "year_last": last}


def village_ranking_floor(*, year: int, weights: dict[str, float]) -> tuple[float, dict[int, tuple]]:
    """Seconds of the statement, and village id → (county id, score, rank) for every county."""
    sql = village_ranking_sql(weights)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('jit', 'off', true)")
        started = time.perf_counter()
        cursor.execute(sql, _period_params(year))
        rows = cursor.fetchall()
        seconds = time.perf_counter() - started
    return seconds, {village: (county, score, rank) for county, village, score, rank in rows}


def compare_rankings(app: dict[int, tuple], floor: dict[int, tuple]) -> dict:
    """How many villages have the same county, score and rank in both; a few differences as examples."""
    differences = [
        {"village": village, "app": app.get(village), "floor": floor.get(village)}
        for village in sorted(set(app) | set(floor))
        if app.get(village) != floor.get(village)
    ]
    return {
        "villages": len(app),
        "equal": len(app) - sum(1 for d in differences if d["village"] in app),
        "match": not differences,
        "examples": json.loads(json.dumps(differences[:5], default=str)),
    }


def as_score(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


CITY_DASHBOARD_SQL = """
WITH villages AS (  -- every village of the city (retired ones too: lists and stats count them)
    SELECT v.* FROM villages_village v JOIN villages_county c ON c.id = v.county_id WHERE c.city_id = %(city)s
),
active AS (SELECT * FROM villages WHERE retired_on IS NULL),
organisations AS (
    SELECT o.id, o.county_id FROM villages_partyorganisation o
    JOIN villages_county c ON c.id = o.county_id WHERE c.city_id = %(city)s
),
in_office AS (
    SELECT c.id, c.birth_date,
           coalesce((SELECT d.previous_education FROM cadres_degreeenrolment d
                     WHERE d.cadre_id = c.id AND d.completed_on > %(on)s ORDER BY d.completed_on LIMIT 1),
                    c.education) AS education
    FROM cadres_cadre c
    WHERE EXISTS (SELECT 1 FROM cadres_cadreposition p JOIN villages v ON v.id = p.village_id
                  WHERE p.cadre_id = c.id AND p.role IN ('secretary', 'director', 'clerk', 'member')
                    AND p.start_date <= %(on)s AND (p.end_date IS NULL OR p.end_date > %(on)s))
),
residents AS (SELECT r.id, r.village_id FROM morality_bank_resident r JOIN villages v ON v.id = r.village_id),
open_escalations AS (
    SELECT r.period_last, e.rank FROM rankings_escalation e
    JOIN rankings_ranking r ON r.id = e.ranking_id JOIN villages_county c ON c.id = e.county_id
    WHERE c.city_id = %(city)s AND e.talk_date IS NULL
),
awarded AS (  -- approved awards of the year with positive points
    SELECT a.resident_id, a.village_id FROM morality_bank_award a JOIN villages v ON v.id = a.village_id
    WHERE a.status = 'approved' AND a.points > 0 AND a.date BETWEEN %(first)s AND %(last)s
)
SELECT json_build_object(
    'villages', (SELECT json_build_object(
        'villages', count(*), 'poor', count(*) FILTER (WHERE poverty_status = 'poor'),
        'deep_poor', count(*) FILTER (WHERE poverty_status = 'deep_poor'),
        'exited', count(*) FILTER (WHERE exit_year IS NOT NULL), 'population', sum(population_registered))
        FROM active),
    'children', (SELECT json_agg(json_build_object(
        'id', c.id, 'villages', x.villages, 'poor', x.poor, 'deep_poor', x.deep_poor, 'exited', x.exited,
        'population', x.population) ORDER BY c.code)
        FROM (SELECT county_id, count(*) AS villages, count(*) FILTER (WHERE poverty_status = 'poor') AS poor,
                     count(*) FILTER (WHERE poverty_status = 'deep_poor') AS deep_poor,
                     count(*) FILTER (WHERE exit_year IS NOT NULL) AS exited,
                     sum(population_registered) AS population
              FROM active GROUP BY county_id) x JOIN villages_county c ON c.id = x.county_id),
    'households', (SELECT json_object_agg(status, json_build_object('households', n, 'people', people))
        FROM (SELECT h.status, count(*) AS n, sum(h.size) AS people
              FROM assistance_household h JOIN villages v ON v.id = h.village_id GROUP BY h.status) x),
    'ratings', (SELECT json_object_agg(level, n) FROM (
        SELECT r.level, count(*) AS n FROM villages_rating r JOIN organisations o ON o.id = r.organisation_id
        WHERE r.year = %(year)s GROUP BY r.level) x),
    'ratings_by_county', (SELECT json_agg(json_build_object('id', x.county_id, 'levels', x.levels) ORDER BY c.code)
        FROM (SELECT county_id, json_object_agg(level, n) AS levels FROM (
                SELECT o.county_id, r.level, count(*) AS n
                FROM villages_rating r JOIN organisations o ON o.id = r.organisation_id
                WHERE r.year = %(year)s GROUP BY o.county_id, r.level) y GROUP BY county_id) x
        JOIN villages_county c ON c.id = x.county_id),
    'rectifications', (SELECT json_build_object(
        'open', count(*) FILTER (WHERE k.status IN ('identified', 'rectifying', 'extended')),
        'overdue', count(*) FILTER (WHERE k.status IN ('identified', 'rectifying', 'extended')
                                     AND k.deadline < %(today)s),
        'opened_in_year', count(*) FILTER (WHERE k.year = %(year)s),
        'accepted', count(*) FILTER (WHERE k.status = 'accepted'))
        FROM villages_rectification k JOIN organisations o ON o.id = k.organisation_id),
    'cadres', (SELECT json_object_agg(education, json_build_object('cadres', n, 'ages', ages)) FROM (
        SELECT education, count(*) AS n,
               sum(EXTRACT(YEAR FROM age(%(on)s::date, birth_date))::integer) AS ages
        FROM in_office GROUP BY education) x),
    'incomes', (SELECT json_build_object('reported', count(*), 'total', sum(i.total),
                                          'brackets', (SELECT json_object_agg(bracket, n) FROM (
                                              SELECT i2.bracket, count(*) AS n FROM collective_economy_income i2
                                              JOIN villages v2 ON v2.id = i2.village_id
                                              WHERE i2.year = %(year)s GROUP BY i2.bracket) b))
        FROM collective_economy_income i JOIN villages v ON v.id = i.village_id WHERE i.year = %(year)s),
    'morality', json_build_object(
        'villages', (SELECT count(*) FROM villages),
        'villages_with_bank', (SELECT count(DISTINCT village_id) FROM residents),
        'active_banks', (SELECT count(DISTINCT village_id) FROM awarded),
        'residents', (SELECT count(*) FROM residents),
        'participants', (SELECT count(*) FROM residents r WHERE r.id IN (SELECT resident_id FROM awarded)),
        'points', (SELECT json_agg(json_build_array(category, quarter, awarded, deducted, net)
                                   ORDER BY category, quarter) FROM (
            SELECT e.category, EXTRACT(QUARTER FROM e.date)::integer AS quarter,
                   coalesce(sum(e.points) FILTER (WHERE e.kind = 'award'), 0) AS awarded,
                   -coalesce(sum(e.points) FILTER (WHERE e.kind = 'deduction'), 0) AS deducted,
                   sum(e.points) AS net
            FROM morality_bank_ledgerentry e JOIN villages v ON v.id = e.village_id
            WHERE e.date BETWEEN %(first)s AND %(last)s AND e.category <> ''
            GROUP BY 1, 2) x),
        'goods', (SELECT json_build_array(count(*), coalesce(sum(g.quantity), 0), coalesce(sum(g.points), 0))
            FROM morality_bank_redemption g JOIN villages v ON v.id = g.village_id
            WHERE g.date BETWEEN %(first)s AND %(last)s AND NOT EXISTS (
                SELECT 1 FROM morality_bank_ledgerentry back
                JOIN morality_bank_ledgerentry original ON original.id = back.reverses_id
                WHERE original.redemption_id = g.id))),
    'escalations', (SELECT json_build_object(
        'open', (SELECT count(*) FROM open_escalations),
        'latest', (SELECT json_agg(json_build_array(period_last, rank)) FROM (
            SELECT period_last, rank FROM open_escalations ORDER BY period_last DESC, rank DESC LIMIT 5) x)))
)
"""


def city_dashboard_floor(*, city_id: int, year: int, today: datetime.date) -> tuple[float, dict]:
    """Seconds of the statement and the figures it computed (``dashboard_figures`` shape)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    params = {
        "city": city_id,
        "year": year,
        "first": first,
        "last": last,
        "today": today,
        "on": min(last, today),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('jit', 'off', true)")
        started = time.perf_counter()
        cursor.execute(CITY_DASHBOARD_SQL, params)
        (row,) = cursor.fetchone()
        seconds = time.perf_counter() - started
    return seconds, _floor_figures(row)


def _floor_figures(row: dict) -> dict:
    households = row["households"] or {}
    cadres = row["cadres"] or {}
    count = sum(group["cadres"] for group in cadres.values())
    ages = sum(group["ages"] for group in cadres.values())
    morality = row["morality"]
    return _numbers(
        {
            "villages": row["villages"],
            "children": [
                [c["id"], c["villages"], c["poor"], c["deep_poor"], c["exited"], c["population"]]
                for c in row["children"] or []
            ],
            "households": {
                "households": sum(h["households"] for h in households.values()),
                "people": sum(h["people"] for h in households.values()),
                "poor_people": sum(households.get(s, {}).get("people", 0) for s in ("poor", "relapsed")),
                **{
                    status: households.get(status, {}).get("households", 0)
                    for status in ("poor", "exited", "monitored", "relapsed")
                },
            },
            "ratings": _levels(row["ratings"] or {}),
            "ratings_by_county": [[r["id"], _levels(r["levels"])] for r in row["ratings_by_county"] or []],
            "rectifications": row["rectifications"],
            "cadres": {
                "cadres": count,
                "average_age": one_decimal(ages / count) if count else None,
                "education": {level: cadres.get(level, {}).get("cadres", 0) for level in EDUCATION_LEVELS},
            },
            "incomes": {
                "reported": row["incomes"]["reported"],
                "total": row["incomes"]["total"],
                "brackets": {b: (row["incomes"]["brackets"] or {}).get(b, 0) for b in BRACKETS},
            },
            "morality": {
                **{key: morality[key] for key in MORALITY_COUNTS},
                "points": morality["points"] or [],
                "goods": morality["goods"],
            },
            "escalations": {"open": row["escalations"]["open"], "latest": row["escalations"]["latest"] or []},
        }
    )


EDUCATION_LEVELS = ("bachelor_plus", "college", "high_school", "junior_or_below")
BRACKETS = ("empty", "lt_10k", "10k_50k", "50k_100k", "100k_500k", "gte_500k")
RATING_LEVELS = ("advanced", "ordinary", "weak")
MORALITY_COUNTS = ("villages", "villages_with_bank", "active_banks", "residents", "participants")


def _levels(counts: dict) -> dict:
    return {"total": sum(counts.values()), **{level: counts.get(level, 0) for level in RATING_LEVELS}}


def one_decimal(value: float) -> float:
    from apps.cadres.statistics import one_decimal as app_one_decimal

    return app_one_decimal(value)


def dashboard_figures(data: dict) -> dict:
    """The numbers of ``apps.dashboard.selectors.dashboard`` (a city's) in the floor's shape."""
    households = data["households"]["counts"]
    cadres = data["cadres"]
    morality = data["morality"]
    return _numbers(
        {
            "villages": data["villages"]["totals"],
            "children": [
                [c["child_id"], c["villages"], c["poor"], c["deep_poor"], c["exited"], c["population"]]
                for c in data["villages"]["children"]
            ],
            "households": {
                key: households[key]
                for key in ("households", "people", "poor_people", "poor", "exited", "monitored", "relapsed")
            },
            "ratings": {key: data["ratings"]["year"][key] for key in ("total", *RATING_LEVELS)},
            "ratings_by_county": [
                [r["region_id"], {key: r[key] for key in ("total", *RATING_LEVELS)}]
                for r in data["ratings"]["by_region"]
            ],
            "rectifications": data["rectifications"],
            "cadres": {
                "cadres": cadres["cadres"],
                "average_age": cadres["average_age"],
                "education": {str(level): n for level, n in cadres["education"].items()},
            },
            "incomes": {
                "reported": data["brackets"]["reported"],
                "total": data["brackets"]["total"],
                "brackets": {code: n for code, _label, n in data["brackets"]["brackets"]},
            },
            "morality": {
                **{key: morality[key] for key in MORALITY_COUNTS},
                "points": [
                    [p["category"], int(p["quarter"][-1]), p["awarded"], p["deducted"], p["net"]]
                    for p in morality["points_by_category"]
                ],
                "goods": [morality["goods_redeemed"][k] for k in ("redemptions", "quantity", "points")],
            },
            "escalations": {
                "open": data["rankings"]["open_escalations"],
                # (month, rank): the order among equal ones is not defined
                "latest": [[str(e.ranking.period_last), e.rank] for e in data["rankings"]["escalations"]],
            },
        }
    )


def _numbers(value):
    """Decimals and floats as floats, ``None`` as 0 for sums of nothing, so both sides compare equal."""
    if isinstance(value, dict):
        return {str(k): _numbers(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_numbers(v) for v in value]
    if isinstance(value, Decimal | float):
        return float(value)
    return 0 if value is None else value
