"""The layers of ``docs/architecture.md``, read from the import-linter contracts.

``pyproject.toml`` declares the layers (``[tool.importlinter]``) and ``make lint`` enforces them;
the diagram in the architecture page is rendered from the same declaration
(``manage.py layers_diagram --write``), and a test fails when the two differ.
"""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PYPROJECT = ROOT / "pyproject.toml"
ARCHITECTURE_DOC = ROOT / "docs" / "architecture.md"
BEGIN = (
    "<!-- layers:begin (generated from pyproject.toml by `manage.py layers_diagram --write`) -->"
)
END = "<!-- layers:end -->"
_GROUP = re.compile(r"^\s*#\s*([a-z ]+?)(?::\s*(.*))?$")
_LAYER = re.compile(r'^\s*"([^"]+)",?\s*$')


@dataclass(frozen=True)
class Layer:
    group: str
    note: str
    modules: tuple[str, ...]  # siblings that must not import each other


def layers(pyproject: Path = PYPROJECT) -> list[Layer]:
    """The layers contract, top first, with the group each layer is declared under (the
    ``# group: note`` comment lines inside the TOML array)."""
    text = pyproject.read_text(encoding="utf-8")
    contract = next(
        c for c in tomllib.loads(text)["tool"]["importlinter"]["contracts"] if c["type"] == "layers"
    )
    block = text[text.index("layers = [", text.index(f'id = "{contract["id"]}"')) :]
    block = block[: block.index("\n]")]
    found, group, note = [], "", ""
    for line in block.splitlines()[1:]:
        if match := _GROUP.match(line):
            group, note = match.group(1), match.group(2) or ""
        elif match := _LAYER.match(line):
            modules = tuple(m.strip() for m in match.group(1).split("|"))
            found.append(Layer(group, note, modules))
    declared = [tuple(m.strip() for m in entry.split("|")) for entry in contract["layers"]]
    if [layer.modules for layer in found] != declared:
        raise ValueError("pyproject.toml: could not read the layers contract line by line")
    return found


def independence(pyproject: Path = PYPROJECT) -> list[tuple[str, tuple[str, ...]]]:
    """(name, modules) of each independence contract."""
    contracts = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["importlinter"]
    return [
        (c["name"], tuple(c["modules"]))
        for c in contracts["contracts"]
        if c["type"] == "independence"
    ]


def diagram(pyproject: Path = PYPROJECT) -> str:
    """The text block between the markers of docs/architecture.md."""
    rows = layers(pyproject)
    width = max(len(layer.group) for layer in rows) + 2
    lines = ["```text", "Top: may import everything below it. Bottom: imports no other app."]
    previous = None
    for layer in rows:
        label = layer.group if layer.group != previous else ""
        if label and previous is not None:
            lines.append(" " * width + "│")
        lines.append(
            f"{label:<{width}}" + "  |  ".join(m.removeprefix("urna.") for m in layer.modules)
        )
        if label and layer.note:
            lines[-1] = f"{lines[-1]:<{width + 24}}({layer.note})"
        previous = layer.group
    lines.append("```")
    lines.append("")
    lines.append("Apps on one line separated by `|` are siblings and must not import each other.")
    for name, modules in independence(pyproject):
        short = ", ".join(m.removeprefix("urna.") for m in modules)
        lines.append(f"Independent of each other ({name}): {short}.")
    return "\n".join(lines)


def doc_block(doc: Path = ARCHITECTURE_DOC) -> str:
    text = doc.read_text(encoding="utf-8")
    return text[text.index(BEGIN) + len(BEGIN) : text.index(END)].strip("\n")


def doc_write(doc: Path = ARCHITECTURE_DOC, pyproject: Path = PYPROJECT) -> bool:
    """Rewrite the diagram in ``doc``; True when it changed."""
    text = doc.read_text(encoding="utf-8")
    start, stop = text.index(BEGIN) + len(BEGIN), text.index(END)
    new = text[:start] + "\n" + diagram(pyproject) + "\n" + text[stop:]
    if new == text:
        return False
    doc.write_text(new, encoding="utf-8")
    return True
