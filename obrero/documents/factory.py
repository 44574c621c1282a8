"""The factory as a document's letterhead shows it, taken from the profile.

Plain data with no ReportLab in it, so the code that gathers a document
(e.g. :mod:`obrero.logbook.extract`, :mod:`obrero.wages.statements`) can
build it and every renderer prints the same lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from obrero.profile import TAX_ID_NAMES, Profile


@dataclass(frozen=True)
class FactoryDetails:
    """Who issues the document."""

    name: str = ""
    legal_form: str = ""
    tax_id: str = ""
    tax_id_kind: str = ""  # "CUIT", "CNPJ"...; empty for the generic "Tax id"
    registration_number: str = ""
    address: str = ""
    city: str = ""

    def letterhead_lines(self, gettext: Callable[[str], str]) -> list[str]:
        """The lines under the name (legal form, tax id, registration, address), in the
        language of ``gettext``; empty ones are left out."""
        lines = [self.legal_form]
        if self.tax_id:
            lines.append(f"{self.tax_id_kind or gettext('Tax id')}: {self.tax_id}")
        if self.registration_number:
            lines.append(
                gettext("Registration number: {number}").format(number=self.registration_number)
            )
        lines.append(", ".join(part for part in (self.address, self.city) if part))
        return [line for line in lines if line]


def factory_details(profile: Profile | None) -> FactoryDetails:
    if profile is None:
        return FactoryDetails()
    return FactoryDetails(
        name=profile.name,
        legal_form=profile.legal_form,
        tax_id=profile.tax_id,
        tax_id_kind=TAX_ID_NAMES.get(profile.country, ""),
        registration_number=profile.registration_number,
        address=profile.address,
        city=profile.city,
    )
