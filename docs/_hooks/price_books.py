"""MkDocs hook: the "Price books in this release" page, generated from the bundled books.

Every build reads the books through the library (``exitcost.load_price_book``), so the
coverage and provenance tables can never drift from the data that prices the results.
"""

from __future__ import annotations

from typing import Any

PAGE = "price-books.md"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def coverage_table() -> str:
    """One row per bundled book: what it prices."""
    from exitcost.pricing import load_price_book, providers

    lines = [
        "| provider | kind | effective date | regions | internet egress rules | "
        "storage classes | compute families | exit programme | interconnect |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for provider in providers():
        book = load_price_book(provider)
        model = book.model
        lines.append(
            f"| {provider} | {model.kind} | {book.effective_date.isoformat()} | "
            f"{len(model.regions)} | {len(model.internet_egress)} | {len(model.storage)} | "
            f"{len(model.compute)} | {'yes' if model.exit_programme else 'no'} | "
            f"{'yes' if model.interconnect else 'no'} |"
        )
    return "\n".join(lines)


def provenance_table() -> str:
    """One row per source of every bundled book, with its date and confidence label."""
    from exitcost.pricing import providers
    from exitcost.report.build import book_sources

    frame = book_sources(providers())
    lines = [
        "| provider | book | label | source as of | source |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in frame.itertuples(index=False):
        lines.append(
            f"| {row.provider} | {row.effective_date} | {row.label} | {row.source_as_of} | "
            f"{_cell(row.source)} |"
        )
    return "\n".join(lines)


def page_markdown() -> str:
    """The whole generated page."""
    return (
        "# Price books in this release\n\n"
        "Generated from the bundled books when the site is built: what each book covers, "
        "and every source behind its figures with the source's date and confidence label "
        "(V primary source read, S+ a fixture quoting a provider's price API, S secondary, "
        "M unverified, R reasoning). The books in effect today are shown; older books stay "
        "bundled for dated analyses.\n\n"
        "## Coverage\n\n" + coverage_table() + "\n\n"
        "## Sources\n\n" + provenance_table() + "\n"
    )


def on_files(files: Any, config: Any) -> Any:
    """Add the generated page to the site's files."""
    from mkdocs.structure.files import File

    files.append(File.generated(config, PAGE, content=page_markdown()))
    return files
