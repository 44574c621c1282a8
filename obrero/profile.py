"""The factory's profile: who the cooperative is, where, and which statute rules it follows."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from obrero.errors import ValidationError, ValidationErrors
from obrero.i18n import LANGUAGES, N_, _
from obrero.store.models import ProfileRow

# Statute presets for the quorum and majority rules of assemblies.
STATUTE_PRESETS: dict[str, str] = {
    "argentina": N_("Argentina (Law 20.337 model statute)"),
    "brazil": N_("Brazil (Law 5.764/71)"),
    "custom": N_("Custom rules"),
}
COUNTRIES: dict[str, str] = {
    "AR": N_("Argentina"),
    "BR": N_("Brazil"),
    "VE": N_("Venezuela"),
    "UY": N_("Uruguay"),
    "MX": N_("Mexico"),
    "OT": N_("Other country"),
}
# What the tax id is called where the factory is.
TAX_ID_NAMES: dict[str, str] = {"AR": "CUIT", "BR": "CNPJ", "VE": "RIF", "UY": "RUT", "MX": "RFC"}

FIELD_LABELS: dict[str, str] = {
    "name": N_("Name"),
    "legal_form": N_("Legal form"),
    "tax_id": N_("Tax id"),
    "registration_number": N_("Registration number"),
    "address": N_("Address"),
    "city": N_("City"),
    "country": N_("Country"),
    "time_zone": N_("Time zone"),
    "currency": N_("Currency"),
    "document_language": N_("Default document language"),
    "statute_preset": N_("Statute rules"),
}


@dataclass(frozen=True)
class Profile:
    name: str
    legal_form: str
    tax_id: str
    registration_number: str
    address: str
    city: str
    country: str
    time_zone: str
    currency: str
    document_language: str
    statute_preset: str


_COUNTRY_DEFAULTS: dict[str, dict[str, str]] = {
    "AR": {
        "legal_form": "Cooperativa de Trabajo",
        "time_zone": "America/Argentina/Buenos_Aires",
        "currency": "ARS",
        "document_language": "es",
        "statute_preset": "argentina",
    },
    "BR": {
        "legal_form": "Cooperativa de Trabalho",
        "time_zone": "America/Sao_Paulo",
        "currency": "BRL",
        "document_language": "pt_BR",
        "statute_preset": "brazil",
    },
    "VE": {
        "legal_form": "Cooperativa",
        "time_zone": "America/Caracas",
        "currency": "VES",
        "document_language": "es",
        "statute_preset": "custom",
    },
    "UY": {
        "legal_form": "Cooperativa de Trabajo",
        "time_zone": "America/Montevideo",
        "currency": "UYU",
        "document_language": "es",
        "statute_preset": "custom",
    },
    "MX": {
        "legal_form": "Sociedad Cooperativa",
        "time_zone": "America/Mexico_City",
        "currency": "MXN",
        "document_language": "es",
        "statute_preset": "custom",
    },
}


_NEUTRAL_DEFAULTS = {
    "legal_form": "",
    "time_zone": "UTC",
    "currency": "USD",
    "document_language": "es",
    "statute_preset": "custom",
}


def default_profile(country: str = "AR") -> Profile:
    """A blank profile with the usual legal form, zone, currency and statute of ``country``."""
    defaults = _COUNTRY_DEFAULTS.get(country, _NEUTRAL_DEFAULTS)
    return Profile(
        name="",
        tax_id="",
        registration_number="",
        address="",
        city="",
        country=country,
        **defaults,
    )


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def cuit_is_valid(cuit: str) -> bool:
    """Argentine CUIT: 11 digits, the last a mod-11 check digit."""
    digits = _digits(cuit)
    if len(digits) != 11:
        return False
    weights = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    check = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11
    if check == 11:
        check = 0
    # Where the sum gives 10, AFIP changes the prefix to 23/24 or 33/34 and recomputes,
    # so every issued CUIT (those prefixes too) passes this check; 10 itself never does.
    return check == int(digits[10])


def cnpj_is_valid(cnpj: str) -> bool:
    """Brazilian CNPJ: 14 digits, the last two mod-11 check digits."""
    digits = [int(d) for d in _digits(cnpj)]
    if len(digits) != 14 or len(set(digits)) == 1:
        return False
    for position in (12, 13):
        weights = list(range(position - 7, 1, -1)) + list(range(9, 1, -1))
        total = sum(d * w for d, w in zip(digits[:position], weights, strict=True))
        expected = 0 if total % 11 < 2 else 11 - total % 11
        if digits[position] != expected:
            return False
    return True


def rif_is_valid(rif: str) -> bool:
    """Venezuelan RIF, by its shape: a letter (V, E, J, P, G), 8 digits, a check digit."""
    return re.fullmatch(r"[VEJPG]-?\d{8}-?\d", rif.strip().upper()) is not None


_TAX_ID_CHECKS = {"AR": cuit_is_valid, "BR": cnpj_is_valid, "VE": rif_is_valid}


def validate_profile(profile: Profile) -> None:
    """Raise :class:`ValidationErrors` naming every field of ``profile`` that is wrong."""
    from babel.numbers import list_currencies

    errors: list[ValidationError] = []
    if not profile.name.strip():
        errors.append(ValidationError("name", _("The factory's name cannot be empty.")))
    if profile.country not in COUNTRIES:
        errors.append(ValidationError("country", _("Choose a country from the list.")))
    check = _TAX_ID_CHECKS.get(profile.country)
    if profile.tax_id.strip() and check and not check(profile.tax_id):
        errors.append(
            ValidationError(
                "tax_id",
                _("{tax_id} is not a valid {kind}: check the digits.").format(
                    tax_id=profile.tax_id, kind=TAX_ID_NAMES[profile.country]
                ),
            )
        )
    try:
        ZoneInfo(profile.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        errors.append(
            ValidationError(
                "time_zone",
                _("{zone} is not a known time zone.").format(zone=profile.time_zone),
            )
        )
    if profile.currency not in list_currencies():
        errors.append(
            ValidationError(
                "currency",
                _("{code} is not a currency code (such as ARS or BRL).").format(
                    code=profile.currency
                ),
            )
        )
    if profile.document_language not in LANGUAGES:
        errors.append(ValidationError("document_language", _("Choose a document language.")))
    if profile.statute_preset not in STATUTE_PRESETS:
        errors.append(ValidationError("statute_preset", _("Choose a statute preset.")))
    if errors:
        raise ValidationErrors(errors)


def get_profile(session: Session) -> Profile | None:
    """The stored profile, or ``None`` before the first run has filled it in."""
    row = session.scalar(select(ProfileRow).where(ProfileRow.id == 1))
    if row is None:
        return None
    return Profile(**{name: getattr(row, name) for name in Profile.__dataclass_fields__})


def factory_time_zone(session: Session) -> str:
    """The time zone times are shown in: the factory's, or UTC before there is a profile."""
    profile = get_profile(session)
    return profile.time_zone if profile else "UTC"


def save_profile(session: Session, profile: Profile) -> Profile:
    """Validate and store the profile (tidied: stripped text, upper-case codes)."""
    tidy = replace(profile, **{name: value.strip() for name, value in asdict(profile).items()})
    tidy = replace(tidy, currency=tidy.currency.upper())
    validate_profile(tidy)
    row = session.get(ProfileRow, 1) or ProfileRow(id=1)
    for name, value in asdict(tidy).items():
        setattr(row, name, value)
    session.add(row)
    return tidy
