"""Building blocks of made-up profiles written by the tests: a quoted fact and a budget line."""

from __future__ import annotations


def fact(id_, indicator, value, unit, period, as_written, quote, **extra):
    """A fact quoted from the made-up page `page` (the qualifier 'exact' unless given)."""
    return {"id": id_, "indicator": indicator, "value": value, "unit": unit, "period": period,
            "qualifier": extra.pop("qualifier", "exact"), "as_written": as_written,
            "source": "page", "quote": quote, **extra}


def budget_line(id_, value, as_written, nature, quote, period=2023, spread="annual"):
    """A budget line, its conversion read from the unit it is written with."""
    return fact(id_, "ess_budget_line_eur", value, "eur", period, as_written, quote,
                conversion={"M€": "millions", "K€": "thousands", "k€": "thousands"}.get(
                    as_written.split(" ")[-1], "none"),
                scope={"nature": nature, "period": spread})


# Three budget lines of 2023 with no stated total, as a made-up page writes them: each page
# that uses them says "le fonds à impact a reçu 1,1 M€, les conventions de partenariat 300 K€
# et le fonctionnement 170000€".
LINES_2023 = [
    budget_line("fund_2023", 1_100_000, "1,1 M€", "grants_or_fund",
                "le fonds à impact a reçu 1,1 M€"),
    budget_line("conventions_2023", 300_000, "300 K€", "partnership_agreements",
                "les conventions de partenariat 300 K€"),
    budget_line("operating_2023", 170_000, "170000€", "operating", "le fonctionnement 170000€"),
]


def write_archived_page(root, text: str, territory: str, publisher: str,
                        published: object = "unknown", known: str = "Inconnue."):
    """A project's folders and its one archived page `page` (data/sources/page.txt), listed
    in sources.yaml with its checksum, as a curator archives a document; returns `root`."""
    import hashlib

    import yaml

    sources = root / "data" / "sources"
    sources.mkdir(parents=True)
    (root / "data" / "profiles").mkdir()
    (root / "data" / "references").mkdir()
    (sources / "page.txt").write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    (sources / "sources.yaml").write_text(yaml.safe_dump([{
        "id": "page", "file": "page.txt", "territory": territory, "publisher": publisher,
        "title": "Fiche", "document_kind": "member_fiche", "date_published": published,
        "date_published_known": known, "url": "unknown", "date_accessed": "unknown",
        "licence": "unknown", "sha256": digest, "original_name": "page.txt",
        "description": "Fixture page."}], allow_unicode=True), encoding="utf-8")
    return root
