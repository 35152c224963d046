"""Rebuild the name and place lists that ``urna.core.privacy`` reads (see README.md here).

Not run by the platform: the sources are large (``names-dataset`` loads about 3 GB) and only
needed when the lists are refreshed. Install them by hand, then run from the repository root::

    .venv/bin/pip install names-dataset==3.3.1      # not a dependency of Urna
    apt-get install wspanish                        # /usr/share/dict/spanish
    .venv/bin/python urna/core/data/build_names.py

It writes, next to this file:

- ``given_names_co.txt`` and ``surnames_co.txt``: the single-word given names and surnames most
  used in Colombia (by names-dataset's rank for country ``CO``), one per line, most frequent first;
- ``name_words_common.txt``: the names of both lists that are also an ordinary Spanish word (in
  the ``wspanish`` word list: "Paz", "Luz", "Rosa", "Mesa", "Vega"), a Colombian place
  (DIVIPOLA: "Valencia", "Restrepo", "Sucre") or in the hand-written list below; the detector
  only counts them as part of a name next to an unambiguous one ("Luz Marina Zuluaga"), never on
  their own;
- ``places_co.txt``: departments and municipalities (DIVIPOLA) and Bogotá's localities, whose
  names often look like a person's ("Santa Rosa de Cabal", "Juan de Acosta", "Antonio Nariño").
"""

from __future__ import annotations

import argparse
import csv
import gzip
import os
import pickle
import re
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
DIVIPOLA = ROOT / "urna" / "territory" / "data" / "divipola.csv"
DICTIONARY = Path("/usr/share/dict/spanish")
GIVEN_COUNT = 4000
SURNAME_COUNT = 5000
# The most used names stay unambiguous even when the word list has them ("juan", "jesús",
# "castro"), unless the hand-written list below says otherwise.
ALWAYS_NAMES = 300


def _words(text: str) -> set[str]:
    return set(text.split())


# Words that are never part of a name: particles, titles, saints' prefixes (places and
# institutions: "San José", "Santa Marta"), and frequent capitalised words of civic texts that
# the Facebook-derived source lists as names.
NEVER_NAMES = _words(
    "de del la las los el y e da di do dos van von mc san santa santo santisima virgen nuestra "
    "senora senor don dona doctor doctora dr dra sr sra ing lic prof mi su tu yo me se te no si "
    "ya ni que con por para sin muy mas hola gracias buenos buenas dias tardes noches "
    "bendiciones amen bebe baby mama papa mami papi nena nene gordo gorda flaco flaca mija mijo "
    "love ministerio gobierno estado nacion lider lideresa presidenta ingeniero ingeniera "
    "profesor profesora licenciado licenciada comunidad vereda barrio junta veeduria asociacion "
    "fundacion colectivo comite secretaria presidente alcalde alcaldia gobernador gobernacion "
    "ley decreto articulo colombia colombiano colombiana bogota pesos peso villa puerto ciudad "
    "nueva nuevo bahia loma cerro alto bajo"
)
# Names that are also ordinary words a capital letter does not make a name (start of a
# sentence, a title: "Paz Total", "Mesa de trabajo"), in addition to the word list's.
COMMON_EXTRA = _words(
    "paz cruz mesa luna rosa luz flor sol mar cielo gloria fe esperanza consuelo amparo socorro "
    "caridad pilar rocio dolores mercedes victoria alegria soledad concepcion asuncion trinidad "
    "milagros remedios aurora estrella primavera libertad justicia domingo abril mayo junio "
    "julio agosto enero marzo campo campos prado rivera ribera montes valle vega rios rio "
    "torres torre ramos reyes rojas rojo blanco blanca castillo leon leal bravo rico franco "
    "bueno salud hoyos pinto cano calle carrera plaza puerto puerta rincon mora moreno parra "
    "pena palacio palacios iglesias villa villas granja lago lagos fuentes fuente nieves olivo "
    "olivos pardo toro lobo cordero conde duque marques principe obispo abad cabrera serrano "
    "romero manzano naranjo pino pinos robles roble cedro laurel olmo trigo arroyo bosque "
    "sierra cuesta llano llanos guerra ley cortes marin marina mariano nuevo nueva norte sur "
    "oriente occidente centro cabal grande chico chica medio media sano salvador clemente "
    "inocencio modesto prudencio severo celeste claro clara bella linda hermosa dulce feliz "
    "more smith will king santos dios cristo angel angeles amor reina rey princesa negro negra "
    "mono mona chino china nino nina"
)
# Bogotá's localities, some named after people (DIVIPOLA lists only the district), and usual
# spellings of municipalities that DIVIPOLA writes otherwise.
EXTRA_PLACES = [
    "Don Matías",
    "San Andrés",
    "Santa Fe de Antioquia",
    "Cartagena de Indias",
    "El Carmen de Bolívar",
    "San José de Cúcuta",
    "Santa Fe de Bogotá",
    "Bogotá D.C.",
    "Usaquén",
    "Chapinero",
    "Santa Fe",
    "San Cristóbal",
    "Usme",
    "Tunjuelito",
    "Bosa",
    "Kennedy",
    "Fontibón",
    "Engativá",
    "Suba",
    "Barrios Unidos",
    "Teusaquillo",
    "Los Mártires",
    "Antonio Nariño",
    "Puente Aranda",
    "La Candelaria",
    "Rafael Uribe Uribe",
    "Ciudad Bolívar",
    "Sumapaz",
]
_WORD = re.compile(r"^[A-Za-zÁÉÍÓÚÜÑáéíóúüñ]+$")


def fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _load(kind: str) -> dict:
    import names_dataset

    path = Path(os.path.dirname(names_dataset.__file__)) / "v3" / f"{kind}.pkl.gz"
    with gzip.open(path, "rb") as f:
        return pickle.load(f)  # noqa: S301 - the package's own data file


def top_tokens(kind: str, count: int, never: set[str]) -> list[str]:
    """The ``count`` most frequent single words of Colombian names of this kind.

    Multi-word entries ("Juan Carlos", "De La Ossa") give their words; a word keeps its best
    rank and the spelling that has it (the detector compares words without accents)."""
    table = _load(kind)
    ranked = sorted(
        (info["rank"]["CO"], name) for name, info in table.items() if info["rank"].get("CO")
    )
    del table
    best: dict[str, tuple[int, str]] = {}
    for rank, name in ranked:
        for word in name.split():
            if not _WORD.match(word) or len(word) < 3:
                continue
            key = fold(word)
            if key in never or word.isupper() and len(word) > 1 and word != word.title():
                continue
            word = word[0].upper() + word[1:].lower()
            best.setdefault(key, (rank, word))
    chosen = sorted(best.values())[:count]
    return [word for _, word in chosen]


def _is_word(word: str, words: set[str]) -> bool:
    """In the word list, or a plural of a word in it (the list has singulars only)."""
    if word in words:
        return True
    if word.endswith("es") and word[:-2] in words:
        return True
    return word.endswith("s") and (word[:-1] in words or word[:-2] + "o" in words)


def places() -> list[str]:
    names: dict[str, str] = {}
    with DIVIPOLA.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for raw in (row["department_name"], row["municipality_name"]):
                # "SAN JOSÉ DE CÚCUTA", "BOGOTÁ, D.C." → "San José de Cúcuta", "Bogotá"
                raw = raw.split(",")[0].split("(")[0].strip()
                title = " ".join(
                    w.lower()
                    if w.lower() in {"de", "del", "la", "las", "los", "el", "y"}
                    else w.capitalize()
                    for w in raw.split()
                )
                title = title[0].upper() + title[1:]
                names.setdefault(fold(title), title)
    for locality in EXTRA_PLACES:
        names.setdefault(fold(locality), locality)
    return sorted(names.values(), key=fold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dictionary", type=Path, default=DICTIONARY)
    args = parser.parse_args()
    words = {
        fold(w.strip())
        for w in args.dictionary.read_text(encoding="utf-8").splitlines()
        if w.strip() and w.strip()[0].islower()
    }
    place_list = places()
    # Only one-word places: "Juan" of "Juan de Acosta" is still a name.
    place_words = {fold(p) for p in place_list if " " not in p}
    given = top_tokens("first_names", GIVEN_COUNT, NEVER_NAMES)
    surnames = top_tokens("last_names", SURNAME_COUNT, NEVER_NAMES)
    frequent = {fold(n) for n in given[:ALWAYS_NAMES] + surnames[:ALWAYS_NAMES]}
    common = sorted(
        {
            name
            for name in given + surnames
            if fold(name) in COMMON_EXTRA
            or fold(name) not in frequent
            and (fold(name) in place_words or _is_word(fold(name), words))
        },
        key=fold,
    )
    header = "# Built by urna/core/data/build_names.py; see README.md. One entry a line.\n"
    (HERE / "given_names_co.txt").write_text(header + "\n".join(given) + "\n", encoding="utf-8")
    (HERE / "surnames_co.txt").write_text(header + "\n".join(surnames) + "\n", encoding="utf-8")
    (HERE / "name_words_common.txt").write_text(header + "\n".join(common) + "\n", encoding="utf-8")
    (HERE / "places_co.txt").write_text(header + "\n".join(place_list) + "\n", encoding="utf-8")
    print(
        f"{len(given)} given names, {len(surnames)} surnames, {len(common)} also common words "
        f"or places, {len(place_list)} places"
    )


if __name__ == "__main__":
    main()
