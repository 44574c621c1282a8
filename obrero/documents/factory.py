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
    # Fingerprint of the key that signs this installation's USB archives, so whoever
    # receives a document can check archives that come from the same PC.
    key_fingerprint: str = ""

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
        if self.key_fingerprint:
            lines.append(
                gettext("Archive signing key: {fingerprint}").format(
                    fingerprint=self.key_fingerprint
                )
            )
        return [line for line in lines if line]


def factory_details(profile: Profile | None) -> FactoryDetails:
    """The letterhead of ``profile``, with this installation's archive key fingerprint."""
    if profile is None:
        return FactoryDetails()
    from obrero.exchange.keys import fingerprint, installation_key, public_key_bytes

    return FactoryDetails(
        key_fingerprint=fingerprint(public_key_bytes(installation_key())),
        name=profile.name,
        legal_form=profile.legal_form,
        tax_id=profile.tax_id,
        tax_id_kind=TAX_ID_NAMES.get(profile.country, ""),
        registration_number=profile.registration_number,
        address=profile.address,
        city=profile.city,
    )
