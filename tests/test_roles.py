"""Derived roles (planner/roles.py): regiebehandelaar, gedragswetenschapper, registered professional."""

import pytest

from planner.roles import derived_roles, is_gedragswetenschapper, is_registered_professional, is_regiebehandelaar
from tests.builders import staff

# A:2105-2151: every profession on the regiebehandelaar list with the registration it needs
REGIE = {
    "psychiater": "BIG", "klinisch psycholoog": "BIG", "klinisch neuropsycholoog": "BIG", "psychotherapeut": "BIG",
    "verpleegkundig specialist GGZ": "BIG", "GZ-psycholoog": "BIG", "VG-arts": "BIG",
    "orthopedagoog-generalist": "BIG", "kinder- en jeugdpsycholoog": "NIP", "medisch specialist": "BIG",
}


@pytest.mark.parametrize(("profession", "registration"), REGIE.items())
def test_regiebehandelaar_with_registration(profession, registration):
    assert is_regiebehandelaar(staff("M1", profession=profession, registrations=(registration,)))


@pytest.mark.parametrize(("profession", "registration"), REGIE.items())
def test_regiebehandelaar_without_registration(profession, registration):
    others = tuple(r for r in ("SKJ", "BIG", "NIP", "NVO", "RVT", "KNMG") if r != registration)
    assert not is_regiebehandelaar(staff("M1", profession=profession, registrations=others))


def test_regiebehandelaar_profession_spelling_is_normalised():
    assert is_regiebehandelaar(staff("M1", profession="  Orthopedagoog-Generalist ", registrations=("BIG",)))


def test_regiebehandelaar_not_for_other_professions():
    for profession in ("orthopedagoog", "ontwikkelingspsycholoog", "systeemtherapeut", "sociaal werker"):
        assert not is_regiebehandelaar(staff("M1", profession=profession, registrations=("SKJ", "BIG", "NIP")))


def test_verslavingsarts_only_within_verslavingszorg():
    m = staff("M1", profession="verslavingsarts", registrations=("KNMG", "BIG"))  # A:2125: KNMG and BIG
    assert is_regiebehandelaar(m, domain="verslavingszorg")
    assert not is_regiebehandelaar(staff("M1", profession="verslavingsarts", registrations=("KNMG",)), "verslavingszorg")
    assert not is_regiebehandelaar(m)
    assert not is_regiebehandelaar(m, domain="jeugd-ggz")
    assert not is_regiebehandelaar(staff("M1", profession="verslavingsarts", registrations=("BIG",)), "verslavingszorg")
    assert "regiebehandelaar" not in derived_roles(m)


def test_gedragswetenschapper_wo_with_skj_nip_or_nvo():
    for reg in ("SKJ", "NIP", "NVO"):
        assert is_gedragswetenschapper(staff("M1", education="wo", profession="orthopedagoog", registrations=(reg,)))
    assert is_gedragswetenschapper(staff("M1", education="wo+", profession="ontwikkelingspsycholoog", registrations=("SKJ",)))


def test_gedragswetenschapper_not_below_wo_or_unregistered():
    assert not is_gedragswetenschapper(staff("M1", education="hbo+", profession="orthopedagoog", registrations=("SKJ",)))
    assert not is_gedragswetenschapper(staff("M1", education="wo", profession="orthopedagoog", registrations=()))
    assert not is_gedragswetenschapper(staff("M1", education="wo", profession="orthopedagoog", registrations=("RVT",)))


@pytest.mark.parametrize("education", ["hbo", "hbo+", "wo", "wo+"])
def test_registered_professional_hbo_or_higher_with_skj_or_big(education):
    assert is_registered_professional(staff("M1", education=education, profession="sociaal werker", registrations=("SKJ",)))
    assert is_registered_professional(staff("M1", education=education, profession="sociaal werker", registrations=("BIG",)))
    assert not is_registered_professional(staff("M1", education=education, profession="sociaal werker", registrations=()))


@pytest.mark.parametrize("education", ["mbo3", "mbo4"])
def test_registered_professional_not_below_hbo(education):
    assert not is_registered_professional(staff("M1", education=education, profession="sociaal werker",
                                                registrations=("SKJ", "BIG")))


def test_registered_professional_vaktherapeut_with_register_vaktherapie():
    assert is_registered_professional(staff("M1", education="hbo", profession="vaktherapeut", registrations=("RVT",)))
    assert not is_registered_professional(staff("M1", education="hbo", profession="sociaal werker", registrations=("RVT",)))
    assert not is_registered_professional(staff("M1", education="mbo4", profession="vaktherapeut", registrations=("RVT",)))


def test_derived_roles_default_test_staff_has_all_three():
    assert derived_roles(staff("M1")) == ["regiebehandelaar", "gedragswetenschapper", "geregistreerd professional"]
    assert derived_roles(staff("M1", education="mbo4", profession="sociaalpedagogisch medewerker", registrations=())) == []


def test_education_orders_by_level_not_by_spelling():
    from planner.domain import Education

    assert Education.MBO4 < Education.HBO and not Education.MBO4 >= Education.HBO
    assert Education.WO_PLUS > Education.WO >= Education.HBO_PLUS > Education.HBO > Education.MBO4 > Education.MBO3
    assert sorted(Education, reverse=True)[0] is Education.WO_PLUS


def test_profession_spelling_with_or_without_hyphen():
    from planner.roles import normalise_profession

    assert normalise_profession("Orthopedagoog-Generalist") == normalise_profession("orthopedagoog generalist")
