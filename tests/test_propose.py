"""The curator's assistant on made-up French texts: what it reads, the traps it marks, the
review file, and what --apply lets into a profile (only what the curator accepted)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import read_yaml, write_yaml
from essbench.cli import main
from essbench.curation import vocabulary
from essbench.curation.apply import apply_review, insert_items
from essbench.curation.candidates import draft
from essbench.curation.document import html_text, read_document
from essbench.curation.review import propose, write_review
from essbench.evidence import registry
from essbench.evidence.problems import InvalidInput


def facts(text: str) -> list[dict]:
    return [c for c in draft(text)[0] if c["kind"] == "fact"]


def traps(candidate: dict) -> set[str]:
    return {t["code"] for t in candidate["traps"]}


def one(text: str, as_written: str) -> dict:
    found = [c for c in facts(text) if c["number"]["as_written"] == as_written]
    assert len(found) == 1, [c["number"]["as_written"] for c in facts(text)]
    return found[0]


# --- the traps, each on sentences of our own ---------------------------------------------------

def test_a_share_of_private_jobs_is_read_as_such_and_marked():
    text = ("Dans la communauté de communes du Val Fictif, l’ESS pèse 12,4 % des emplois privés "
            "et 7 % des emplois.")
    private = one(text, "12,4 %")
    assert private["proposal"]["indicator"] == "ess_private_employment_share"
    assert private["proposal"]["base"] == "private_salaried_jobs"
    assert "private_base" in traps(private)
    everything = one(text, "7 %")
    assert everything["proposal"]["base"] == "all_jobs"
    assert "private_base" not in traps(everything)


def test_salaried_base_wins_over_the_wider_word_and_private_over_salaried():
    assert one("Elle emploie 9,2 % de l’emploi salarié local.", "9,2 %")["proposal"]["base"] \
        == "salaried_jobs"
    assert one("Soit 14 % de l’ensemble des salariés du secteur privé.", "14 %")["proposal"][
        "base"] == "private_salaried_jobs"


def test_a_share_with_no_base_words_is_marked_on_its_base():
    candidate = one("Le chiffre atteint 23 % selon l’étude.", "23 %")
    assert "base_not_stated" in traps(candidate)
    assert candidate["confidence"] == "low"


def test_an_amount_over_several_years_is_multi_year_with_its_span():
    text = "La Métropole de Fictiville consacre 1,2 M€ à l’ESS sur 2024 et 2025."
    candidate = one(text, "1,2 M")
    assert candidate["proposal"]["value"] == 1_200_000
    assert candidate["proposal"]["scope"]["period"] == "multi_year"
    assert candidate["proposal"]["period"] == "2024-2025"
    assert "multi_year_amount" in traps(candidate)


def test_an_amount_over_years_not_named_asks_for_them():
    candidate = one("Le plan mobilise 600 000 € pour l’ESS sur trois ans.", "600 000")
    assert candidate["proposal"]["scope"]["period"] == "multi_year"
    assert {"multi_year_amount", "multi_year_without_years"} <= traps(candidate)


def test_an_annual_budget_with_its_year_and_exclusions():
    text = ("Budget total : 410 000 € par an (hors frais de personnel et hors subventions aux "
            "associations) en 2022")
    candidate = one(text, "410 000")
    proposal = candidate["proposal"]
    assert proposal["indicator"] == "ess_budget_eur"
    assert proposal["period"] == 2022 and proposal["scope"]["period"] == "annual"
    assert proposal["scope"]["excludes"] == ["frais de personnel", "subventions aux associations"]


def test_budget_lines_without_a_total_are_lines_and_marked():
    text = ("Les crédits ESS de la collectivité :\n"
            "- fonds d’amorçage : 120 000 €\n"
            "- conventions avec les réseaux : 80 000 €\n"
            "- animation du mois de l’ESS : 15 000 €\n")
    lines = facts(text)
    assert [c["proposal"]["value"] for c in lines] == [120000, 80000, 15000]
    assert all(c["proposal"]["indicator"] == "ess_budget_line_eur" for c in lines)
    assert all("lines_without_total" in traps(c) for c in lines)


def test_lines_with_a_total_keep_the_total_as_the_budget():
    text = "Au total, 300 000 € de crédits ESS, dont 200 000 € de subventions et 100 000 € d’études."
    found = facts(text)
    assert found[0]["proposal"]["indicator"] == "ess_budget_eur"
    assert not any("lines_without_total" in traps(c) for c in found)


def test_a_fund_under_a_budget_heading_is_a_line_not_the_budget():
    text = ("Budget annuel consacré à l’ESS\n"
            "Le fonds de soutien aux coopératives dispose de 250 000 € sur 2024 et 2025.")
    candidate = one(text, "250 000")
    assert candidate["proposal"]["indicator"] == "ess_budget_line_eur"
    assert candidate["proposal"]["scope"]["period"] == "multi_year"  # the sentence beats the heading


def test_a_total_and_its_lines_after_dont():
    text = ("En 2023, la Métropole a mobilisé 2,4 M€ en faveur de l’ESS, dont 1,1 M€ en "
            "fonctionnement et 1,3 M€ en investissement.")
    total, operating, investment = facts(text)
    assert total["proposal"]["indicator"] == "ess_budget_eur"
    assert [c["proposal"]["indicator"] for c in (operating, investment)] == [
        "ess_budget_line_eur"] * 2
    assert operating["proposal"]["scope"]["nature"] == "operating"
    assert investment["proposal"]["scope"]["nature"] == "investment"
    assert all(c["proposal"]["period"] == 2023 for c in (total, operating, investment))
    assert not any("lines_without_total" in traps(c) for c in (total, operating, investment))


def test_a_growth_rate_with_its_years_and_one_without():
    dated = one("Les emplois de l’ESS ont progressé de 6 % entre 2015 et 2021.", "6 %")
    assert dated["proposal"]["indicator"] == "ess_employment_growth"
    assert dated["proposal"]["period"] == "2015-2021"
    assert "rate_period_unknown" not in traps(dated)
    undated = one("L’emploi dans l’ESS est en hausse (+ 3,1 %).", "+ 3,1 %")
    assert "rate_period_unknown" in traps(undated)


def test_a_round_figure_is_marked_and_a_precise_one_is_not():
    assert "round_figure" in traps(one("Le territoire compte 30000 emplois dans l’ESS.", "30000"))
    assert "round_figure" in traps(one("Un emploi ? Oui : 1 emploi sur 10 relève de l’ESS.",
                                       "1 emploi sur 10"))
    assert "round_figure" not in traps(one("Le territoire compte 31 742 salariés de l’ESS.",
                                           "31 742"))
    # "environ" already says it: no trap on top
    assert "round_figure" not in traps(one("Environ 30000 emplois relèvent de l’ESS.",
                                           "Environ 30000"))


def test_a_wage_bill_and_solidarity_spending_are_never_a_budget():
    wages = one("Les employeurs de l’ESS versent 41 millions d’euros de salaires bruts.",
                "41 millions")
    assert wages["proposal"]["indicator"] == "ess_gross_wages_eur"
    assert "wage_bill" in traps(wages)
    text = ("Le Département a engagé 2,1 millions d’€ financés en direct en faveur de l’ESS, et "
            "140 millions d’€ au titre des solidarités.")
    assert one(text, "2,1 millions")["proposal"]["indicator"] == "ess_budget_eur"
    social = one(text, "140 millions")
    assert social["proposal"]["indicator"] == "solidarity_spending_eur"
    assert "solidarity_spending" in traps(social)


def test_figures_of_france_or_the_region_are_set_aside_as_yardsticks():
    candidates, aside = draft("L’ESS pèse 15 % des emplois dans le Val Fictif, contre 10,5 % au "
                              "niveau national.\nSoit 12,7 % de l’emploi salarié (10,6 % en "
                              "région).")
    assert [c["number"]["as_written"] for c in candidates if c["kind"] == "fact"] == [
        "15 %", "12,7 %"]
    assert {a["as_written"] for a in aside if "another area" in a["why"]} == {"10,5 %", "10,6 %"}


def test_a_start_is_not_the_period_of_the_figure():
    text = "Lancé en 2017, un appel à projets annuel a soutenu 23 associations pour 40 000 € par an."
    found = {c["proposal"]["indicator"]: c for c in facts(text)}
    assert found["call_for_projects_start_year"]["proposal"]["value"] == 2017
    assert found["call_for_projects_winners_total"]["proposal"]["value"] == 23
    assert found["call_for_projects_eur"]["related"] == {"levers": ["call_for_projects"]}
    money = found["call_for_projects_eur"]["proposal"]
    assert money["scope"]["period"] == "annual"
    assert "note" in money["period"] and "2017" in money["period"]["note"]


def test_a_plan_with_its_years_and_a_lever_the_source_excludes():
    text = ("Le schéma local de l’ESS couvre la période 2021-2026.\n"
            "Les projets sont accompagnés sans appel à projets.")
    candidates = draft(text)[0]
    plan = next(c for c in candidates if c["kind"] == "plan")
    assert (plan["proposal"]["start"], plan["proposal"]["end"]) == (2021, 2026)
    excluded = [c for c in candidates if c["kind"] == "lever_excluded"]
    assert [c["proposal"]["lever"] for c in excluded] == ["call_for_projects"]
    assert not any(c["kind"] == "lever" and c["proposal"]["lever"] == "call_for_projects"
                   for c in candidates)


def test_dates_and_numbered_parts_are_not_figures():
    candidates, aside = draft("Réunion du 12 mars 2021.\nAxe 3 : soutenir les coopératives.\n"
                              "4 grandes orientations guident le plan.")
    assert not [c for c in candidates if c["kind"] == "fact"]
    assert {a["as_written"] for a in aside} == {"12", "2021", "3", "4"}


def test_every_quote_and_number_sits_at_its_position():
    text = ("Titre\n\n- L’ESS représente 4 215 emplois, soit 8,1 % de l’emploi salarié. "
            "Le budget annuel consacré à l’ESS est de 95 000 €.")
    for candidate in draft(text)[0]:
        start, end = candidate["at"]
        assert text[start:end] == candidate["quote"]
        start, end = candidate["number"]["at"]
        assert text[start:end] == candidate["number"]["as_written"]


def test_vocabulary_keys_are_registry_ids():
    for indicator, base, _ in vocabulary.SHARE_BASES:
        assert indicator in registry.INDICATORS and base in registry.INDICATORS[indicator].bases
    assert {i for i, _ in vocabulary.COUNT_NOUNS} <= set(registry.INDICATORS)
    assert set(vocabulary.LEVERS) <= set(registry.LEVERS)
    assert set(vocabulary.THEMES) <= set(registry.THEMES)
    assert {n for n, _ in vocabulary.NATURES} <= set(registry.BUDGET_NATURES)
    assert {k for k, _ in vocabulary.PLAN_WORDS} <= set(registry.POLICY_STEPS)


# --- documents ---------------------------------------------------------------------------------

def test_html_is_read_as_its_visible_text(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><style>p{}</style></head><body><h2>Budget annuel</h2>"
                    "<p>87&nbsp;500&nbsp;€ consacrés à l’ESS</p><script>var x=2;</script>"
                    "</body></html>", encoding="utf-8")
    document = read_document(page)
    assert document.format == "html"
    assert document.text == "Budget annuel\n87\u00a0500\u00a0€ consacrés à l’ESS"
    assert html_text("<p>a</p><p>b</p>") == "a\nb"


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text stream shows `lines` (Latin-1 octal escapes for accents)."""
    content = "BT /F1 12 Tf 40 760 Td " + " ".join(f"({line}) Tj 0 -16 Td" for line in lines) \
        + " ET"
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << "
               "/F1 4 0 R >> >> /Contents 5 0 R >>",
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
               f"<< /Length {len(content)} >>\nstream\n{content}\nendstream"]
    out, offsets = "%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n"
    xref = len(out)
    out += (f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n"
            + "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
            + f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n")
    return out.encode("latin-1")


def test_a_pdf_is_read_through_pypdf_and_drafted(tmp_path):
    pytest.importorskip("pypdf")
    path = tmp_path / "fiche.pdf"
    path.write_bytes(_pdf(["Budget annuel consacr\\351 \\340 l'ESS",
                           "45 000 euros (hors frais de personnel)."]))
    document = read_document(path)
    assert document.format == "pdf"
    assert document.text == "Budget annuel consacré à l'ESS\n45 000 euros (hors frais de personnel)."
    budget = one(document.text, "45 000")["proposal"]
    assert budget["indicator"] == "ess_budget_eur" and budget["scope"]["period"] == "annual"


def test_a_pdf_without_text_is_a_problem(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    path = tmp_path / "vide.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(InvalidInput, match="no text"):
        read_document(path)


def test_unreadable_documents_are_problems_not_tracebacks(tmp_path):
    with pytest.raises(InvalidInput, match="no such file"):
        read_document(tmp_path / "absent.txt")
    broken = tmp_path / "faux.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(InvalidInput):
        read_document(broken)


# --- the review file and --apply, in a made-up territory ---------------------------------------

DOCUMENT = ("Budget annuel consacré à l’ESS\n"
            "74 300 € (hors frais de personnel)\n"
            "Sur le territoire du Val Fictif, l’ESS représente 9,4 % des emplois, soit 13 % des "
            "emplois privés.\n"
            "Le contrat local de l’ESS couvre la période 2022-2025.\n"
            "La collectivité anime un réseau des acteurs de l’ESS.\n")


@pytest.fixture
def fictif(data_copy: Path) -> Path:
    """A project copy with a made-up territory and its document archived in data/sources."""
    profile = read_yaml(data_copy / "profiles" / "grasse.yaml")
    made_up = {key: profile[key] for key in ("names", "kind", "codes", "perimeter")}
    made_up = {"id": "val_fictif", **made_up, "facts": [],
               "programme": {"name": "unknown"}}
    made_up["names"] = {"official": "Communauté de communes du Val Fictif", "short": "Val Fictif"}
    write_yaml(data_copy / "profiles" / "val_fictif.yaml", made_up)
    document = data_copy / "sources" / "val_fictif_fiche.txt"
    document.write_text(DOCUMENT, encoding="utf-8")
    sources = read_yaml(data_copy / "sources" / "sources.yaml")
    sources.append({**sources[0], "id": "val_fictif_fiche", "file": document.name,
                    "territory": "val_fictif", "original_name": document.name,
                    "sha256": hashlib.sha256(document.read_bytes()).hexdigest()})
    write_yaml(data_copy / "sources" / "sources.yaml", sources)
    # Its perimeter (Grasse's communes) in the reference geography, as `make reference` would
    # record it: validate names a territory the reference does not hold.
    from essbench.geography.reference import territory_record

    manifest_path = data_copy / "reference" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["territories"]["val_fictif"] = territory_record({"perimeter": made_up["perimeter"]})
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    return data_copy


def _review(data: Path, tmp_path: Path) -> tuple[Path, dict]:
    review = propose(data / "sources" / "val_fictif_fiche.txt", "val_fictif", data)
    path = write_review(review, tmp_path / "review.yaml")
    return path, review


def _decide(path: Path, decisions: dict[str, str]) -> None:
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    for candidate in content["candidates"]:
        key = candidate["number"]["as_written"] if candidate["kind"] != "lever" \
            else candidate["proposal"]["lever"]
        if key in decisions:
            candidate["decision"] = decisions[key]
    write_yaml(path, content)


def test_nothing_enters_a_profile_without_the_curators_accept(fictif, tmp_path):
    path, review = _review(fictif, tmp_path)
    assert review["evidence"] == "quoted" and review["source"] == "val_fictif_fiche"
    assert {c["decision"] for c in review["candidates"]} == {"pending"}
    before = (fictif / "profiles" / "val_fictif.yaml").read_text(encoding="utf-8")
    applied = apply_review(path, fictif)
    assert applied.added == {} and applied.pending == len(review["candidates"])
    assert (fictif / "profiles" / "val_fictif.yaml").read_text(encoding="utf-8") == before


def test_accepted_candidates_become_quoted_facts_that_validate(fictif, tmp_path, capsys):
    path, _ = _review(fictif, tmp_path)
    _decide(path, {"74 300": "accept", "9,4 %": "accept", "13 %": "reject",
                   "2022-2025": "accept", "network_animation": "accept"})
    applied = apply_review(path, fictif)
    assert applied.rejected == 1 and applied.programme_period
    profile = read_yaml(fictif / "profiles" / "val_fictif.yaml")
    assert [f["value"] for f in profile["facts"]] == [74300, 0.094]
    budget = profile["facts"][0]
    assert budget["scope"] == {"nature": "unknown", "period": "annual",
                               "excludes": ["frais de personnel"]}
    assert budget["source"] == "val_fictif_fiche" and budget["quote"] in DOCUMENT
    assert profile["programme"]["period"]["start"] == 2022
    assert [m["lever"] for m in profile["levers"]] == ["network_animation"]
    assert main(["--root", str(fictif.parent), "validate"]) == 0, capsys.readouterr().err
    # The same review applied again adds nothing: every entry is refused, nothing written.
    before = (fictif / "profiles" / "val_fictif.yaml").read_text(encoding="utf-8")
    with pytest.raises(InvalidInput) as error:
        apply_review(path, fictif)
    accepted = {f"candidates[{i}]" for i, c in enumerate(
        yaml.safe_load(path.read_text(encoding="utf-8"))["candidates"])
        if c["decision"] == "accept"}
    assert {p.field.split(".")[0] for p in error.value.problems} == accepted
    assert (fictif / "profiles" / "val_fictif.yaml").read_text(encoding="utf-8") == before


def test_an_edit_is_checked_like_a_profile_and_refused_with_problem_lines(fictif, tmp_path):
    path, _ = _review(fictif, tmp_path)
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    share = next(c for c in content["candidates"] if c["number"]["as_written"] == "9,4 %")
    share["decision"] = "edit"
    share["proposal"]["value"] = 0.94  # a typo: 94 %
    share["quote"] = "l’ESS représente 9,4 % des emplois, en gros"  # not in the document
    write_yaml(path, content)
    before = (fictif / "profiles" / "val_fictif.yaml").read_text(encoding="utf-8")
    with pytest.raises(InvalidInput) as error:
        apply_review(path, fictif)
    fields = {p.field for p in error.value.problems}
    index = content["candidates"].index(share)
    assert f"candidates[{index}].quote" in fields
    assert f"candidates[{index}].proposal.value" in fields
    assert (fictif / "profiles" / "val_fictif.yaml").read_text(encoding="utf-8") == before


def test_a_cited_document_needs_a_cited_source_and_the_curators_words(fictif, tmp_path):
    elsewhere = tmp_path / "article.txt"
    elsewhere.write_text("Le Val Fictif compte 2 agents dédiés à l’ESS.", encoding="utf-8")
    review = propose(elsewhere, "val_fictif", fictif)
    assert review["evidence"] == "cited" and review["source"] is None
    path = write_review(review, tmp_path / "cited.yaml")
    _decide(path, {"2": "accept"})
    with pytest.raises(InvalidInput) as error:
        apply_review(path, fictif)
    assert [p.field for p in error.value.problems] == ["source"]
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    cited = read_yaml(fictif / "sources" / "cited.yaml")
    content["source"] = cited[0]["id"]
    write_yaml(path, content)
    with pytest.raises(InvalidInput) as error:
        apply_review(path, fictif)
    assert [p.field for p in error.value.problems] == ["candidates[0].description"]
    content["candidates"][0]["description"] = "Deux agents travaillent sur l'ESS."
    write_yaml(path, content)
    cited[0]["territory"] = "val_fictif"
    write_yaml(fictif / "sources" / "cited.yaml", cited)
    apply_review(path, fictif)
    fact = read_yaml(fictif / "profiles" / "val_fictif.yaml")["facts"][0]
    assert "quote" not in fact and fact["description"] == "Deux agents travaillent sur l'ESS."


@pytest.mark.parametrize("change, field", [
    (lambda r: r["candidates"][0].update(decision="oui"), "candidates[0].decision"),
    (lambda r: r["candidates"][0].update(decison="accept"), "candidates[0].decison"),
    (lambda r: r.update(territory="Val Fictif"), "territory"),
    (lambda r: r["candidates"][0]["proposal"].update(unité="eur", **{"decision": None})
     or r["candidates"][0].update(decision="accept"), "candidates[0].proposal.unité"),
])
def test_a_bad_review_file_gives_problem_lines(fictif, tmp_path, capsys, change, field):
    path, _ = _review(fictif, tmp_path)
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(content)
    write_yaml(path, content)
    code = main(["--root", str(fictif.parent), "propose", "--apply", str(path)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert re.search(rf"review\.yaml: {re.escape(field)}: found ", err), err


def test_command_line_writes_the_review_and_refuses_bad_arguments(fictif, tmp_path, capsys):
    out = tmp_path / "out" / "review.yaml"
    root = str(fictif.parent)
    assert main(["--root", root, "propose", str(fictif / "sources" / "val_fictif_fiche.txt"),
                 "--territory", "val_fictif", "--out", str(out)]) == 0
    assert "private_base" in capsys.readouterr().out
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["candidates"]
    assert main(["--root", root, "propose", "--territory", "val_fictif"]) == 2
    assert main(["--root", root, "propose", str(out), "--territory", "nulle_part"]) == 1
    # The known ids are listed (twenty at most, then how many more).
    assert "nulle_part" in capsys.readouterr().err


def test_insertion_keeps_comments_and_the_next_key():
    text = "facts:\n  - id: a\n    value: 1\n# about levers\nlevers:\n  - lever: x\n"
    result = insert_items(text, "facts", [{"id": "b"}])
    assert result == ("facts:\n  - id: a\n    value: 1\n  - id: b\n# about levers\nlevers:\n"
                      "  - lever: x\n")
    assert insert_items("id: t\n", "themes", [{"theme": "t"}]).endswith("themes:\n  - theme: t\n")


# --- the notebook view -------------------------------------------------------------------------

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "curate.ipynb"


def test_view_escapes_the_document_and_marks_every_number():
    from essbench.curation.view import side_by_side

    text = "<b>Budget</b> : 95 000 € par an consacrés à l’ESS.\nUn réseau des acteurs de l’ESS."
    review = {"candidates": draft(text)[0]}
    html = side_by_side(text, review)
    assert "<b>Budget</b>" not in html and "&lt;b&gt;Budget&lt;/b&gt;" in html
    assert html.count("<mark ") == len(review["candidates"]) >= 2
    assert "<script" not in html and "http" not in html


def test_curate_notebook_is_committed_without_outputs_and_runs_its_cells(tmp_path, monkeypatch):
    import json

    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)
    assert "parameters" in code[0]["metadata"]["tags"]
    # The cells, run as a kernel would (the parameters overridden) on a made-up document.
    document = tmp_path / "data" / "doc.txt"
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    root = Path(__file__).resolve().parent.parent
    document.parent.mkdir()
    document.write_text("Le budget annuel consacré à l’ESS est de 88 000 €.", encoding="utf-8")
    namespace = {}
    exec("".join(code[0]["source"]), namespace)  # noqa: S102 - our own notebook's code
    namespace.update(document=str(document), territory="grasse")
    monkeypatch.chdir(root / "notebooks")
    for cell in code[1:]:
        exec("".join(cell["source"]), namespace)  # noqa: S102
    assert namespace["drafted"]["candidates"][0]["proposal"]["value"] == 88000
    assert shown and "88 000" in shown[0].data


def test_an_html_page_is_proposed_then_its_text_saved_for_the_archive(fictif, tmp_path, capsys):
    page = tmp_path / "page.html"
    page.write_text("<html><body><h2>Budget annuel consacré à l’ESS</h2><p>61 500 € (hors "
                    "frais de personnel)</p></body></html>", encoding="utf-8")
    saved, out = tmp_path / "page.txt", tmp_path / "page-review.yaml"
    assert main(["--root", str(fictif.parent), "propose", str(page), "--territory",
                 "val_fictif", "--out", str(out), "--save-text", str(saved)]) == 0
    review = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert review["format"] == "html" and review["evidence"] == "cited"
    text = saved.read_text(encoding="utf-8")
    budget = review["candidates"][0]
    assert budget["proposal"]["value"] == 61500
    assert text[budget["at"][0]:budget["at"][1]] == budget["quote"]


def test_apply_to_a_profile_resting_on_several_archived_documents(data_copy, tmp_path):
    """Grasse quotes two archived documents: applying a review of one checks the other's quotes
    too, and a lever already mapped from the same words is refused, not written twice."""
    review = propose(data_copy / "sources" / "grasse_2014_ess_en_pays_de_grasse.txt", "grasse",
                     data_copy)
    assert review["source"] == "grasse_cldess_page"
    path = write_review(review, tmp_path / "grasse.yaml")
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    network = next(c for c in content["candidates"] if c["kind"] == "fact"
                   and c["proposal"]["indicator"] == "ess_network_members")
    assert network["profile"] == {"same_as": ["network_members"]}
    network["decision"] = "accept"
    write_yaml(path, content)
    applied = apply_review(path, data_copy)
    assert applied.added == {"facts": [network["proposal"]["id"]]}


@pytest.mark.integration
def test_curate_notebook_runs_in_a_kernel_on_a_made_up_document(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    from conftest import copy_project

    root = copy_project(tmp_path / "project")
    document = root / "data" / "doc.txt"
    document.write_text("Budget annuel consacré à l’ESS\n73 000 € (hors frais de personnel)\n"
                        "Le territoire compte 3 450 salariés de l’ESS, soit 9 % des emplois "
                        "privés.", encoding="utf-8")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    notebook.cells.insert(2, nbformat.v4.new_code_cell(
        f"document = {str(document)!r}\nterritory = 'grasse'"))
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(root / "notebooks")}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = next(o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {}))
    assert html.count("<mark ") == 3 and "private_base" in html and "<script" not in html
