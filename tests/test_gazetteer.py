"""The actor gazetteer: data integrity, the variant table, context and span patterns."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path

import pytest
from conftest import read_table

from extractor.gazetteer import (
    ENDED,
    NOT_YET,
    PROPOSED_NAME,
    CentralFile,
    Gazetteer,
    get_gazetteer,
    key,
)
from extractor.schema import EntityKind

TABLE = Path(__file__).parent / "data" / "actor_variants.tsv"
DATA = resources.files("extractor").joinpath("data", "gazetteer")


ROWS = read_table(TABLE, 6)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return get_gazetteer()


def test_table_is_big_enough():
    assert len(ROWS) >= 150


@pytest.mark.parametrize("surface,doc_date,canonical_id,kind,person,members", ROWS)
def test_actor_variant(gaz, surface, doc_date, canonical_id, kind, person, members):
    on = dt.date.fromisoformat(doc_date) if doc_date else None
    res = gaz.resolve(surface, on)
    got_id = res.canonical.id if res.canonical else None
    assert (got_id or "") == canonical_id, res.rule
    assert res.kind == EntityKind(kind), res.rule
    assert (res.person or "") == person, res.rule
    assert [m.id for m in res.members] == members.split(), res.rule
    assert res.rule  # every result names what decided it


# ---------------------------------------------------------------------------
# Data integrity


def _json(name: str):
    return json.loads(DATA.joinpath(name).read_text(encoding="utf-8"))


def test_every_data_file_loads_and_ids_are_unique(gaz):
    ids = [e["id"] for f in ("central.json", "other_bodies.json", "collectives.json")
           for e in _json(f)["entries"]]
    assert len(ids) == len(set(ids))
    assert len([i for i in gaz.entries if i.startswith("province:old:")]) == 63
    assert len([i for i in gaz.entries if i.startswith("province:new:")]) == 34


def test_successors_exist_and_dates_are_iso(gaz):
    for name in ("central.json", "other_bodies.json"):
        for e in _json(name)["entries"]:
            if e.get("successor"):
                assert e["successor"] in gaz.entries, e["id"]
                assert e.get("valid_to"), f"{e['id']}: a successor needs an end date"
            for field in ("valid_from", "valid_to"):
                if e.get(field):
                    assert dt.date.fromisoformat(e[field]).isoformat() == e[field]
    for entry in gaz.entries.values():
        if entry.successor:
            assert entry.successor in gaz.entries


def test_government_composition_before_and_after_2025(gaz):
    central = CentralFile.model_validate(_json("central.json"))

    def count(day: dt.date, rank: str) -> int:
        return sum(1 for e in central.entries if e.rank == rank and
                   gaz.entries[e.id].valid_on(day))

    before, after = dt.date(2025, 2, 28), dt.date(2025, 3, 1)
    assert (count(before, "ministry"), count(before, "ministerial_agency")) == (18, 4)
    assert (count(after, "ministry"), count(after, "ministerial_agency")) == (14, 3)


def test_every_old_province_maps_to_one_new_province(gaz):
    old = _json("provinces.json")["old"]
    assert len(old) == 63
    new_codes = {int(i.split(":")[2]) for i in gaz.entries if i.startswith("province:new:")}
    assert all(p["successor_code"] in new_codes for p in old)
    assert {p["successor_code"] for p in old} == new_codes  # each new unit has a source
    # The 11 units not merged (NQ 202/2025/QH15) map to themselves.
    kept = [p["name"] for p in old if sum(q["successor_code"] == p["successor_code"]
                                          for q in old) == 1]
    assert len(kept) == 11
    assert gaz.entry("province:old:15").successor == "Ủy ban nhân dân tỉnh Lào Cai"


def test_new_provinces_match_the_nso_list():
    from vietnam_provinces import Province

    gaz = get_gazetteer()
    for p in Province.iter_all():
        entry = gaz.entry(f"province:new:{int(p.code)}")
        assert entry is not None and key(p.name).split()[-1] in key(entry.name)


def test_province_data_file_is_the_package_list():
    from vietnam_provinces import Province

    from extractor.gazetteer.index import _nso_provinces

    read = [(p["code"], p["division_type"], p["name"]) for p in _nso_provinces()]
    assert read == [(int(p.code), p.division_type.value, p.name) for p in Province.iter_all()]
    # the gazetteer tells a centrally run city by the "Thành phố" the package keeps on its name
    cities = {int(p.code) for p in Province.iter_all()
              if p.division_type.name == "THANH_PHO_TRUNG_UONG"}
    assert cities == {p["code"] for p in _nso_provinces() if p["name"].startswith("Thành phố ")}


def test_span_patterns_are_valid(gaz):
    patterns = gaz.span_patterns()
    assert patterns and len({p["id"] for p in patterns}) == len(patterns)
    for p in patterns:
        assert p["label"] == "ACTOR" and p["id"].startswith("pattern.")


# ---------------------------------------------------------------------------
# Behaviour beyond the table


def test_flags_for_dates_and_proposed_names(gaz):
    res = gaz.resolve("Bộ Kế hoạch và Đầu tư", dt.date(2026, 1, 5))
    assert res.canonical.successor == "Bộ Tài chính" and ENDED in res.flags
    res = gaz.resolve("Bộ Nông nghiệp và Môi trường", dt.date(2021, 1, 5))
    assert NOT_YET in res.flags
    res = gaz.resolve("Bộ Hạ tầng và Đô thị", dt.date(2025, 1, 5))
    assert PROPOSED_NAME in res.flags and res.canonical.name == "Bộ Xây dựng"
    assert gaz.resolve("Bộ Lao động - Thương binh và Xã hội").canonical.successor == "Bộ Nội vụ"
    assert gaz.resolve("Ủy ban Dân tộc").canonical.successor == "Bộ Dân tộc và Tôn giáo"


def test_short_names_only_inside_a_list(gaz):
    assert gaz.resolve("Tài chính").canonical is None
    assert gaz.resolve("Công an").canonical is None
    assert gaz.resolve("Lào Cai").canonical is None
    forms = {f.lower() for f in gaz.surface_forms()}
    assert "tài chính" not in forms and "lào cai" not in forms and "tc" not in forms


def test_surface_forms_longest_first_and_normalized(gaz):
    forms = gaz.surface_forms()
    assert [len(f) for f in forms] == sorted((len(f) for f in forms), reverse=True)
    assert "Bộ Kế hoạch và Đầu tư" in forms and "Ủy ban nhân dân tỉnh Lào Cai" in forms
    assert not any("Uỷ" in f or "hoà" in f for f in forms)
    assert "VPCP" in forms and "VPCP" not in gaz.surface_forms(acronyms=False)


def test_working_group_needs_the_full_name_in_the_document(gaz):
    full = "Tổ công tác của Thủ tướng Chính phủ đã làm việc với tỉnh. Giao Tổ công tác rà soát."
    assert gaz.working_group_alias(full).id == "wg:to_cong_tac_ttg"
    assert gaz.working_group_alias("Giao Tổ công tác của Sở Y tế rà soát.") is None
    res = gaz.resolve("Tổ công tác", context=full)
    assert res.canonical.id == "wg:to_cong_tac_ttg" and res.rule == "context.working_group"
    assert gaz.resolve("Tổ công tác").canonical is None
    assert gaz.document_aliases(full)["Tổ công tác"].canonical.id == "wg:to_cong_tac_ttg"


def test_bare_province_and_department_resolve_from_the_document(gaz):
    text = ("Chiều ngày 20 tháng 11 năm 2025, Phó Thủ tướng làm việc với lãnh đạo tỉnh "
            "Điện Biên. Tỉnh tổng hợp nhu cầu, báo cáo Bộ Tài chính.")
    on = dt.date(2025, 11, 27)
    assert gaz.resolve("Tỉnh", on, context=text).canonical.id == "province:new:11"
    res = gaz.resolve("Chủ tịch Ủy ban nhân dân tỉnh", on, context=text)
    assert res.canonical.id == "province:new:11" and res.kind == EntityKind.person_role
    res = gaz.resolve("Sở Y tế", on, context=text)
    assert res.canonical.id == "department:Sở Y tế@province:new:11"
    two = text + " Tỉnh Lai Châu phối hợp."
    assert gaz.resolve("Tỉnh", on, context=two).canonical is None
    assert gaz.resolve("Tỉnh", on).kind == EntityKind.province


def test_resolution_is_normalization_insensitive(gaz):
    a = gaz.resolve("Uỷ ban nhân dân tỉnh Khánh Hoà", dt.date(2024, 1, 1))
    b = gaz.resolve("UỶ BAN NHÂN DÂN TỈNH KHÁNH HÒA", dt.date(2024, 1, 1))
    assert a.canonical.id == b.canonical.id == "province:old:56"


def test_span_patterns_match_with_the_project_tokenizer(gaz):
    spacy = pytest.importorskip("spacy")
    from spacy.util import filter_spans

    import extractor.nlp  # noqa: F401  (registers the tokenizer)

    nlp = spacy.blank(
        "vi", config={"nlp": {"tokenizer": {"@tokenizers": "extractor.UndertheseaTokenizer.v1"}}}
    )
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": "actors", "validate": True,
                                                "phrase_matcher_attr": "LOWER"})
    ruler.add_patterns([{"label": "ACTOR", "pattern": f, "id": "gazetteer"}
                        for f in gaz.surface_forms()] + gaz.span_patterns())
    cases = {
        "Giao Ủy ban nhân dân huyện Mường Khương rà soát.": "Ủy ban nhân dân huyện Mường Khương",
        "UBND xã Bản Hồ báo cáo.": "UBND xã Bản Hồ",
        "Sở Y tế tỉnh Lào Cai chủ trì.": "Sở Y tế tỉnh Lào Cai",
        "Đề nghị các Bộ: Công an, Tài chính, Nông nghiệp và Môi trường có ý kiến.":
            "các Bộ: Công an, Tài chính, Nông nghiệp và Môi trường",
        "phối hợp với các Bộ Tài nguyên và Môi trường, Nông nghiệp và Phát triển nông thôn, "
        "Tư pháp để trình": "các Bộ Tài nguyên và Môi trường, Nông nghiệp và Phát triển nông "
                            "thôn, Tư pháp",
        "Ủy ban nhân dân các tỉnh, thành phố: Sơn La, Lai Châu, Hồ Chí Minh triển khai.":
            "Ủy ban nhân dân các tỉnh, thành phố: Sơn La, Lai Châu, Hồ Chí Minh",
        "Ủy ban nhân dân tỉnh Lào Kay chủ trì.": "Ủy ban nhân dân tỉnh Lào Kay",
        "Thứ trưởng Bộ Y tế kiểm tra.": "Thứ trưởng Bộ Y tế",
        "Yêu cầu Bộ KH&ĐT chủ trì.": "Bộ KH&ĐT",
        "các sở, ngành, đoàn thể liên quan triển khai.": "các sở, ngành, đoàn thể liên quan",
    }
    for text, expected in cases.items():
        doc = nlp(text)
        spans = filter_spans(doc.spans["actors"])
        assert expected in [s.text for s in spans], (text, [s.text for s in spans])
        span = next(s for s in spans if s.text == expected)
        assert gaz.resolve(span.text, dt.date(2025, 11, 1)).kind != EntityKind.other or (
            span.id_.startswith("gazetteer"))


def test_resolutions_remembered_across_dates_are_those_computed_afresh(gaz):
    """Resolutions are remembered by the era of the date (between two days where a body
    begins or ends, or the nearer of two ended bodies changes): a name read for one day must
    resolve as it does for another day of the same era, and differ only across eras."""
    bounds = [dt.date.fromordinal(b) for b in gaz.index.era_bounds]
    assert dt.date(2025, 3, 1) in bounds and dt.date(2025, 7, 1) in bounds
    days = sorted({b + dt.timedelta(days=d) for b in bounds for d in (-2, -1, 0, 1)}
                  | {dt.date(y, m, 15) for y in range(2016, 2029, 3) for m in (1, 7)})
    surfaces = sorted({row.values[0] for row in ROWS}) + [
        "các Bộ: Tài chính, Xây dựng, Công Thương",
        "Ủy ban nhân dân các tỉnh Hà Giang, Tuyên Quang",
        "Sở Y tế", "Tỉnh",
    ]  # fmt: skip
    context = "Ủy ban nhân dân tỉnh Hà Giang giao Sở Y tế. Tỉnh báo cáo."
    fresh = {}
    for day in days:
        ctx = gaz.document_context(context, day)
        for surface in surfaces:
            gaz.memo.clear()
            fresh[day, surface] = gaz.resolve(surface, day, context=ctx)
    gaz.memo.clear()
    for surface in surfaces:  # each name through every day: later days reuse earlier ones
        for day in days:
            remembered = gaz.resolve(surface, day, context=gaz.document_context(context, day))
            assert remembered == fresh[day, surface], (surface, day)
    assert len({repr(fresh[day, "Bộ Kế hoạch và Đầu tư"]) for day in days}) > 1
