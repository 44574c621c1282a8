"""A demo factory: a tomato-processing worker cooperative in San Rafael, Mendoza.

The demo fills a new, empty database through the same services the UI uses,
so it shows the program as a real factory would see it (and its audit trail).
Everything is drawn from ``random.Random(seed)`` and dated relative to
``today``: the same seed and day always give the same factory.

Each area adds its own part as one function called from :func:`build_demo`.
The names, streets and notes are data of an Argentine factory, in Spanish
whatever the UI language, like the records a real secretary would type.
"""

from __future__ import annotations

import random
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from obrero.errors import ObreroError, ValidationError
from obrero.i18n import _
from obrero.logbook.entries import AttachmentDraft, EntryDraft, add_entries
from obrero.members import (
    Member,
    MemberDraft,
    MemberStatus,
    add_member,
    count_members,
    days_on_roll,
    find_members,
    national_id_key,
    record_leave,
    search_key,
    update_member,
)
from obrero.profile import Profile, cuit_is_valid, default_profile, get_profile, save_profile
from obrero.wages.periods import (
    PeriodDraft,
    add_income,
    add_line,
    approve,
    create_period,
    mark_paid,
    month_bounds,
    preview,
    set_coefficient,
    set_hours,
)
from obrero.wages.rules import Rule

DEFAULT_SEED = 1
DEFAULT_YEARS = 3
DEFAULT_MEMBERS = 60
MAX_MEMBERS = 1000
MAX_YEARS = 30

FACTORY_NAME = "Cooperativa de Trabajo La Tomatera Ltda."
CITY = "San Rafael, Mendoza"

# Sector -> how many of every hundred workers it employs.
SECTORS: dict[str, int] = {
    "Recepción": 8,
    "Lavado y selección": 16,
    "Cocción": 10,
    "Concentrado": 14,
    "Envasado": 24,
    "Depósito": 12,
    "Mantenimiento": 9,
    "Administración": 7,
}
# Category -> weight on the shop floor; the office has its own category.
CATEGORIES: dict[str, int] = {
    "Ayudante": 35,
    "Medio oficial": 25,
    "Oficial": 20,
    "Operario especializado": 20,
}
OFFICE_SECTOR = "Administración"
OFFICE_CATEGORY = "Administrativo"

MALE_NAMES = (
    "Juan Carlos", "José Luis", "Miguel Ángel", "Jorge", "Raúl", "Héctor", "Rubén", "Néstor",
    "Walter", "Sergio", "Daniel", "Cristian", "Matías", "Lucas", "Nicolás", "Facundo",
    "Gonzalo", "Martín", "Diego", "Ramón", "Hugo", "Omar", "Carlos", "Luis", "Pablo",
    "Ariel", "Darío", "Gustavo", "Fabián", "Julián", "Joaquín", "Iván",
)  # fmt: skip
FEMALE_NAMES = (
    "María José", "Ana María", "Silvia", "Graciela", "Mónica", "Norma", "Patricia", "Claudia",
    "Verónica", "Soledad", "Romina", "Daiana", "Micaela", "Florencia", "Carolina", "Valeria",
    "Lorena", "Gabriela", "Marta", "Rosa", "Beatriz", "Noelia", "Yanina", "Celeste", "Inés",
    "Érica", "Ángela", "Luján",
)  # fmt: skip
SURNAMES = (
    "González", "Rodríguez", "Gómez", "Fernández", "López", "Díaz", "Martínez", "Pérez",
    "García", "Sánchez", "Romero", "Sosa", "Torres", "Álvarez", "Ruiz", "Ramírez", "Flores",
    "Benítez", "Acosta", "Medina", "Herrera", "Suárez", "Aguirre", "Giménez", "Gutiérrez",
    "Pereyra", "Rojas", "Molina", "Castro", "Ortiz", "Núñez", "Luna", "Juárez", "Cabrera",
    "Ríos", "Ferreyra", "Godoy", "Morales", "Domínguez", "Peralta", "Vega", "Quiroga", "Peña",
    "Ledesma", "Muñoz", "Ojeda", "Ponce", "Villalba", "Páez", "Bustos", "Lucero", "Videla",
    "Ibáñez", "Calderón", "Zalazar", "Chacón", "Guiñazú", "Lombardi", "Bianchi", "Ferrari",
)  # fmt: skip
# Many harvest and plant workers in Cuyo came from Bolivia, Chile and Brazil.
IMMIGRANT_NAMES = (
    ("João", "Da Silva"), ("Antônio", "Dos Santos"), ("Conceição", "Oliveira"),
    ("Sebastião", "Souza"), ("Eusebio", "Mamani"), ("Juana", "Quispe"),
    ("Florentino", "Condori"), ("Teodora", "Choque"), ("Patricio", "Muñoz Sepúlveda"),
)  # fmt: skip
STREETS = (
    "Av. Hipólito Yrigoyen", "Av. Bartolomé Mitre", "Belgrano", "Av. El Libertador",
    "Comandante Salas", "Independencia", "Chile", "Pellegrini", "Av. Balloffet", "Maza",
    "Day", "Almafuerte", "Entre Ríos", "Coronel Suárez",
)  # fmt: skip
# Most live in town; the rest in the farming districts around it, on rural lanes.
TOWN_SHARE = 0.6
DISTRICTS = (
    "Rama Caída", "Cuadro Nacional", "Las Paredes", "Goudge", "Monte Comán",
    "Salto de las Rosas", "Cuadro Benegas",
)  # fmt: skip
RURAL_LANES = (
    "Calle Los Sauces", "Callejón Los Álamos", "Calle La Pichana", "Calle Las Acacias",
    "Calle Tabanera", "Callejón Ortiz",
)  # fmt: skip
# Leave reason -> weight, and notes a secretary might have written for it.
LEAVE_WEIGHTS: dict[str, int] = {
    "resignation": 50,
    "retirement": 25,
    "death": 8,
    "expulsion": 5,
    "other": 12,
}
LEAVE_NOTES: dict[str, tuple[str, ...]] = {
    "resignation": ("Se mudó a Mendoza capital.", "Consiguió trabajo en una bodega.", ""),
    "retirement": ("Jubilación ordinaria.", "Jubilación por invalidez.", ""),
    "death": ("Fallecimiento comunicado por la familia.",),
    "expulsion": ("Resuelto por la asamblea por abandono de tareas.",),
    "other": ("Viaja a su país de origen.", "Pasa a trabajar en otra cooperativa."),
}

# Shares of the roll, chosen to look like a recovered plant a few years on.
FOUNDERS_SHARE = 0.45
LEFT_SHARE = 0.12
# DNIs below 20 million belong to people born before about 1968, near retirement age.
RETIREMENT_AGE_DNI = 20_000_000
IMMIGRANT_SHARE = 0.1


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`build_demo` put in the database, for a message to the user."""

    profile: Profile
    occupation_date: date
    members: int
    active: int
    suspended: int
    left: int
    logbook_entries: int = 0
    wage_periods: int = 0
    paid_periods: int = 0
    draft_period: str = ""  # the label of the last period, still a draft


def build_demo(
    session: Session,
    seed: int = DEFAULT_SEED,
    years: int = DEFAULT_YEARS,
    members: int = DEFAULT_MEMBERS,
    today: date | None = None,
) -> DemoSummary:
    """Fill an empty database with a demo factory ``years`` old with ``members`` members."""
    today = today or date.today()
    _check_size(years, members)
    _check_empty(session)
    rng = random.Random(seed)
    occupation = today - timedelta(days=round(365.25 * years))
    profile = save_profile(session, _demo_profile(rng))
    roll = _add_members(session, rng, members, occupation, today)
    departed = _record_departures(session, rng, roll, today)
    suspended = _suspend_some(session, rng, roll, departed, today)
    logbook_entries = _add_logbook(session, rng, today, profile.time_zone)
    wages = _add_wages(session, rng, today)
    return DemoSummary(
        profile=profile,
        occupation_date=occupation,
        members=len(roll),
        active=len(roll) - len(departed) - len(suspended),
        suspended=len(suspended),
        left=len(departed),
        logbook_entries=logbook_entries,
        wage_periods=wages.periods,
        paid_periods=wages.paid,
        draft_period=wages.draft,
    )


def _check_size(years: int, members: int) -> None:
    if not 1 <= years <= MAX_YEARS:
        raise ValidationError(
            "years",
            _("The demo factory can be between 1 and {most} years old.").format(most=MAX_YEARS),
        )
    if not 1 <= members <= MAX_MEMBERS:
        raise ValidationError(
            "members",
            _("The demo factory can have between 1 and {most} members.").format(most=MAX_MEMBERS),
        )


def _check_empty(session: Session) -> None:
    # Demo records mixed into a real roll could end up in minutes or wage statements.
    if count_members(session) or get_profile(session) is not None:
        raise ObreroError(
            _(
                "This database already has a factory profile or members. The demo factory "
                "only goes into a new, empty database, so it never mixes with real records."
            )
        )


# --- The profile -------------------------------------------------------------------------


def _demo_profile(rng: random.Random) -> Profile:
    return replace(
        default_profile("AR"),
        name=FACTORY_NAME,
        tax_id=_cuit(rng),
        registration_number=f"Matrícula INAES N.º {_dotted(rng.randint(40_000, 49_999))}",
        address=f"Av. Hipólito Yrigoyen {rng.randint(3_000, 6_999)}",
        city=CITY,
        time_zone="America/Argentina/Mendoza",
    )


def _cuit(rng: random.Random) -> str:
    """A valid CUIT of a legal person (prefix 30), e.g. "30-71234567-8"."""
    while True:
        body = f"30{rng.randint(71_000_000, 71_999_999)}"
        valid = [digit for digit in range(10) if cuit_is_valid(f"{body}{digit}")]
        # Some bodies have no check digit (AFIP never issues them): draw again.
        if valid:
            return f"{body[:2]}-{body[2:]}-{valid[0]}"


# --- The members roll ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Person:
    full_name: str
    immigrant: bool


def _add_members(
    session: Session, rng: random.Random, count: int, occupation: date, today: date
) -> list[Member]:
    """Put ``count`` members on the roll, in the order they joined."""
    people = _people(rng, count)
    national_ids = _national_ids(rng, people)
    joins = _join_dates(rng, count, occupation, today)
    return [
        add_member(session, _member_draft(rng, person, national_id, joined))
        for person, national_id, joined in zip(people, national_ids, joins, strict=True)
    ]


def _people(rng: random.Random, count: int) -> list[_Person]:
    people: list[_Person] = []
    names: set[str] = set()
    while len(people) < count:
        person = _person(rng)
        if person.full_name not in names:
            names.add(person.full_name)
            people.append(person)
    return people


def _person(rng: random.Random) -> _Person:
    if rng.random() < IMMIGRANT_SHARE:
        first, surname = rng.choice(IMMIGRANT_NAMES)
        return _Person(f"{first} {surname}", immigrant=True)
    female = rng.random() < 0.4
    first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
    surname = rng.choice(SURNAMES)
    if rng.random() < 0.2:
        surname = f"{surname} {rng.choice(SURNAMES)}"
    return _Person(f"{first} {surname}", immigrant=False)


def _national_ids(rng: random.Random, people: list[_Person]) -> list[str]:
    """Unique DNI numbers written with dots, "28.456.912"."""
    taken: set[int] = set()
    ids: list[str] = []
    for person in people:
        # Foreign residents get DNIs from the 92-95 million range.
        low, high = (92_000_000, 95_999_999) if person.immigrant else (14_000_000, 44_999_999)
        number = rng.randint(low, high)
        while number in taken:
            number = rng.randint(low, high)
        taken.add(number)
        ids.append(_dotted(number))
    return ids


def _dotted(number: int) -> str:
    """Thousands separated with dots, as Argentines write DNIs: 28456912 -> "28.456.912"."""
    return f"{number:,}".replace(",", ".")


def _join_dates(rng: random.Random, count: int, occupation: date, today: date) -> list[date]:
    """The founders joined on the day of the occupation; the rest over the years since."""
    founders = max(1, round(count * FOUNDERS_SHARE))
    span = (today - occupation).days
    later = sorted(
        occupation + timedelta(days=rng.randint(1, span)) for _later in range(count - founders)
    )
    return [occupation] * founders + later


def _member_draft(
    rng: random.Random, person: _Person, national_id: str, joined: date
) -> MemberDraft:
    sector = rng.choices(list(SECTORS), weights=list(SECTORS.values()))[0]
    if sector == OFFICE_SECTOR:
        category = OFFICE_CATEGORY
    else:
        category = rng.choices(list(CATEGORIES), weights=list(CATEGORIES.values()))[0]
    return MemberDraft(
        full_name=person.full_name,
        national_id=national_id,
        join_date=joined,
        sector=sector,
        category=category,
        phone=_phone(rng),
        email=_email(rng, person.full_name),
        address=_address(rng),
    )


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return ""
    return f"260 4{rng.randint(10, 99)}-{rng.randint(0, 9999):04d}"


def _email(rng: random.Random, full_name: str) -> str:
    if rng.random() < 0.65:
        return ""
    first, *rest = search_key(full_name).split()
    return f"{first[0]}{''.join(rest)}{rng.randint(1, 99)}@example.com"


def _address(rng: random.Random) -> str:
    if rng.random() < TOWN_SHARE:
        return f"{rng.choice(STREETS)} {rng.randint(100, 2999)}, San Rafael"
    return f"{rng.choice(RURAL_LANES)} s/n, {rng.choice(DISTRICTS)}"


# --- Who left and who is suspended ---------------------------------------------------------


def _record_departures(
    session: Session, rng: random.Random, roll: list[Member], today: date
) -> set[int]:
    """Record leaves, oldest first, for some members who had been in at least three months."""
    eligible = [member for member in roll if (today - member.join_date).days >= 90]
    wanted = min(round(len(roll) * LEFT_SHARE), len(eligible), len(roll) - 1)
    leaving = rng.sample(eligible, wanted)
    leaves = [(_leave_date(rng, member.join_date, today), member) for member in leaving]
    for left_on, member in sorted(leaves, key=lambda pair: (pair[0], pair[1].id)):
        reason = _leave_reason(rng, member)
        record_leave(session, member.id, left_on, reason, rng.choice(LEAVE_NOTES[reason]))
    return {member.id for member in leaving}


def _leave_reason(rng: random.Random, member: Member) -> str:
    reason = rng.choices(list(LEAVE_WEIGHTS), weights=list(LEAVE_WEIGHTS.values()))[0]
    # DNIs were issued in order of birth: only the older members can be retiring.
    if reason == "retirement" and int(national_id_key(member.national_id)) > RETIREMENT_AGE_DNI:
        return "resignation"
    return reason


def _leave_date(rng: random.Random, joined: date, today: date) -> date:
    # At least two months on the roll, and gone before today.
    return joined + timedelta(days=rng.randint(60, (today - joined).days - 1))


def _suspend_some(
    session: Session, rng: random.Random, roll: list[Member], departed: set[int], today: date
) -> set[int]:
    """Suspend one or two members still on the roll (two once the roll has 30 or more)."""
    eligible = [
        member
        for member in roll
        if member.id not in departed and (today - member.join_date).days >= 30
    ]
    wanted = min(2 if len(roll) >= 30 else 1, len(eligible), len(roll) - len(departed) - 1)
    chosen = rng.sample(eligible, wanted)
    for member in chosen:
        update_member(session, member.id, replace(member.draft(), suspended=True))
    return {member.id for member in chosen}


# --- Wages (retiros) ------------------------------------------------------------------------

WAGE_MONTHS = 6
MONTH_NAMES = (
    "Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio", "Julio", "Agosto", "Septiembre",
    "Octubre", "Noviembre", "Diciembre",
)  # fmt: skip
# The assembly's coefficient for each category (Resolución 2026-07).
COEFFICIENTS: dict[str, Decimal] = {
    "Ayudante": Decimal("1.000"),
    "Medio oficial": Decimal("1.100"),
    "Oficial": Decimal("1.250"),
    "Operario especializado": Decimal("1.300"),
    OFFICE_CATEGORY: Decimal("1.150"),
}
# The first periods were shared equally; then the assembly adopted the mixed rule.
EQUAL_PERIODS = 2
EQUAL_RESOLUTION = "Resolución {year}-02 (retiros en partes iguales)"
MIXED_RESOLUTION = "Resolución {year}-07"
MIXED_EQUAL_PERCENT = 50
# A month's sales and costs, in pesos of 2026, for a plant of about 55 people on the roll.
PLANT_SIZE = 55
SALES = "Ventas de puré, triturado y extracto de tomate"
COSTS = (
    ("Materia prima: tomate en fresco y pasta para reproceso", None),
    ("Energía: gas natural y electricidad", (9_000_000, 14_000_000)),
    ("Envases, tapas y etiquetas", (10_000_000, 16_000_000)),
    ("Fletes", (3_500_000, 6_000_000)),
)
ADVANCE = "Adelanto a cuenta del retiro"


@dataclass(frozen=True)
class _Wages:
    periods: int
    paid: int
    draft: str


def _add_wages(session: Session, rng: random.Random, today: date) -> _Wages:
    """Monthly periods for the six months before this one: paid, but the last a draft."""
    people = sorted(find_members(session, limit=MAX_MEMBERS), key=lambda member: member.id)
    months = [_months_before(today, back) for back in range(WAGE_MONTHS, 0, -1)]
    mixed_year = months[EQUAL_PERIODS][0]
    made: list[int] = []
    paid, draft = 0, ""
    for number, (year, month) in enumerate(months):
        start, end = month_bounds(year, month)
        on_roll = [member for member in people if days_on_roll(member, start, end)]
        if not on_roll:
            continue  # nobody yet (only in the tiniest demos)
        label = f"{MONTH_NAMES[month - 1]} {year}"
        if number < EQUAL_PERIODS:
            resolution = EQUAL_RESOLUTION.format(year=year)
            rule = PeriodDraft(start, end, label, rule=Rule.EQUAL, resolution=resolution)
        else:
            resolution = MIXED_RESOLUTION.format(year=mixed_year)
            rule = PeriodDraft(
                start, end, label, rule=Rule.MIXED, equal_percent=MIXED_EQUAL_PERCENT,
                weighted=True, resolution=resolution,
            )  # fmt: skip
        period = create_period(session, rule).id
        if not made:  # later periods inherit them
            for category, coefficient in COEFFICIENTS.items():
                set_coefficient(session, period, category, coefficient)
        for description, amount in _income_lines(rng, len(on_roll)):
            add_income(session, period, description, amount)
        set_hours(session, period, {m.id: _hours(rng, m, start, end) for m in on_roll})
        last = number == len(months) - 1
        advances = rng.randint(3, 5) if last else rng.randint(1, 3)
        _advances(session, rng, period, on_roll, start, end, advances)
        if last:
            if made:
                _adjustment(session, rng, period, made[-1])
            draft = label
        else:
            paid_in = _months_before(end + timedelta(days=1), 0)
            approve(session, period, date(*paid_in, 5))
            mark_paid(session, period, date(*paid_in, rng.randint(7, 10)))
            paid += 1
        made.append(period)
    return _Wages(periods=len(made), paid=paid, draft=draft)


def _months_before(day: date, back: int) -> tuple[int, int]:
    """(year, month) of the month ``back`` months before the month of ``day``."""
    index = day.year * 12 + day.month - 1 - back
    return index // 12, index % 12 + 1


def _pesos(value: float, rng: random.Random) -> Decimal:
    """Whole pesos plus some centavos, as a bank statement shows them."""
    return Decimal(round(value) * 100 + rng.randint(0, 99)) / 100


def _income_lines(rng: random.Random, on_roll: int) -> list[tuple[str, Decimal]]:
    """Sales and the month's costs, so that about $ 1.000.000 a member is left to share."""
    scale = on_roll / PLANT_SIZE
    to_share = on_roll * rng.randint(980_000, 1_160_000)
    raw_material = rng.uniform(0.36, 0.44)  # of sales
    costs = [(text, scale * rng.randint(*span)) for text, span in COSTS if span]
    sales = (to_share + sum(cost for _text, cost in costs)) / (1 - raw_material)
    lines = [(SALES, _pesos(sales, rng)), (COSTS[0][0], -_pesos(sales * raw_material, rng))]
    return lines + [(text, -_pesos(cost, rng)) for text, cost in costs]


def _hours(rng: random.Random, member: Member, start: date, end: date) -> Decimal:
    """150 to 190 normal hours a month (fewer for part of it), and some extra on the floor."""
    share = days_on_roll(member, start, end) / ((end - start).days + 1)
    normal = rng.randint(150, 190) * share
    extra = 0 if member.category == OFFICE_CATEGORY else rng.choice((0, 0, 0, 4, 6, 8, 12, 16))
    return Decimal(round((normal + extra * share) * 2)) / 2


def _advances(
    session: Session,
    rng: random.Random,
    period: int,
    on_roll: list[Member],
    start: date,
    end: date,
    count: int,
) -> None:
    """A few members, on the roll all month, asked for part of their retiro in advance."""
    whole_month = [m for m in on_roll if days_on_roll(m, start, end) == (end - start).days + 1]
    for member in rng.sample(whole_month, min(count, len(whole_month))):
        amount = Decimal(rng.randint(10, 30) * 10_000)
        day = rng.choice((10, 12, 15, 20))
        add_line(session, period, member.id, "advance", f"{ADVANCE} (día {day})", amount)


def _adjustment(session: Session, rng: random.Random, period: int, earlier: int) -> None:
    """Extra hours left out of the earlier period, paid in this one."""
    before = {row.member_id: row for row in preview(session, earlier).rows}
    now = {row.member_id for row in preview(session, period).rows}
    candidates = [row for member_id, row in before.items() if member_id in now and row.hours]
    if not candidates:
        return
    row = rng.choice(candidates)
    hours = rng.choice((4, 6, 8))
    # Half the amount is shared by hours: an hour is worth about half the share per hour.
    cents = row.share_cents * hours // (2 * row.hours)
    add_line(
        session, period, row.member_id, "adjustment",
        f"Horas extra del período anterior no cargadas ({hours} h)",
        Decimal(int(cents)) / 100, earlier,
    )  # fmt: skip


# --- The occupation logbook ----------------------------------------------------------------

LOGBOOK_DAYS = 365
# The former owners, their lawyer, the court, the police station: the same all year.
FORMER_OWNER = "Conservas del Sur S.A. (en quiebra)"
OWNERS_LAWYER = "Dr. Ernesto Bórquez Lagos, apoderado de los ex dueños"
NOTARY = "Escribana María Laura Funes"
TRUSTEE = "Cdor. Julio Arrieta, síndico de la quiebra"
COURT = "Juzgado de Procesos Concursales de San Rafael"
POLICE_STATION = "Comisaría 8.ª de San Rafael"
OUR_LAWYER = "Dra. Valeria Ontiveros, abogada de la cooperativa"
GATE = "Portón principal"
OFFICERS = ("Oficial Principal", "Oficial Ayudante", "Cabo Primero", "Sargento")

# Shift -> (first hour, last hour): the guard changes at 6, 14 and 22.
GUARD_SHIFTS: dict[str, tuple[int, int]] = {
    "mañana": (6, 14),
    "tarde": (14, 22),
    "noche": (22, 6),
}
GUARD_QUIET = (
    "Sin novedad. Recorrida del perímetro a las {first} y a las {second} h.",
    "Sin novedad. Se controlaron candados del portón y del depósito.",
    "Turno tranquilo. Se revisó el cerco del fondo y la cámara de frío.",
    "Sin novedad. Pasó el recorredor de la empresa de luz; no ingresó a la planta.",
    "Sin novedad. Se cargó agua en los tanques y se encendieron las luces del patio.",
)
GUARD_NEWS = (
    "A las {first} h se escucharon ruidos en el sector de tambores vacíos; recorrida con "
    "linterna: eran perros sueltos. Se avisó al turno siguiente.",
    "Ingresó el camión de tomate de la finca de {person} con {tons} toneladas; se pesó en "
    "la báscula y se dejó constancia en el remito.",
    "Un auto sin patente estuvo detenido frente al portón unos veinte minutos y se fue. "
    "Se anotó la hora por si se repite.",
    "Vecinos de calle Tabanera trajeron {thing} para el fondo de lucha.",
    "Se cortó la luz a las {first} h durante unos cuarenta minutos. Se encendió el grupo "
    "electrógeno para la cámara de frío.",
)
GUARD_GIFTS = ("tortas fritas", "dos bolsas de verdura", "leña", "yerba y azúcar")

ORDINARY_MEETING = (
    "Asamblea ordinaria mensual",
    "Se trató el informe de producción del mes y el estado de la causa judicial. "
    "Se votó mantener la guardia de tres turnos. Acta en el libro de actas.",
)
# Month of the year -> the meeting held instead of the ordinary one.
MEETINGS: dict[int, tuple[str, str]] = {
    2: (
        "Asamblea: turnos de cosecha",
        "Se organizaron los turnos para la temporada de tomate y la rotación de la guardia "
        "nocturna entre todos los sectores.",
    ),
    4: (
        "Asamblea extraordinaria por la audiencia",
        "La abogada explicó la audiencia en el juzgado. Se resolvió concurrir en "
        "movilización y pedir la expropiación a la Legislatura.",
    ),
    6: (
        "Asamblea: fondo de lucha",
        "Se informó lo recaudado en el festival solidario y se aprobó destinarlo a la "
        "reparación de la caldera. Votación: mayoría, dos abstenciones.",
    ),
    7: (
        "Reunión del consejo con el municipio",
        "Reunión en la Municipalidad con la Secretaría de Producción por la tarifa de luz "
        "y el uso del predio. Quedaron en enviar una propuesta por escrito.",
    ),
}
POLICE_VISITS = (
    "Se detuvo un patrullero; los agentes preguntaron por la situación de la planta y "
    "quiénes estaban de guardia. Se retiraron sin incidentes.",
    "Los agentes pidieron los nombres de los compañeros de guardia. Se les mostró la "
    "resolución judicial vigente y la nota de la cooperativa. Se retiraron.",
    "Patrullaje de rutina por la denuncia de robo de cables; preguntaron si hubo "
    "novedades en el perímetro sur.",
)
MEDIA = (
    (
        "Entrevista en Radio Nacional San Rafael",
        "Dos compañeros hablaron en el programa de la mañana sobre la recuperación de la "
        "planta y la producción de puré de tomate.",
        "",
    ),
    (
        "Nota del diario Los Andes",
        "Un periodista y un fotógrafo recorrieron la planta con autorización de la asamblea. "
        "No se fotografió a compañeros que no quisieron.",
        "Oficina y línea de envasado",
    ),
    (
        "Canal 6 grabó en el portón",
        "Grabaron una nota para el noticiero sobre el pedido de desalojo. Habló la "
        "presidenta del consejo.",
        GATE,
    ),
    (
        "Estudiantes de la UNCuyo",
        "Estudiantes de la facultad hicieron entrevistas para un trabajo sobre empresas "
        "recuperadas. Se les entregó una copia del estatuto.",
        "Comedor",
    ),
)
SOLIDARITY = (
    (
        "Visita de compañeros de una cooperativa recuperada",
        "Llegaron compañeros de la Cooperativa Chilavert Artes Gráficas a contar su "
        "experiencia con la expropiación. Se quedaron a almorzar.",
        "Comedor",
    ),
    (
        "Visita del sindicato de la alimentación",
        "Una delegación del STIA Mendoza se comprometió a acompañar en la audiencia y a "
        "difundir la situación entre los trabajadores de las conserveras de la zona.",
        GATE,
    ),
    (
        "Movimiento de empresas recuperadas",
        "Referentes del movimiento nacional de empresas recuperadas trajeron un modelo de "
        "proyecto de ley de expropiación para presentar en la Legislatura.",
        "Oficina",
    ),
    (
        "Festival solidario en el playón",
        "Tocaron bandas de la zona; vinieron vecinos, la CTA y estudiantes. Se vendieron "
        "empanadas para el fondo de lucha.",
        "Playa de camiones",
    ),
    (
        "Visita de la fábrica recuperada de cerámicos de Neuquén",
        "Compañeros de FaSinPat (ex Zanón) donaron cerámicos para el baño del comedor y "
        "ofrecieron asesoramiento para la gestión obrera.",
        "Comedor",
    ),
)
MAINTENANCE = (
    (
        "Reparación de la bomba de la caldera",
        "Se cambió el sello mecánico. Quedó probada.",
        "Sala de calderas",
    ),
    ("Cambio de rodamientos de la despulpadora", "Trabajo de dos turnos; línea parada.", "Cocción"),
    ("Limpieza de la línea de envasado", "Limpieza a fondo antes de la temporada.", "Envasado"),
    (
        "Revisión del tablero eléctrico",
        "Un electricista matriculado revisó el tablero y cambió dos térmicas.",
        "Sala de máquinas",
    ),
    ("Soldadura del portón", "Se reforzaron las bisagras del portón principal.", GATE),
    (
        "Calibración de la báscula",
        "Se calibró la báscula de camiones con pesas patrón.",
        "Recepción",
    ),
)
INCIDENTS = (
    (
        "Intento de robo de cables",
        "Durante la noche cortaron un tramo del cable de alimentación del pozo de agua en el "
        "perímetro sur. Se hizo la denuncia en la comisaría.",
        "Perímetro sur",
    ),
    (
        "Compañero lastimado en la cinta",
        "Un compañero se cortó la mano con la cinta de selección. Primeros auxilios en la "
        "planta y traslado al Hospital Schestakow; volvió con cinco puntos.",
        "Lavado y selección",
    ),
    (
        "Pérdida de vapor en la cocción",
        "Se rompió una junta del cocinador; se cortó el vapor y se desalojó el sector por "
        "precaución. Sin heridos.",
        "Cocción",
    ),
    (
        "Corte de agua de red",
        "Sin agua de red desde las 8 h. Se trabajó con el pozo y se suspendió el lavado "
        "hasta la tarde.",
        "Planta",
    ),
)


@dataclass(frozen=True)
class _Event:
    """One thing that happened, before it is written as a logbook entry."""

    happened: datetime  # local, aware
    recorded: datetime  # when the secretary wrote it down; aware
    category: str
    title: str
    text: str
    place: str = ""
    people: str = ""
    attachments: tuple[AttachmentDraft, ...] = ()
    amends: int | None = None  # the position in the list of the event it corrects
    by_council: bool = True  # written by the council; else by whoever was on guard


def _add_logbook(session: Session, rng: random.Random, today: date, time_zone: str) -> int:
    """A year of the occupation logbook, up to yesterday; returns how many entries."""
    zone = ZoneInfo(time_zone)
    first_day = today - timedelta(days=LOGBOOK_DAYS)
    people = sorted(find_members(session, limit=MAX_MEMBERS), key=lambda member: member.id)
    # The council writes most entries: three founders still on the roll, where there are any.
    founders = [m for m in people if m.join_date <= first_day and m.status is MemberStatus.ACTIVE]
    council = rng.sample(founders, min(3, len(founders)))
    # The story first: its amendments name their originals by position in this list.
    events = _story(rng, first_day, zone) + _guard_shifts(rng, first_day, today, zone)
    order = sorted(range(len(events)), key=lambda index: events[index].recorded)
    numbers: dict[int, int] = {}
    for index in order:
        event = events[index]
        day = event.happened.date()
        author = _author(rng, council if event.by_council else [], people, day)
        if author is None:
            continue  # nobody on the roll that day (only in the tiniest demos)
        amends = numbers.get(event.amends) if event.amends is not None else None
        if event.amends is not None and amends is None:
            continue
        draft = EntryDraft(
            happened_at=event.happened,
            author_id=author.id,
            category=event.category,
            title=event.title,
            text=event.text,
            place=event.place,
            people=event.people,
            attachments=event.attachments,
            amends_id=amends,
        )
        [numbers[index]] = add_entries(session, [draft], now=event.recorded)
    return len(numbers)


def _author(
    rng: random.Random, preferred: list[Member], people: list[Member], day: date
) -> Member | None:
    """Someone on the roll on ``day``: one of ``preferred`` if any is, else anyone not suspended."""
    for choices in (preferred, [m for m in people if m.status is not MemberStatus.SUSPENDED]):
        on_roll = [member for member in choices if member.on_roll(day)]
        if on_roll:
            return rng.choice(on_roll)
    return None


def _at(day: date, hour: int, minute: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def _guard_shifts(rng: random.Random, first_day: date, today: date, zone: ZoneInfo) -> list[_Event]:
    """A guard shift written down every two to four days, mostly "sin novedad"."""
    events = []
    day = first_day + timedelta(days=rng.randint(1, 3))
    while day < today - timedelta(days=1):
        shift = rng.choices(list(GUARD_SHIFTS), weights=(2, 2, 5))[0]
        start, end = GUARD_SHIFTS[shift]
        first = (start + rng.randint(1, 3)) % 24
        second = (first + rng.randint(2, 4)) % 24
        template = rng.choice(GUARD_NEWS) if rng.random() < 0.25 else rng.choice(GUARD_QUIET)
        text = template.format(
            first=first,
            second=second,
            person=rng.choice(SURNAMES),
            tons=rng.randint(18, 28),
            thing=rng.choice(GUARD_GIFTS),
        )
        happened = _at(day, start, 0, zone)
        end_day = day + timedelta(days=1) if end < start else day
        events.append(
            _Event(
                happened=happened,
                recorded=_at(end_day, end, rng.randint(5, 40), zone),
                category="guard",
                title=f"Turno de guardia {shift} ({start} a {end} h)",
                text=text,
                place=GATE,
                by_council=False,
            )
        )
        day += timedelta(days=rng.randint(2, 4))
    return events


def _story(rng: random.Random, first_day: date, zone: ZoneInfo) -> list[_Event]:
    """The year's visits, notices, meetings and mishaps, spread over it."""
    events: list[_Event] = []

    def add(
        fraction: float,
        hour: int,
        category: str,
        title: str,
        text: str,
        place: str = "",
        people: str = "",
        attachments: tuple[AttachmentDraft, ...] = (),
    ) -> int:
        """An event at ``fraction`` of the year (a few days either way); returns its position."""
        offset = round(fraction * (LOGBOOK_DAYS - 10)) + rng.randint(1, 5)
        happened = _at(first_day + timedelta(days=offset), hour, rng.choice((0, 15, 30, 45)), zone)
        recorded = happened + timedelta(minutes=rng.randint(20, 180))
        events.append(_Event(happened, recorded, category, title, text, place, people, attachments))
        return len(events) - 1

    def officers() -> str:
        first, second = rng.sample(SURNAMES, 2)
        return f"{rng.choice(OFFICERS)} {first}, {rng.choice(OFFICERS)} {second} ({POLICE_STATION})"

    def amend(original: int, days: int, title: str, text: str) -> None:
        before = events[original]
        recorded = before.recorded + timedelta(days=days, hours=rng.randint(1, 5))
        happened = recorded - timedelta(minutes=rng.randint(5, 30))
        events.append(
            _Event(happened, recorded, before.category, title, text, before.place, before.people,
                   amends=original)
        )  # fmt: skip

    # An assembly every month, and the ordinary run of a year.
    for month in range(12):
        title, text = MEETINGS.get(month, ORDINARY_MEETING)
        add(month / 12, 18, "meeting", title, text, place="Comedor")
    fractions = sorted(rng.uniform(0, 1) for _job in MAINTENANCE)
    for (title, text, place), fraction in zip(
        rng.sample(MAINTENANCE, len(MAINTENANCE)), fractions, strict=True
    ):
        add(fraction, rng.randint(8, 16), "maintenance", title, text, place=place)
    for (title, text, place), fraction in zip(INCIDENTS, (0.2, 0.45, 0.6, 0.85), strict=True):
        add(fraction, rng.randint(0, 23), "incident", title, text, place=place)
    for (title, text, place), fraction in zip(MEDIA, (0.12, 0.36, 0.52, 0.78), strict=True):
        add(fraction, rng.randint(9, 18), "media", title, text, place=place)
    for (title, text, place), fraction in zip(SOLIDARITY, (0.1, 0.3, 0.5, 0.65, 0.9), strict=True):
        add(fraction, rng.randint(10, 19), "solidarity", title, text, place=place)
    for fraction, text in zip((0.05, 0.22, 0.47, 0.7, 0.95), POLICE_VISITS * 2, strict=False):
        add(
            fraction,
            rng.randint(9, 23),
            "police",
            "Patrullero frente al portón",
            text,
            place=GATE,
            people=officers(),
        )

    # The case: the former owners want the plant back; the court and the assembly answer.
    add(
        0.08,
        10,
        "owners",
        "Abogado de los ex dueños en el portón",
        f"Se presentó el apoderado de {FORMER_OWNER} con una escribana para «constatar el "
        "estado del inmueble». Sin orden judicial no se le permitió el ingreso; se le ofreció "
        "dejar constancia por escrito y se sacó una foto.",
        place=GATE,
        people=f"{OWNERS_LAWYER}; {NOTARY}",
        attachments=(AttachmentDraft("foto-porton.png", _gate_photo(), "image/png"),),
    )
    police_visit = add(
        0.09,
        11,
        "police",
        "La policía acude por pedido de los ex dueños",
        "Dos agentes vinieron a pedido del abogado de los ex dueños. Se les explicó que la "
        "planta está en manos de la cooperativa con causa judicial en trámite. Labraron un "
        "acta y se retiraron.",
        place=GATE,
        people=officers(),
    )
    amend(
        police_visit,
        1,
        "Corrección: eran tres agentes",
        "Corrige la entrada de la visita policial: eran tres agentes, no dos, en el móvil "
        "1147. El acta quedó firmada por el compañero de guardia.",
    )
    notice = add(
        0.25,
        12,
        "court",
        "Cédula judicial: pedido de desalojo",
        f"Un oficial de justicia dejó una cédula del {COURT}: la sindicatura pide el desalojo "
        "de la planta. Plazo para contestar: cinco días. Se avisó a la abogada y al consejo.",
        place="Oficina",
        people=f"Oficial de justicia; {TRUSTEE}",
        attachments=(AttachmentDraft("cedula-judicial.png", _scanned_page(), "image/png"),),
    )
    amend(
        notice,
        2,
        "Corrección: el plazo es de diez días hábiles",
        "Corrige la entrada de la cédula: según la abogada, el plazo para contestar es de "
        "diez días hábiles, no cinco.",
    )
    add(
        0.27,
        17,
        "court",
        "Contestación presentada en el juzgado",
        "La abogada presentó la contestación al pedido de desalojo con la lista de "
        "compañeros y el plan de continuidad productiva.",
        place=COURT,
        people=OUR_LAWYER,
    )
    add(
        0.4,
        9,
        "court",
        "Audiencia en el juzgado",
        "Audiencia con el juez, la sindicatura y los ex dueños. Afuera, movilización de la "
        "cooperativa, el sindicato y vecinos. El juez pasó a resolver.",
        place=COURT,
        people=f"{OUR_LAWYER}; {TRUSTEE}; {OWNERS_LAWYER}",
    )
    add(
        0.44,
        13,
        "court",
        "El juzgado suspende el desalojo",
        "Cédula del juzgado: se suspende el desalojo por ciento ochenta días y se autoriza "
        "a la cooperativa a continuar la producción en custodia de los bienes.",
        place="Oficina",
        people="Oficial de justicia",
    )
    add(
        0.62,
        10,
        "owners",
        "Acreedores piden inventario",
        "Vino el síndico con dos representantes de acreedores para hacer inventario de "
        "máquinas. Se los acompañó en la recorrida; se firmó el inventario con "
        "observaciones de la cooperativa.",
        place="Planta",
        people=f"{TRUSTEE}; representantes de acreedores",
    )
    add(
        0.8,
        11,
        "other",
        "Proyecto de expropiación en la Legislatura",
        "Diputados provinciales presentaron el proyecto de ley de expropiación del inmueble "
        "y las máquinas a favor de la cooperativa. Viajó una delegación a Mendoza.",
        place="Legislatura de Mendoza",
    )
    return events


def _png(width: int, height: int, pixel: Callable[[int, int], tuple[int, int, int]]) -> bytes:
    """A valid RGB PNG image drawn by ``pixel(x, y)``, without any imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = b"".join(
        b"\x00" + bytes(value for x in range(width) for value in pixel(x, y)) for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def _gate_photo() -> bytes:
    """A small "photo" of the gate: sky, wall, the gate's bars and a red banner."""

    def pixel(x: int, y: int) -> tuple[int, int, int]:
        if y < 20:
            return (120 + y * 3, 170 + y * 2, 230)  # sky
        if 24 <= y < 30 and 10 <= x < 86:
            return (200, 30, 40)  # the cooperative's banner
        if y >= 34 and 28 <= x < 68:
            return (40, 40, 45) if x % 5 == 0 else (90, 95, 100)  # the gate's bars
        return (170, 160, 150)  # wall

    return _png(96, 64, pixel)


def _scanned_page() -> bytes:
    """A small "scan" of a court notice: paper, lines of type, a round stamp."""

    def pixel(x: int, y: int) -> tuple[int, int, int]:
        if (x - 48) ** 2 + (y - 100) ** 2 in range(90, 140):
            return (60, 70, 160)  # the court's stamp
        if 8 <= x < 56 and y % 8 in (4, 5) and 12 <= y < 90 and (x + y) % 11:
            return (50, 50, 50)  # lines of type
        return (245, 243, 235)  # paper

    return _png(64, 120, pixel)
