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
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy.orm import Session

from obrero.errors import ObreroError, ValidationError
from obrero.i18n import _
from obrero.members import (
    Member,
    MemberDraft,
    add_member,
    count_members,
    national_id_key,
    record_leave,
    search_key,
    update_member,
)
from obrero.profile import Profile, cuit_is_valid, default_profile, get_profile, save_profile

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
    return DemoSummary(
        profile=profile,
        occupation_date=occupation,
        members=len(roll),
        active=len(roll) - len(departed) - len(suspended),
        suspended=len(suspended),
        left=len(departed),
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
